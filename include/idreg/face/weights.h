// Pretrained network weights in the TensorFlow.js layout that @vladmandic/face-api ships:
// NAME-weights_manifest.json (a list of groups {paths, weights: [{name, shape, dtype,
// quantization?}]}) plus the group's bin files, which hold the tensors back to back in manifest
// order. Quantized tensors (uint8/uint16 with per-tensor scale and min) are dequantized here.
#ifndef IDREG_FACE_WEIGHTS_H_
#define IDREG_FACE_WEIGHTS_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"

namespace idreg::face {

// A dense float32 tensor, row-major over `shape` (for conv filters [kh, kw, in, out]).
struct Tensor {
  std::vector<int> shape;
  std::vector<float> values;
};

using WeightMap = std::map<std::string, Tensor>;

// Reads a bin file named in a manifest (a bare file name); NotFound when it cannot.
using BinReader = std::function<Result<std::vector<uint8_t>>(const std::string& path)>;

// Decodes every tensor of a manifest. Rejects with InvalidArgument/Corruption naming the problem:
// malformed JSON, a missing field, an unsupported dtype, a non-positive or oversized shape, a
// path that is not a bare file name, and bin data shorter or longer than the manifest declares
// (the bytes consumed must equal the bin size exactly).
Result<WeightMap> DecodeWeights(std::string_view manifest_json, const BinReader& read_bin);

// Loads DIR/NAME-weights_manifest.json and its bin files.
Result<WeightMap> LoadWeights(const std::filesystem::path& dir, const std::string& name);

// The tensor `name` with exactly `shape`; NotFound / InvalidArgument naming the tensor otherwise.
Result<const Tensor*> GetTensor(const WeightMap& weights, const std::string& name, std::vector<int> shape);

}  // namespace idreg::face

#endif  // IDREG_FACE_WEIGHTS_H_
