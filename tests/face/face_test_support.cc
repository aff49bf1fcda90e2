#include "face/face_test_support.h"

#include <filesystem>
#include <fstream>
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

}  // namespace idreg::face::testing
