// 19794-5 face records: a record built around a real JPEG face (from the NIST Type-10 sample)
// and a JPEG 2000 image written here round-trips, decodes, is found inside a DG2 wrapper, and every
// malformation is refused with the image and offset.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "idreg/interchange/an2k.h"
#include "idreg/interchange/iso19794_5.h"

namespace idreg {
namespace {

const std::string kFaceAn2 = std::string(IDREG_SHARED_DIR) + "/data/ansi-nist/nbis_face_jpb_DOM_GMT_DCS.an2";

// A small synthetic grey gradient with a dark disc, encoded by OpenCV.
Bytes Encode(const char* ext) {
  cv::Mat img(60, 48, CV_8U);
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      int dx = x - 24, dy = y - 30;
      img.at<uint8_t>(y, x) = dx * dx + dy * dy < 200 ? 30 : static_cast<uint8_t>(100 + 2 * x);
    }
  }
  std::vector<uint8_t> out;
  EXPECT_TRUE(cv::imencode(ext, img, out));
  return out;
}

FaceRecord Record(Bytes image, FaceImageDataType type) {
  FaceImage f;
  f.gender = 2;
  f.eye_colour = 3;
  f.feature_mask = 0x000003;
  f.expression = 1;
  f.pose_yaw = 5;
  f.feature_points = {{1, 0x31, 100, 120}, {1, 0x32, 140, 121}};
  f.face_image_type = 1;
  f.data_type = type;
  f.width = 48;
  f.height = 60;
  f.quality = 77;
  f.image = std::move(image);
  return FaceRecord{{f}};
}

TEST(Iso19794_5Test, Jpeg2000RecordRoundTripsAndDecodes) {
  FaceRecord rec = Record(Encode(".jp2"), FaceImageDataType::kJpeg2000);
  Result<Bytes> bytes = WriteFaceRecord(rec);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->size(), 14 + 20 + 2 * 8 + 12 + rec.images[0].image.size());
  Result<FaceRecord> back = ParseFaceRecord(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const FaceImage& f = back->images[0];
  EXPECT_EQ(f.gender, 2);
  EXPECT_EQ(f.feature_points.size(), 2u);
  EXPECT_EQ(f.feature_points[1].x, 140);
  EXPECT_EQ(f.quality, 77);
  EXPECT_STREQ(f.MediaType(), "image/jp2");
  Result<Bytes> again = WriteFaceRecord(*back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *bytes);
  Result<GrayImage> img = DecodeFaceImage(f);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 48);
  EXPECT_EQ(img->height, 60);
  EXPECT_LT(img->at(24, 30), 60);   // the disc
  EXPECT_GT(img->at(46, 2), 150);   // the bright right edge
}

TEST(Iso19794_5Test, RealJpegFaceInsideADg2) {
  if (!std::filesystem::exists(kFaceAn2)) GTEST_SKIP() << "missing " << kFaceAn2;
  std::ifstream in(kFaceAn2, std::ios::binary);
  Bytes an2((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<An2kTransaction> t = ParseAn2k(an2);
  ASSERT_TRUE(t.ok());
  const An2kField* jpeg = t->records[1].Find(999);
  ASSERT_NE(jpeg, nullptr);
  Result<Bytes> rec = WriteFaceRecord(Record(ToBytes(jpeg->value), FaceImageDataType::kJpeg));
  ASSERT_TRUE(rec.ok());
  // DG2: 75 { 7F61 { 02 01 01, 7F60 { A1 {...}, 5F2E record } } }, long-form lengths.
  auto tlv = [](Bytes tag, const Bytes& value) {
    Bytes out = tag;
    size_t n = value.size();
    out.insert(out.end(), {0x83, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)});
    out.insert(out.end(), value.begin(), value.end());
    return out;
  };
  Bytes header = tlv({0xA1}, {0x80, 0x02, 0x01, 0x01});
  Bytes bit = header;
  Bytes bdb = tlv({0x5F, 0x2E}, *rec);
  bit.insert(bit.end(), bdb.begin(), bdb.end());
  Bytes group = {0x02, 0x01, 0x01};
  Bytes t7f60 = tlv({0x7F, 0x60}, bit);
  group.insert(group.end(), t7f60.begin(), t7f60.end());
  Bytes dg2 = tlv({0x75}, tlv({0x7F, 0x61}, group));
  Result<FaceRecord> parsed = ParseFaceRecordOrDg2(dg2);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  Result<GrayImage> img = DecodeFaceImage(parsed->images[0]);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 768);
  EXPECT_EQ(img->height, 1024);
}

void ExpectError(const Bytes& b, const std::string& needle) {
  Result<FaceRecord> r = ParseFaceRecord(b);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

TEST(Iso19794_5Test, MalformedRecords) {
  Result<Bytes> good = WriteFaceRecord(Record(Bytes(100, 0xAB), FaceImageDataType::kJpeg));
  ASSERT_TRUE(good.ok());
  ExpectError(Bytes(good->begin(), good->begin() + 10), "general header");
  Bytes magic = *good;
  magic[0] = 'X';
  ExpectError(magic, "FAC");
  Bytes v2011 = *good;
  v2011[4] = '0'; v2011[5] = '3'; v2011[6] = '0';
  ExpectError(v2011, "version '030'");
  ExpectError(Bytes(good->begin(), good->end() - 1), "record length at offset 8");
  Bytes count = *good;
  count[13] = 2;
  ExpectError(count, "image 2");
  Bytes block = *good;
  block[17] = 0xFF;  // block length far beyond the data
  ExpectError(block, "image 1 at offset 14: block length");
  Bytes type = *good;
  type[14 + 20 + 16 + 1] = 7;
  ExpectError(type, "image data type 7");
  for (size_t cut = 0; cut < good->size(); cut += 7) {
    Bytes part(good->begin(), good->begin() + static_cast<long>(cut));
    EXPECT_FALSE(ParseFaceRecord(part).ok()) << cut;
  }
  EXPECT_FALSE(ParseFaceRecordOrDg2(Bytes{0x75, 0x02, 0x01}).ok());
  // A JPEG-typed image that is not a JPEG is refused before decoding.
  Result<FaceRecord> r = ParseFaceRecord(*good);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(DecodeFaceImage(r->images[0]).ok());
}

}  // namespace
}  // namespace idreg
