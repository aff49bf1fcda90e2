// Fuzzes the face weights loader: the input is a manifest, a NUL byte, then the bin file's bytes.
// Beyond "no crash": an accepted manifest accounts for every byte, and every tensor's values
// match its shape.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "idreg/face/weights.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  const size_t manifest_size = nul ? static_cast<size_t>(nul - data) : size;
  const std::string manifest(reinterpret_cast<const char*>(data), manifest_size);
  std::vector<uint8_t> bin;
  if (nul) bin.assign(nul + 1, data + size);
  auto weights = idreg::face::DecodeWeights(manifest, [&bin](const std::string&) -> idreg::Result<std::vector<uint8_t>> {
    return bin;
  });
  if (!weights.ok()) {
    Require(!weights.status().message().empty());
    return 0;
  }
  for (const auto& [name, t] : *weights) {
    size_t n = 1;
    for (int d : t.shape) n *= static_cast<size_t>(d);
    Require(n == t.values.size());
  }
  return 0;
}
