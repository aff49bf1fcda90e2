#include "idreg/face/weights.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace idreg::face {
namespace {

// The largest tensor in the shipped models has 590k elements; anything far beyond is a corrupt
// manifest, refused before allocation.
constexpr int64_t kMaxTensorElements = 64LL * 1024 * 1024;

std::string ShapeText(const std::vector<int>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s.push_back(',');
    s.append(std::to_string(shape[i]));
  }
  s.push_back(']');
  return s;
}

struct Spec {
  std::string name;
  std::vector<int> shape;
  int64_t elements = 1;
  int bytes_per_element = 4;  // 4: float32; 1/2: quantized uint8/uint16
  double scale = 1, min = 0;
};

Result<Spec> ParseSpec(const nlohmann::json& w) {
  Spec s;
  if (!w.is_object() || !w.contains("name") || !w["name"].is_string())
    return Status::InvalidArgument("weights manifest: a weight entry has no name");
  s.name = w["name"].get<std::string>();
  const std::string ctx = "weights manifest: tensor " + s.name + ": ";
  if (!w.contains("shape") || !w["shape"].is_array() || w["shape"].size() > 6)
    return Status::InvalidArgument(ctx + "shape missing or not an array of at most 6 dimensions");
  for (const auto& d : w["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() <= 0 || d.get<int64_t>() > kMaxTensorElements)
      return Status::InvalidArgument(ctx + "shape has a non-positive or oversized dimension");
    s.shape.push_back(static_cast<int>(d.get<int64_t>()));
    s.elements *= s.shape.back();
    if (s.elements > kMaxTensorElements) return Status::InvalidArgument(ctx + "tensor too large");
  }
  if (!w.contains("dtype") || !w["dtype"].is_string() || w["dtype"].get<std::string>() != "float32")
    return Status::InvalidArgument(ctx + "dtype must be float32");
  if (w.contains("quantization")) {
    const auto& q = w["quantization"];
    if (!q.is_object() || !q.contains("dtype") || !q["dtype"].is_string() || !q.contains("scale") ||
        !q["scale"].is_number() || !q.contains("min") || !q["min"].is_number())
      return Status::InvalidArgument(ctx + "quantization needs dtype, scale and min");
    const std::string qt = q["dtype"].get<std::string>();
    if (qt == "uint8") {
      s.bytes_per_element = 1;
    } else if (qt == "uint16") {
      s.bytes_per_element = 2;
    } else {
      return Status::InvalidArgument(ctx + "unsupported quantization dtype " + qt);
    }
    s.scale = q["scale"].get<double>();
    s.min = q["min"].get<double>();
    if (!std::isfinite(s.scale) || !std::isfinite(s.min))
      return Status::InvalidArgument(ctx + "quantization scale or min is not finite");
  }
  return s;
}

Tensor Dequantize(const Spec& s, const uint8_t* p) {
  Tensor t;
  t.shape = s.shape;
  t.values.resize(static_cast<size_t>(s.elements));
  for (int64_t i = 0; i < s.elements; ++i) {
    if (s.bytes_per_element == 4) {
      uint32_t bits = static_cast<uint32_t>(p[4 * i]) | static_cast<uint32_t>(p[4 * i + 1]) << 8 |
                      static_cast<uint32_t>(p[4 * i + 2]) << 16 | static_cast<uint32_t>(p[4 * i + 3]) << 24;
      std::memcpy(&t.values[i], &bits, 4);
    } else if (s.bytes_per_element == 2) {
      const int q = p[2 * i] | p[2 * i + 1] << 8;
      t.values[i] = static_cast<float>(q * s.scale + s.min);
    } else {
      t.values[i] = static_cast<float>(p[i] * s.scale + s.min);
    }
  }
  return t;
}

bool IsBareFileName(const std::string& p) {
  return !p.empty() && p.find('/') == std::string::npos && p.find('\\') == std::string::npos &&
         p != "." && p != "..";
}

}  // namespace

Result<WeightMap> DecodeWeights(std::string_view manifest_json, const BinReader& read_bin) {
  nlohmann::json m = nlohmann::json::parse(manifest_json, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded()) return Status::InvalidArgument("weights manifest: not valid JSON");
  if (!m.is_array() || m.empty()) return Status::InvalidArgument("weights manifest: expected a non-empty list of groups");
  WeightMap out;
  for (const auto& group : m) {
    if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() ||
        !group.contains("weights") || !group["weights"].is_array())
      return Status::InvalidArgument("weights manifest: a group lacks paths or weights");
    std::vector<uint8_t> bin;
    std::string names;
    for (const auto& p : group["paths"]) {
      if (!p.is_string() || !IsBareFileName(p.get<std::string>()))
        return Status::InvalidArgument("weights manifest: a path is not a bare file name");
      IDREG_ASSIGN_OR_RETURN(std::vector<uint8_t> part, read_bin(p.get<std::string>()));
      bin.insert(bin.end(), part.begin(), part.end());
      if (!names.empty()) names.push_back('+');
      names.append(p.get<std::string>());
    }
    size_t offset = 0;
    for (const auto& w : group["weights"]) {
      IDREG_ASSIGN_OR_RETURN(Spec spec, ParseSpec(w));
      const size_t need = static_cast<size_t>(spec.elements) * spec.bytes_per_element;
      if (bin.size() - offset < need)
        return Status::Corruption("weights " + names + ": tensor " + spec.name + " needs " + std::to_string(need) +
                                  " bytes at offset " + std::to_string(offset) + " but the data has " +
                                  std::to_string(bin.size()));
      if (out.count(spec.name)) return Status::InvalidArgument("weights manifest: duplicate tensor " + spec.name);
      out[spec.name] = Dequantize(spec, bin.data() + offset);
      offset += need;
    }
    if (offset != bin.size())
      return Status::Corruption("weights " + names + ": the manifest accounts for " + std::to_string(offset) +
                                " bytes but the data has " + std::to_string(bin.size()));
  }
  return out;
}

Result<WeightMap> LoadWeights(const std::filesystem::path& dir, const std::string& name) {
  const std::filesystem::path manifest = dir / (name + "-weights_manifest.json");
  std::ifstream in(manifest, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + manifest.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto read = [&dir](const std::string& path) -> Result<std::vector<uint8_t>> {
    std::ifstream f(dir / path, std::ios::binary);
    if (!f) return Status::NotFound("cannot read " + (dir / path).string());
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  auto w = DecodeWeights(text, read);
  if (!w.ok()) return w.status().WithContext(manifest.string());
  return w;
}

Result<const Tensor*> GetTensor(const WeightMap& weights, const std::string& name, std::vector<int> shape) {
  auto it = weights.find(name);
  if (it == weights.end()) return Status::NotFound("weights: tensor " + name + " is missing");
  if (it->second.shape != shape)
    return Status::InvalidArgument("weights: tensor " + name + " has shape " + ShapeText(it->second.shape) +
                                   ", expected " + ShapeText(shape));
  return &it->second;
}

}  // namespace idreg::face
