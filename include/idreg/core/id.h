// Random 128-bit identifiers, printed as 26 Crockford base32 characters (the first character
// carries the top 3 bits, so it is 0-7). Used for profiles and every other stored object.
#ifndef IDREG_CORE_ID_H_
#define IDREG_CORE_ID_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "idreg/core/result.h"

namespace idreg {

class Id {
 public:
  static constexpr size_t kBytes = 16;
  static constexpr size_t kTextLength = 26;

  Id() = default;  // all zero: "no id"
  explicit Id(const std::array<uint8_t, kBytes>& bytes) : bytes_(bytes) {}

  // 128 bits from the operating system's CSPRNG (libsodium).
  static Id Random();

  // Accepts upper or lower case and Crockford's aliases (I, L -> 1; O -> 0); hyphens ignored.
  // Rejects any other character, the wrong length, and values above 128 bits.
  static Result<Id> Parse(std::string_view text);

  std::string ToString() const;
  const std::array<uint8_t, kBytes>& bytes() const { return bytes_; }
  bool empty() const { return bytes_ == std::array<uint8_t, kBytes>{}; }

  auto operator<=>(const Id&) const = default;

 private:
  static Result<Id> ParseDigits(std::string_view text);
  std::array<uint8_t, kBytes> bytes_{};
};

using ProfileId = Id;

}  // namespace idreg

#endif  // IDREG_CORE_ID_H_
