// 1:1 and 1:N fingerprint matching with Minutia Cylinder-Code (MCC, bit form) and Local Similarity
// Sort with Relaxation (Cappelli, Ferrara & Maltoni 2010). Each minutia gets a cylinder: a
// rotation- and translation-invariant bit code of the minutiae around it. Two templates are compared
// by the similarity of their cylinders, then the best pairs are checked for mutual geometric
// consistency (relaxation), which rejects chance local matches.
//
// Score scale: [0, 1]: the mean relaxed similarity of the most consistent minutia pairs, times the
// square root of the share of the minutiae in the two prints' overlap that agree under the best
// rigid alignment; 0 when either template has no usable cylinder; about 0.9 for two captures of the
// same image. On FVC2002 DB1_B..DB4_B pooled (protocol all) FMR is 1% at 0.0122 and 0.1% at 0.0161,
// the highest impostor score is 0.022 and the median genuine score 0.080 (BENCHMARKS.md, seventh
// session).
#ifndef IDREG_FINGER_MATCHER_H_
#define IDREG_FINGER_MATCHER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "idreg/finger/minutia.h"

namespace idreg::finger {

// The search form of a template: per minutia, position, direction and its cylinder.
class SearchTemplate {
 public:
  static constexpr int kWords = 24;  // 16 x 16 x 6 cylinder bits in 64-bit words

  struct Cylinder {
    float x = 0, y = 0;
    float direction = 0;  // radians, image axes (y down)
    uint16_t bits_count = 0;
    uint16_t valid_count = 0;
    uint64_t bits[kWords] = {};
    uint64_t valid[kWords] = {};  // cell validity repeated over the directions
  };

  // Builds the cylinders; minutiae whose cylinder is not valid (too few neighbours, too much of it
  // outside the print) are left out.
  explicit SearchTemplate(const FingerTemplate& tmpl);
  SearchTemplate() = default;

  // Every minutia of the template, those without a valid cylinder too (near the print's edge or
  // isolated): the matcher's global consolidation counts agreement among all of them.
  struct Point {
    float x = 0, y = 0;
    float direction = 0;  // radians, image axes (y down)
  };

  const std::vector<Cylinder>& cylinders() const { return cylinders_; }
  const std::vector<Point>& points() const { return points_; }
  size_t MemoryBytes() const {
    return sizeof(*this) + cylinders_.capacity() * sizeof(Cylinder) + points_.capacity() * sizeof(Point);
  }

 private:
  std::vector<Cylinder> cylinders_;
  std::vector<Point> points_;
};

// A probe prepared once; immutable, so one probe can be matched from many threads at once.
class FingerProbe {
 public:
  explicit FingerProbe(const FingerTemplate& tmpl) : search_(tmpl) {}
  explicit FingerProbe(SearchTemplate search) : search_(std::move(search)) {}

  // Similarity in [0, 1] (see the scale above). Thread-safe.
  float Match(const SearchTemplate& candidate) const;
  // The same algorithm through the portable scalar kernel: the reference the fast path (chosen at
  // run time for the CPU) is tested and benchmarked against. Same scores, bit for bit.
  float MatchReference(const SearchTemplate& candidate) const;
  const SearchTemplate& search() const { return search_; }

 private:
  SearchTemplate search_;
};

// Convenience 1:1 comparison of two extracted (or ISO-decoded) templates.
float MatchTemplates(const FingerTemplate& a, const FingerTemplate& b);

}  // namespace idreg::finger

#endif  // IDREG_FINGER_MATCHER_H_
