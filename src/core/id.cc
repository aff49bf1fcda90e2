#include "idreg/core/id.h"

#include <sodium.h>

#include "core/sodium_init.h"

namespace idreg {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int DecodeChar(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') return 1;
  if (c == 'O') return 0;
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

Id Id::Random() {
  EnsureSodium();
  std::array<uint8_t, kBytes> b;
  randombytes_buf(b.data(), b.size());
  return Id(b);
}

// 26 digits of 5 bits hold 130 bits: the value is right-aligned, so the first digit's top two
// bits are always zero.
std::string Id::ToString() const {
  std::string out(kTextLength, '0');
  for (size_t i = 0; i < kTextLength; ++i) {
    // Bit offset of this digit's lowest bit, counted from the least significant end.
    size_t low = (kTextLength - 1 - i) * 5;
    unsigned v = 0;
    for (size_t b = 0; b < 5; ++b) {
      size_t bit = low + b;
      if (bit >= 128) break;
      size_t byte = kBytes - 1 - bit / 8;
      if ((bytes_[byte] >> (bit % 8)) & 1u) v |= 1u << b;
    }
    out[i] = kAlphabet[v];
  }
  return out;
}

Result<Id> Id::Parse(std::string_view text) {
  auto r = ParseDigits(text);
  if (!r.ok()) {
    // Quote what was given (shortened, printable) so the user sees which argument was wrong.
    std::string shown;
    for (char c : text.substr(0, 40)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > 40) shown += "...";
    return r.status().WithContext("'" + shown + "' is not an id");
  }
  return r;
}

Result<Id> Id::ParseDigits(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != '-') digits.push_back(c);
  }
  if (digits.size() != kTextLength) {
    return Status::InvalidArgument("id must have " + std::to_string(kTextLength) +
                                   " base32 characters, got " + std::to_string(digits.size()));
  }
  std::array<uint8_t, kBytes> b{};
  for (size_t i = 0; i < kTextLength; ++i) {
    int v = DecodeChar(digits[i]);
    if (v < 0) {
      return Status::InvalidArgument("id has a character outside Crockford base32 at position " +
                                     std::to_string(i + 1) + ": '" + digits[i] + "'");
    }
    if (i == 0 && v > 7) return Status::InvalidArgument("id is larger than 128 bits");
    size_t low = (kTextLength - 1 - i) * 5;
    for (size_t bit = 0; bit < 5; ++bit) {
      if (!((v >> bit) & 1)) continue;
      size_t pos = low + bit;
      if (pos >= 128) continue;
      b[kBytes - 1 - pos / 8] |= static_cast<uint8_t>(1u << (pos % 8));
    }
  }
  return Id(b);
}

}  // namespace idreg
