// The WSQ decoder against the SourceAFIS sample and its reference decoding (a PNG), plus the
// parts that can be checked alone: the subband layout tiles the image, and synthesis inverts
// analysis exactly for every length parity and both band orders.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "idreg/image/wsq.h"
#include "image/wsq_internal.h"

namespace idreg {
namespace {

const std::string kWsq = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/sourceafis/wsq-original.wsq";
const std::string kPng = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/sourceafis/wsq-converted.png";

std::vector<uint8_t> ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

TEST(WsqDecoderTest, SampleMatchesTheReferenceDecodingWithinOneGreyLevel) {
  if (!std::filesystem::exists(kWsq)) GTEST_SKIP() << "missing " << kWsq;
  if (!std::filesystem::exists(kPng)) GTEST_SKIP() << "missing " << kPng;
  std::vector<uint8_t> bytes = ReadAll(kWsq);
  Result<WsqHeader> h = ReadWsqHeader(bytes);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->ppi, 500);
  Result<GrayImage> img = DecodeWsq(bytes);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  cv::Mat ref = cv::imread(kPng, cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(ref.empty());
  ASSERT_EQ(img->width, ref.cols);
  ASSERT_EQ(img->height, ref.rows);
  EXPECT_EQ(img->ppi, 500);
  int max_diff = 0;
  int64_t off_by_one = 0;
  for (int y = 0; y < ref.rows; ++y) {
    for (int x = 0; x < ref.cols; ++x) {
      int d = std::abs(int(img->at(x, y)) - int(ref.at<uint8_t>(y, x)));
      max_diff = std::max(max_diff, d);
      off_by_one += d == 1;
    }
  }
  std::printf("WSQ sample %dx%d: maximum per-pixel difference %d, %lld pixels differ by one\n", ref.cols, ref.rows,
              max_diff, static_cast<long long>(off_by_one));
  EXPECT_LE(max_diff, 1);
}

TEST(WsqDecoderTest, SubbandsTileTheImageExceptTheUncodedDiagonal) {
  for (auto [w, h] : {std::pair{832, 768}, {545, 622}, {33, 35}, {1000, 1001}}) {
    wsq::Geometry g = wsq::BuildGeometry(w, h);
    std::vector<int> cover(static_cast<size_t>(w) * h, 0);
    for (int s = 0; s < wsq::kSubbands; ++s) {
      const wsq::Rect& r = g.subbands[s];
      for (int y = r.y; y < r.y + r.h; ++y) {
        for (int x = r.x; x < r.x + r.w; ++x) cover[static_cast<size_t>(y) * w + x]++;
      }
    }
    for (int c : cover) ASSERT_EQ(c, 1) << w << "x" << h;
    EXPECT_EQ(g.subbands[0].x, 0);
    EXPECT_EQ(g.nodes[0].r.w, w);
  }
}

TEST(WsqDecoderTest, SynthesisInvertsAnalysisForEveryLength) {
  // The FBI 9/7 analysis filters (as the DTT of every WSQ file carries them).
  const std::vector<float> alo = {0.037828455507f, -0.023849465020f, -0.110624404418f, 0.377402855613f,
                                  0.852698679009f, 0.377402855613f,  -0.110624404418f, -0.023849465020f,
                                  0.037828455507f};
  const std::vector<float> ahi = {0.064538882629f, -0.040689417609f, -0.418092273222f, 0.788485616406f,
                                  -0.418092273222f, -0.040689417609f, 0.064538882629f};
  wsq::TransformTable t;
  t.defined = true;
  // Synthesis filters: the other analysis filter modulated by (-1)^n about its centre.
  for (size_t i = 0; i < ahi.size(); ++i) t.lo.push_back(ahi[i] * (((i + 3) % 2) ? -1.0f : 1.0f));
  for (size_t i = 0; i < alo.size(); ++i) t.hi.push_back(alo[i] * ((i % 2) ? -1.0f : 1.0f));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-128, 127);
  for (int n = 1; n <= 40; ++n) {
    for (bool inverted : {false, true}) {
      std::vector<float> x(n), bands(n), y(n);
      for (float& v : x) v = u(rng);
      wsq::Analyze(x.data(), bands.data(), n, 1, inverted, alo, ahi);
      wsq::Synthesize(bands.data(), y.data(), n, 1, inverted, t);
      for (int i = 0; i < n; ++i) ASSERT_NEAR(y[i], x[i], 1e-3) << "n=" << n << " i=" << i << " inv=" << inverted;
    }
  }
}

TEST(WsqDecoderTest, MalformedStreamsAreRefusedWithTheReason) {
  EXPECT_FALSE(DecodeWsq(std::vector<uint8_t>{}).ok());
  Result<GrayImage> jpeg = DecodeWsq(std::vector<uint8_t>{0xFF, 0xD8, 0xFF, 0xE0});
  ASSERT_FALSE(jpeg.ok());
  EXPECT_NE(jpeg.status().message().find("SOI"), std::string::npos) << jpeg.status().message();
  if (!std::filesystem::exists(kWsq)) GTEST_SKIP() << "missing " << kWsq;
  std::vector<uint8_t> bytes = ReadAll(kWsq);
  // Cut anywhere: never a crash, always a reason.
  for (size_t cut : {size_t{1}, size_t{2}, size_t{100}, size_t{230}, size_t{300}, size_t{700}, bytes.size() / 2,
                     bytes.size() - 2}) {
    std::vector<uint8_t> part(bytes.begin(), bytes.begin() + cut);
    Result<GrayImage> r = DecodeWsq(part);
    ASSERT_FALSE(r.ok()) << cut;
    EXPECT_FALSE(r.status().message().empty());
  }
  // A frame claiming 60000x60000 is refused before allocating.
  std::vector<uint8_t> big = bytes;
  for (size_t i = 0; i + 1 < big.size(); ++i) {
    if (big[i] == 0xFF && big[i + 1] == 0xA2) {
      big[i + 6] = 0xEA; big[i + 7] = 0x60; big[i + 8] = 0xEA; big[i + 9] = 0x60;
      break;
    }
  }
  Result<GrayImage> r = DecodeWsq(big);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("SOF"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace idreg

namespace idreg {
namespace {

TEST(WsqDecoderTest, StripSynthesisEqualsTheScalarReferenceExactly) {
  wsq::TransformTable t;
  t.lo = {-0.0645389f, -0.0406894f, 0.4180923f, 0.7884856f, 0.4180923f, -0.0406894f, -0.0645389f};
  t.hi = {0.0378285f, 0.0238495f, -0.1106244f, -0.3774029f, 0.8526987f, -0.3774029f, -0.1106244f, 0.0238495f,
          0.0378285f};
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-300, 300);
  constexpr int W = wsq::kSynthesisStrip;
  for (int n : {1, 2, 3, 4, 5, 7, 8, 13, 32, 97, 100}) {
    for (bool inverted : {false, true}) {
      std::vector<float> in(static_cast<size_t>(n) * W), out(in.size()), col(n), ref(n);
      for (float& v : in) v = u(rng);
      wsq::SynthesizeStrip(in.data(), out.data(), n, inverted, t);
      for (int c = 0; c < W; ++c) {
        for (int i = 0; i < n; ++i) col[i] = in[static_cast<size_t>(i) * W + c];
        wsq::Synthesize(col.data(), ref.data(), n, 1, inverted, t);
        for (int i = 0; i < n; ++i) ASSERT_EQ(out[static_cast<size_t>(i) * W + c], ref[i]) << n << " " << c << " " << i;
      }
    }
  }
}

}  // namespace
}  // namespace idreg
