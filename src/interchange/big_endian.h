// Big-endian field access shared by the ISO/IEC 19794 record codecs: a cursor over the record's
// bytes (callers check the room left before reading) and an appender for writers.
#ifndef IDREG_INTERCHANGE_BIG_ENDIAN_H_
#define IDREG_INTERCHANGE_BIG_ENDIAN_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "idreg/core/bytes.h"

namespace idreg::interchange_internal {

class In {
 public:
  explicit In(std::span<const uint8_t> b) : b_(b) {}
  size_t at = 0;
  uint64_t U(int n) {  // callers check room first
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | b_[at++];
    return v;
  }
  size_t remaining() const { return b_.size() - at; }
  std::span<const uint8_t> b_;
};

inline void Put(Bytes& out, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace idreg::interchange_internal

#endif  // IDREG_INTERCHANGE_BIG_ENDIAN_H_
