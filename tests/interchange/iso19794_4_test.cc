// 19794-4 finger image records: a 2011 record around the real WSQ sample and a 2005 record around
// real FVC2002 images round-trip byte for byte and decode to the same pixels as the images alone;
// the two editions' compression tables translate; every truncation and malformation is refused
// with a message naming the field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "idreg/image/decode.h"
#include "idreg/image/wsq.h"
#include "idreg/interchange/iso19794_4.h"
#include "idreg/interchange/media_image.h"
#include "test_files.h"

namespace idreg {
namespace {

const std::string kWsq = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/sourceafis/wsq-original.wsq";
const std::string kFvc = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/DB1_B/";

Bytes PngOf(const GrayImage& g) {
  cv::Mat m(g.height, g.width, CV_8U, const_cast<uint8_t*>(g.pixels.data()));
  std::vector<uint8_t> out;
  cv::imencode(".png", m, out);
  return Bytes(out.begin(), out.end());
}

// A 2005 record of two fingers, one raw and one PNG is not allowed (one compression per
// record), so two raw views of finger 101 and one of finger 102.
Result<FingerImageRecord> Fvc2005Record() {
  FingerImageRecord r;
  r.edition = 2005;
  r.device_id = 0x1234;
  r.acquisition_level = 31;
  const char* names[] = {"101_1.tif", "101_2.tif", "102_1.tif"};
  for (int i = 0; i < 3; ++i) {
    IDREG_ASSIGN_OR_RETURN(GrayImage g, ReadImageFile(kFvc + names[i]));
    FingerImage f;
    f.position = i < 2 ? 2 : 3;
    f.view_count = i < 2 ? 2 : 1;
    f.view = i < 2 ? i + 1 : 1;
    f.quality = 60 + i;
    f.width = g.width;
    f.height = g.height;
    f.compression = FingerImageCompression::kRaw;
    f.image = g.pixels;
    r.images.push_back(std::move(f));
  }
  return r;
}

TEST(Iso19794_4, WrapsTheRealWsqSampleIn2011AndDecodesItUnchanged) {
  if (!std::filesystem::exists(kWsq)) GTEST_SKIP() << "missing " << kWsq;
  Bytes wsq = test::ReadFileBytes(kWsq);
  Result<WsqHeader> h = ReadWsqHeader(wsq);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  Result<Bytes> rec = WrapFingerImage("image/wsq", wsq, h->width, h->height, 500, 2, 77);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  ASSERT_EQ(std::string(rec->begin(), rec->begin() + 8), std::string("FIR\0" "020\0", 8));

  Result<FingerImageRecord> parsed = ParseFingerImageRecord(*rec);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->edition, 2011);
  ASSERT_EQ(parsed->images.size(), 1u);
  const FingerImage& f = parsed->images[0];
  EXPECT_EQ(f.position, 2);
  EXPECT_EQ(f.quality, 77);
  EXPECT_EQ(f.compression, FingerImageCompression::kWsq);
  EXPECT_EQ(f.MediaType(), "image/wsq");
  EXPECT_EQ(f.image, wsq);

  Result<Bytes> again = WriteFingerImageRecord(*parsed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *rec);

  Result<GrayImage> direct = DecodeWsq(wsq);
  Result<GrayImage> via = DecodeFingerImage(f);
  ASSERT_TRUE(direct.ok() && via.ok()) << via.status().ToString();
  EXPECT_EQ(via->pixels, direct->pixels);
  EXPECT_DOUBLE_EQ(via->ppi, 500);
}

TEST(Iso19794_4, A2005RecordOfRealImagesRoundTrips) {
  if (!std::filesystem::exists(kFvc + "102_1.tif")) GTEST_SKIP() << "missing " << kFvc << "102_1.tif";
  Result<FingerImageRecord> r = Fvc2005Record();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<Bytes> bytes = WriteFingerImageRecord(*r);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ((*bytes)[18], 2);  // two distinct fingers

  Result<FingerImageRecord> back = ParseFingerImageRecord(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->edition, 2005);
  EXPECT_EQ(back->device_id, 0x1234);
  EXPECT_EQ(back->acquisition_level, 31);
  ASSERT_EQ(back->images.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back->images[i].image, r->images[i].image);
    EXPECT_EQ(back->images[i].view, r->images[i].view);
    EXPECT_EQ(back->images[i].quality, r->images[i].quality);
  }
  Result<Bytes> again = WriteFingerImageRecord(*back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *bytes);

  Result<GrayImage> g = DecodeFingerImage(back->images[2]);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  Result<GrayImage> original = ReadImageFile(kFvc + "102_1.tif");
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(g->pixels, original->pixels);
}

