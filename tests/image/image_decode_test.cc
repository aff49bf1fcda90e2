// Decoding of real fingerprint files and refusal of bad ones before any large allocation.
#include "idreg/image/decode.h"

#include "idreg/core/bytes.h"
#include "test_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace idreg {
namespace {

const std::string kData = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/";

#define SKIP_IF_MISSING(path) \
  if (!std::ifstream(path)) GTEST_SKIP() << "missing " << path

TEST(ImageDecodeTest, ReadsEveryFormatOfTheSameProbeAlike) {
  const std::string png = kData + "sourceafis/probe.png";
  SKIP_IF_MISSING(png);
  auto a = ReadImageFile(png);
  auto b = ReadImageFile(kData + "sourceafis/probe.bmp");
  auto c = ReadImageFile(kData + "sourceafis/probe.jpeg");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(a->width, 388);
  EXPECT_EQ(a->height, 374);
  EXPECT_EQ(b->width, 388);
  EXPECT_EQ(c->height, 374);
  EXPECT_EQ(a->pixels, b->pixels);  // lossless formats agree exactly
  long diff = 0;
  for (size_t i = 0; i < a->pixels.size(); ++i) diff += std::abs(a->pixels[i] - c->pixels[i]);
  EXPECT_LT(static_cast<double>(diff) / a->pixels.size(), 8.0);  // JPEG within a few gray levels
}

TEST(ImageDecodeTest, ReadsFvcTiff) {
  const std::string tif = kData + "fvc2002/DB2_B/101_1.tif";
  SKIP_IF_MISSING(tif);
  Bytes bytes = test::ReadFileBytes(tif);
  auto h = ReadImageHeader(bytes);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->format, ImageFormat::kTiff);
  EXPECT_EQ(h->width, 296);
  EXPECT_EQ(h->height, 560);
  auto img = DecodeImage(bytes);
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(img->ppi, 0);  // the file does not say
}

TEST(ImageDecodeTest, RefusesHugeTiffHeaderBeforeDecoding) {
  // A little-endian TIFF whose single IFD claims 50000 x 50000 pixels and holds no pixel data.
  Bytes tiff = {'I',  'I',  42, 0, 8, 0, 0,    0,    2,    0,    0x00, 0x01,
                4,    0,    1,  0, 0, 0, 0x50, 0xC3, 0,    0,              // ImageWidth LONG 50000
                0x01, 0x01, 4,  0, 1, 0, 0,    0,    0x50, 0xC3, 0,    0,  // ImageLength LONG 50000
                0,    0,    0,  0};
  auto img = DecodeImage(tiff);
  ASSERT_FALSE(img.ok());
  EXPECT_NE(img.status().message().find("50000x50000"), std::string::npos) << img.status().message();
}

TEST(ImageDecodeTest, RefusesEmptyTruncatedAndNonImages) {
  EXPECT_FALSE(DecodeImage(Bytes{}).ok());
  auto text = DecodeImage(ToBytes("hello, this is not an image"));
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("signature"), std::string::npos);
  const std::string png = kData + "sourceafis/probe.png";
  SKIP_IF_MISSING(png);
  Bytes bytes = test::ReadFileBytes(png);
  for (size_t keep : {size_t{4}, size_t{20}, size_t{200}, bytes.size() / 2}) {
    Bytes cut(bytes.begin(), bytes.begin() + keep);
    EXPECT_FALSE(DecodeImage(cut).ok()) << keep;
  }
  Bytes jpeg = test::ReadFileBytes(kData + "sourceafis/probe.jpeg");
  Bytes jcut(jpeg.begin(), jpeg.begin() + 10);
  auto j = DecodeImage(jcut);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("jpeg"), std::string::npos);
}

TEST(ImageDecodeTest, ResamplesToTheTargetResolution) {
  auto img = GrayImage::Create(100, 80, 128, 1000);
  ASSERT_TRUE(img.ok());
  auto half = Resample(*img, 1000, 500);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->width, 50);
  EXPECT_EQ(half->height, 40);
  EXPECT_EQ(half->ppi, 500);
  EXPECT_EQ(half->at(10, 10), 128);
  EXPECT_FALSE(Resample(*img, 0, 500).ok());
  EXPECT_FALSE(Resample(*img, 10, 5000).ok());  // 500x larger: over the size limit
}

}  // namespace
}  // namespace idreg
