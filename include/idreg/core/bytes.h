// Byte strings and their text encodings (hex, base64), plus SHA-256.
#ifndef IDREG_CORE_BYTES_H_
#define IDREG_CORE_BYTES_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"

namespace idreg {

using Bytes = std::vector<uint8_t>;
using Sha256Digest = std::array<uint8_t, 32>;

Bytes ToBytes(std::string_view s);
std::string ToString(const Bytes& b);

std::string HexEncode(const uint8_t* data, size_t size);
inline std::string HexEncode(const Bytes& b) { return HexEncode(b.data(), b.size()); }
Result<Bytes> HexDecode(std::string_view hex);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(const Bytes& b);
// Rejects characters outside the alphabet, bad padding and whitespace, naming the position.
Result<Bytes> Base64Decode(std::string_view text);

Sha256Digest Sha256(const uint8_t* data, size_t size);
inline Sha256Digest Sha256(std::string_view s) {
  return Sha256(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Overwrites memory the compiler cannot optimise away (for keys and plaintext).
void SecureZero(void* data, size_t size);

}  // namespace idreg

#endif  // IDREG_CORE_BYTES_H_