TEST(Iso19794_4, TheEditionsNumberCompressionDifferently) {
  if (!std::filesystem::exists(kFvc + "101_1.tif")) GTEST_SKIP() << "missing " << kFvc << "101_1.tif";
  Result<GrayImage> g = ReadImageFile(kFvc + "101_1.tif");
  ASSERT_TRUE(g.ok());
  Bytes png = PngOf(*g);
  for (int edition : {2005, 2011}) {
    FingerImageRecord r;
    r.edition = edition;
    FingerImage f;
    f.position = 7;
    f.width = g->width;
    f.height = g->height;
    f.compression = FingerImageCompression::kPng;
    f.image = png;
    r.images.push_back(f);
    Result<Bytes> b = WriteFingerImageRecord(r);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    // The compression byte: offset 29 of the 2005 general header; 2011: 12 bytes after the
    // representation's quality blocks.
    size_t at = edition == 2005 ? 29 : 16 + 4 + 9 + 5 + 1 + 12;
    EXPECT_EQ((*b)[at], edition == 2005 ? 5 : 6) << edition;
    Result<FingerImageRecord> back = ParseFingerImageRecord(*b);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->images[0].compression, FingerImageCompression::kPng);
    Result<GrayImage> d = DecodeFingerImage(back->images[0]);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->pixels, g->pixels);
  }
}

// A small 2011 record for the malformation tests: a 4x3 raw image with a quality block.
Bytes Small2011() {
  FingerImageRecord r;
  FingerImage f;
  f.position = 1;
  f.width = 4;
  f.height = 3;
  f.image = Bytes(12, 0x80);
  f.quality_blocks.push_back({55, 0x0101, 2});
  r.images.push_back(f);
  return WriteFingerImageRecord(r).value();
}

TEST(Iso19794_4, EveryTruncationIsRefusedWithAMessage) {
  for (Bytes whole : {Small2011()}) {
    for (size_t n = 0; n < whole.size(); ++n) {
      Result<FingerImageRecord> r = ParseFingerImageRecord(std::span<const uint8_t>(whole.data(), n));
      ASSERT_FALSE(r.ok()) << n;
      EXPECT_FALSE(r.status().message().empty());
    }
    EXPECT_TRUE(ParseFingerImageRecord(whole).ok());
  }
}

TEST(Iso19794_4, MalformedRecordsNameWhatIsWrong) {
  Bytes good = Small2011();
  auto expect = [](Bytes b, const std::string& needle) {
    Result<FingerImageRecord> r = ParseFingerImageRecord(b);
    ASSERT_FALSE(r.ok()) << needle;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  Bytes b = good;
  b[0] = 'X';
  expect(b, "format identifier");
  b = good;
  b[5] = '3';
  expect(b, "version '030'");
  b = good;
  b[11] += 1;  // record length one more than the data
  expect(b, "truncated");
  b = good;
  b.push_back(0);
  expect(b, "record length");
  b = good;
  b[14] = 2;
  expect(b, "certification flag");
  // Compression 7 does not exist in the 2011 table.
  b = good;
  b[16 + 4 + 9 + 5 + 1 + 5 + 12] = 7;
  expect(b, "compression algorithm 7");
  // Zero width.
  b = good;
  b[16 + 4 + 9 + 5 + 1 + 5 + 14] = 0;
  b[16 + 4 + 9 + 5 + 1 + 5 + 15] = 0;
  expect(b, "zero line length");
  // The image length overruns the representation.
  b = good;
  b[16 + 4 + 9 + 5 + 1 + 5 + 21] = 13;
  expect(b, "overruns");
  // No representation at all.
  b = Bytes(good.begin(), good.begin() + 16);
  b[11] = 16;
  b[13] = 0;
  expect(b, "no representation");
}

TEST(Iso19794_4, WriterRefusesWhatTheFormatCannotSay) {
  FingerImageRecord r;
  EXPECT_FALSE(WriteFingerImageRecord(r).ok());  // no image
  FingerImage f;
  f.width = 70000;  // two bytes
  f.height = 1;
  r.images.push_back(f);
  Result<Bytes> b = WriteFingerImageRecord(r);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("width 70000"), std::string::npos) << b.status().message();
  // A 2005 record has one compression for all its views.
  r.edition = 2005;
  r.images[0].width = 4;
  FingerImage g = r.images[0];
  g.compression = FingerImageCompression::kWsq;
  r.images.push_back(g);
  b = WriteFingerImageRecord(r);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("differs from the first"), std::string::npos) << b.status().message();
  EXPECT_FALSE(WrapFingerImage("image/gif", Bytes(4), 2, 2, 500, 1, 0).ok());
}

TEST(MediaImage, DecodesByTypeAndRefusesMismatches) {
  Bytes raw(6, 9);
  Result<GrayImage> g = DecodeMediaImage("image/raw;width=3;height=2", raw);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->width, 3);
  EXPECT_FALSE(DecodeMediaImage("image/raw;width=4;height=2", raw).ok());
  EXPECT_FALSE(DecodeMediaImage("image/raw", raw).ok());
  Result<GrayImage> wrong = DecodeMediaImage("image/jpeg", PngOf(*g));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("holds png"), std::string::npos) << wrong.status().message();
  Result<GrayImage> unknown = DecodeMediaImage("image/gif", raw);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("image/gif"), std::string::npos);
  EXPECT_FALSE(DecodeMediaImage("image/jp2", raw).ok());
  EXPECT_TRUE(IsDecodableImageType("image/wsq"));
  EXPECT_FALSE(IsDecodableImageType("iso19794-2"));
}

}  // namespace
}  // namespace idreg
