#include "face/face_test_support.h"

#include <filesystem>
#include <algorithm>
#include <cmath>
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

std::vector<float> DescriptorLikeRows(size_t n, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0, 1);
  std::vector<float> mean(dim);
  for (float& m : mean) m = 0.1f * g(rng);
  const float sigma = 0.827f / std::sqrt(2.0f * dim);
  std::vector<float> v(n * static_cast<size_t>(dim));
  for (size_t i = 0; i < v.size(); ++i) v[i] = mean[i % dim] + sigma * g(rng);
  return v;
}

std::vector<float> MateOf(const std::vector<float>& rows, size_t row, int dim, std::mt19937& rng) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> e(dim);
  float norm = 0;
  for (float& x : e) {
    x = g(rng);
    norm += x * x;
  }
  const float distance = std::clamp(0.428f + 0.071f * g(rng), 0.2f, 0.7f);
  std::vector<float> q(dim);
  for (int d = 0; d < dim; ++d) q[d] = rows[row * dim + d] + e[d] * distance / std::sqrt(norm);
  return q;
}

std::vector<IndexKernel> SupportedInt8Kernels() {
  std::vector<IndexKernel> k = {IndexKernel::kScalar};
  if (EmbeddingIndex::BestInt8Kernel() != IndexKernel::kScalar) k.push_back(IndexKernel::kAvx2);
  if (EmbeddingIndex::BestInt8Kernel() == IndexKernel::kAvx512) k.push_back(IndexKernel::kAvx512);
  return k;
}

}  // namespace idreg::face::testing
