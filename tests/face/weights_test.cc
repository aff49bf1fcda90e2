// The manifest + bin loader: dequantization, the exact byte accounting, and rejection of
// malformed manifests with a Status that names the problem.
#include <gtest/gtest.h>

#include "idreg/face/weights.h"

namespace idreg::face {
namespace {

BinReader Bins(std::vector<uint8_t> bytes) {
  return [bytes](const std::string& path) -> Result<std::vector<uint8_t>> {
    if (path != "m.bin") return Status::NotFound("no " + path);
    return bytes;
  };
}

TEST(Weights, DequantizesUint8AndReadsFloat32) {
  const std::string manifest = R"([{"paths":["m.bin"],"weights":[
    {"name":"q","shape":[2,2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}},
    {"name":"f","shape":[1],"dtype":"float32"}]}])";
  std::vector<uint8_t> bin = {0, 1, 2, 255, 0x00, 0x00, 0xc0, 0x3f};  // 1.5f little-endian
  auto w = DecodeWeights(manifest, Bins(bin));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->at("q").values, (std::vector<float>{-1, -0.5f, 0, 126.5f}));
  EXPECT_EQ(w->at("f").values, (std::vector<float>{1.5f}));
  auto t = GetTensor(*w, "q", {2, 2});
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(GetTensor(*w, "q", {4}).ok());
  EXPECT_EQ(GetTensor(*w, "nope", {1}).status().code(), StatusCode::kNotFound);
}

TEST(Weights, BytesConsumedMustEqualBinSize) {
  const std::string manifest = R"([{"paths":["m.bin"],"weights":[{"name":"f","shape":[2],"dtype":"float32"}]}])";
  auto shorter = DecodeWeights(manifest, Bins(std::vector<uint8_t>(7)));
  EXPECT_EQ(shorter.status().code(), StatusCode::kCorruption);
  EXPECT_NE(shorter.status().message().find("tensor f"), std::string::npos);
  auto longer = DecodeWeights(manifest, Bins(std::vector<uint8_t>(9)));
  EXPECT_EQ(longer.status().code(), StatusCode::kCorruption);
  EXPECT_NE(longer.status().message().find("accounts for 8 bytes"), std::string::npos);
}

TEST(Weights, RejectsMalformedManifests) {
  const std::vector<uint8_t> bin(4);
  for (const char* bad : {"", "{", "{}", "[]", R"([{"paths":["m.bin"]}])",
                          R"([{"paths":["../m.bin"],"weights":[]}])",
                          R"([{"paths":["m.bin"],"weights":[{"shape":[1],"dtype":"float32"}]}])",
                          R"([{"paths":["m.bin"],"weights":[{"name":"a","shape":[0],"dtype":"float32"}]}])",
                          R"([{"paths":["m.bin"],"weights":[{"name":"a","shape":[-1],"dtype":"float32"}]}])",
                          R"([{"paths":["m.bin"],"weights":[{"name":"a","shape":[100000,100000],"dtype":"float32"}]}])",
                          R"([{"paths":["m.bin"],"weights":[{"name":"a","shape":[1],"dtype":"int32"}]}])",
                          R"([{"paths":["m.bin"],"weights":[{"name":"a","shape":[4],"dtype":"float32","quantization":{"dtype":"int4","scale":1,"min":0}}]}])",
                          R"([{"paths":["m.bin"],"weights":[{"name":"a","shape":[4],"dtype":"float32","quantization":{"dtype":"uint8"}}]}])",
                          R"([{"paths":["other.bin"],"weights":[{"name":"a","shape":[1],"dtype":"float32"}]}])"}) {
    auto w = DecodeWeights(bad, Bins(bin));
    EXPECT_FALSE(w.ok()) << bad;
    EXPECT_FALSE(w.status().message().empty()) << bad;
  }
}

TEST(Weights, MissingFilesNameThePath) {
  auto w = LoadWeights("/nonexistent-dir", "model");
  EXPECT_EQ(w.status().code(), StatusCode::kNotFound);
  EXPECT_NE(w.status().message().find("model-weights_manifest.json"), std::string::npos);
}

}  // namespace
}  // namespace idreg::face
