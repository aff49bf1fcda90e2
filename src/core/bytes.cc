#include "idreg/core/bytes.h"

#include <sodium.h>

#include "core/sodium_init.h"

namespace idreg {

Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
std::string ToString(const Bytes& b) { return std::string(b.begin(), b.end()); }

std::string HexEncode(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Status::InvalidArgument("hex text has an odd length");
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("hex text has a non-hex character at position " +
                                     std::to_string(2 * i + (hi < 0 ? 1 : 2)));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string Base64Encode(const Bytes& b) {
  EnsureSodium();
  std::string out(sodium_base64_encoded_len(b.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), b.data(), b.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

Result<Bytes> Base64Decode(std::string_view text) {
  EnsureSodium();
  Bytes out(text.size() / 4 * 3 + 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    size_t pos = end ? static_cast<size_t>(end - text.data()) : 0;
    return Status::InvalidArgument("base64 text is malformed at position " + std::to_string(pos + 1));
  }
  out.resize(len);
  return out;
}

Sha256Digest Sha256(const uint8_t* data, size_t size) {
  EnsureSodium();
  Sha256Digest d;
  crypto_hash_sha256(d.data(), data, size);
  return d;
}

void SecureZero(void* data, size_t size) { sodium_memzero(data, size); }

}  // namespace idreg
