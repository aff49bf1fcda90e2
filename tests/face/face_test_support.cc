#include "face/face_test_support.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <nlohmann/json.hpp>

namespace idreg::face::testing {

std::shared_ptr<const FaceNetworks> Networks(std::string* why) {
  static const auto loaded = FaceNetworks::LoadDefault();
  if (!loaded.ok()) {
    *why = loaded.status().ToString();
    return nullptr;
  }
  return *loaded;
}

std::string SharedFaceFile(const std::string& relative) {
  const std::string p = std::string(IDREG_SHARED_DIR) + "/data/face/" + relative;
  return std::filesystem::exists(p) ? p : std::string();
}

std::vector<float> ReadFloatArray(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in).get<std::vector<float>>();
}

std::vector<Point> ReadPoints(const std::string& path) {
  std::ifstream in(path);
  std::vector<Point> out;
  for (const auto& p : nlohmann::json::parse(in)) out.push_back({p["x"].get<float>(), p["y"].get<float>()});
  return out;
}

std::vector<float> RandomVectors(size_t n, int dim, uint32_t seed, float sigma) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0, sigma);
  std::vector<float> v(n * static_cast<size_t>(dim));
  for (float& x : v) x = g(rng);
  return v;
}

std::vector<IndexKernel> SupportedInt8Kernels() {
  std::vector<IndexKernel> k = {IndexKernel::kScalar};
  if (EmbeddingIndex::BestInt8Kernel() != IndexKernel::kScalar) k.push_back(IndexKernel::kAvx2);
  if (EmbeddingIndex::BestInt8Kernel() == IndexKernel::kAvx512) k.push_back(IndexKernel::kAvx512);
  return k;
}

}  // namespace idreg::face::testing
