// Internal: little-endian writer and bounds-checked reader for the voice file formats.
#ifndef IDREG_SRC_VOICE_BYTE_IO_H_
#define IDREG_SRC_VOICE_BYTE_IO_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace idreg::voice {

class ByteWriter {
 public:
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(uint8_t(v >> (8 * i)));
  }
  void F32(float v) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    U32(u);
  }
  void Floats(const std::vector<float>& v) {
    for (float f : v) F32(f);
  }
  void Bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void String(const std::string& s) {
    U32(uint32_t(s.size()));
    Bytes(s.data(), s.size());
  }
  std::vector<uint8_t> Take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

// Every read checks the remaining length; after a failed read ok() is false and reads return 0.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> b) : b_(b) {}
  bool ok() const { return ok_; }
  size_t remaining() const { return b_.size() - pos_; }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(b_[pos_ + size_t(i)]) << (8 * i);
    pos_ += 4;
    return v;
  }
  float F32() {
    const uint32_t u = U32();
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  // Reads n floats; fails on a short input or a non-finite value.
  std::vector<float> Floats(size_t n) {
    if (!Need(n * 4)) return {};
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) {
      v[i] = F32();
      if (!std::isfinite(v[i])) ok_ = false;
    }
    return v;
  }
  bool Magic(const char* m, size_t n) {
    if (!Need(n) || std::memcmp(b_.data() + pos_, m, n) != 0) return ok_ = false;
    pos_ += n;
    return true;
  }
  std::string String(size_t max_len) {
    const uint32_t n = U32();
    if (n > max_len || !Need(n)) return ok_ = false, std::string();
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }

 private:
  bool Need(size_t n) {
    if (!ok_ || n > remaining()) return ok_ = false;
    return true;
  }
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// FNV-1a 64, as 16 hex digits: the identity of a serialized model.
inline std::string Fnv1aHex(std::span<const uint8_t> bytes) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : bytes) h = (h ^ b) * 1099511628211ull;
  static const char* kHex = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) s[size_t(i)] = kHex[h & 15];
  return s;
}

}  // namespace idreg::voice

#endif  // IDREG_SRC_VOICE_BYTE_IO_H_
