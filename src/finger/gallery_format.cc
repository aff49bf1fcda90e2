// The gallery's versioned persistent form (doc/finger-gallery.md). Little-endian throughout:
//   "IDFG", version (1 byte, = 2), 3 zero bytes, template count N, minutia count M, cylinder count
//   C (uint32 each); N x {width, height, minutiae, cylinders} (uint16 each); M x {x, y, direction}
//   (uint16 each); C x 96 bytes of codes (cell bits, then validity); C direction bytes. Nothing may follow.
// Loading it skips cylinder construction entirely: the coarse codes are stored, and the fine stage
// rebuilds cylinders only for the shortlist.
#include <string>

#include "finger/parameters.h"
#include "idreg/finger/gallery.h"

namespace idreg::finger {
namespace {

constexpr uint8_t kMagic[4] = {'I', 'D', 'F', 'G'};
constexpr uint8_t kVersion = 2;  // 2: downsampled cylinders with validity (1: 256-bit projections)
constexpr size_t kHeader = 20;

void PutLe16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
void PutLe32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint16_t GetLe16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t GetLe32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

Status BadGallery(const std::string& what) { return Status::InvalidArgument("finger gallery: " + what); }

}  // namespace

Bytes SerializeGallery(const FingerGallery& gallery) {
  if (gallery.removed() > 0) {
    FingerGallery live = gallery;
    live.Compact();
    return SerializeGallery(live);
  }
  const FingerGallery& g = gallery;
  Bytes b(kMagic, kMagic + 4);
  b.push_back(kVersion);
  b.insert(b.end(), 3, 0);
  PutLe32(b, static_cast<uint32_t>(g.size()));
  PutLe32(b, static_cast<uint32_t>(g.minutiae_.size()));
  PutLe32(b, static_cast<uint32_t>(g.directions_.size()));
  b.reserve(kHeader + g.size() * 8 + g.minutiae_.size() * 6 + g.directions_.size() * 33);
  for (size_t i = 0; i < g.size(); ++i) {
    PutLe16(b, g.sizes_[2 * i]);
    PutLe16(b, g.sizes_[2 * i + 1]);
    PutLe16(b, static_cast<uint16_t>(g.minutia_offsets_[i + 1] - g.minutia_offsets_[i]));
    PutLe16(b, g.counts_[i]);
  }
  for (const auto& m : g.minutiae_) {
    PutLe16(b, m.x);
    PutLe16(b, m.y);
    PutLe16(b, m.direction);
  }
  for (uint64_t w : g.codes_) {
    PutLe32(b, static_cast<uint32_t>(w));
    PutLe32(b, static_cast<uint32_t>(w >> 32));
  }
  b.insert(b.end(), g.directions_.begin(), g.directions_.end());
  return b;
}

Result<FingerGallery> ParseGallery(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeader)
    return BadGallery("truncated: the header needs " + std::to_string(kHeader) + " bytes, " +
               std::to_string(bytes.size()) + " present");
  if (!std::equal(kMagic, kMagic + 4, bytes.begin())) return BadGallery("not a gallery file (no \"IDFG\" signature)");
  if (bytes[4] != kVersion)
    return BadGallery("version " + std::to_string(bytes[4]) + " is not supported (this build reads version " + std::to_string(kVersion) + ")");
  if (bytes[5] || bytes[6] || bytes[7]) return BadGallery("reserved header bytes 5-7 are not zero");
  const uint64_t n = GetLe32(&bytes[8]), m = GetLe32(&bytes[12]), c = GetLe32(&bytes[16]);
  const uint64_t expected = kHeader + n * 8 + m * 6 + c * (CoarseTemplate::kCodeWords * 8 + 1);
  if (bytes.size() != expected)
    return BadGallery("size mismatch: the header's counts (" + std::to_string(n) + " templates, " + std::to_string(m) +
               " minutiae, " + std::to_string(c) + " cylinders) need " + std::to_string(expected) +
               " bytes, the input has " + std::to_string(bytes.size()));
  FingerGallery g;
  g.counts_.reserve(n);
  g.sizes_.reserve(2 * n);
  const uint8_t* p = bytes.data() + kHeader;
  uint64_t minutiae = 0, cylinders = 0;
  for (uint64_t i = 0; i < n; ++i, p += 8) {
    const uint16_t mc = GetLe16(p + 4), cc = GetLe16(p + 6);
    if (mc > 255) return BadGallery("template " + std::to_string(i) + " claims " + std::to_string(mc) + " minutiae (at most 255)");
    if (cc > mc)
      return BadGallery("template " + std::to_string(i) + " has more cylinders (" + std::to_string(cc) + ") than minutiae (" +
                 std::to_string(mc) + ")");
    minutiae += mc;
    cylinders += cc;
    g.sizes_.push_back(GetLe16(p));
    g.sizes_.push_back(GetLe16(p + 2));
    g.counts_.push_back(cc);
    g.minutia_offsets_.push_back(static_cast<uint32_t>(minutiae));
    g.code_offsets_.push_back(static_cast<uint32_t>(cylinders));
  }
  if (minutiae != m || cylinders != c)
    return BadGallery("the templates hold " + std::to_string(minutiae) + " minutiae and " + std::to_string(cylinders) +
               " cylinders, the header says " + std::to_string(m) + " and " + std::to_string(c));
  g.minutiae_.resize(m);
  for (uint64_t i = 0; i < m; ++i, p += 6) g.minutiae_[i] = {GetLe16(p), GetLe16(p + 2), GetLe16(p + 4)};
  g.codes_.resize(c * CoarseTemplate::kCodeWords);
  for (uint64_t i = 0; i < c * CoarseTemplate::kCodeWords; ++i, p += 8)
    g.codes_[i] = GetLe32(p) | (static_cast<uint64_t>(GetLe32(p + 4)) << 32);
  // The coarse kernel relies on a cell's bit being set only where the cell is valid.
  constexpr int half = CoarseTemplate::kCodeWords / 2;
  for (uint64_t i = 0; i < c; ++i) {
    const uint64_t* code = g.codes_.data() + i * CoarseTemplate::kCodeWords;
    for (int w = 0; w < half; ++w) {
      if (code[w] & ~code[half + w])
        return BadGallery("cylinder " + std::to_string(i) + " has cell bits set outside its valid cells");
    }
  }
  g.directions_.assign(p, p + c);
  g.tags_.assign(n, 0);
  g.live_.assign((n + 63) / 64, 0);
  for (uint64_t i = 0; i < n; ++i) g.live_[i / 64] |= uint64_t{1} << (i % 64);
  return g;
}

}  // namespace idreg::finger
