// A fingerprint gallery prepared for 1:N search in two stages (doc/finger-gallery.md):
//  1. a coarse stage over every template: each cylinder is downsampled to 8 x 8 cells x 6 directions
//     (2 x 2 cells merged by majority) with its validity mask, and a direction byte; a probe
//     cylinder's best MCC bit similarity over the cells valid in both, among the candidate's
//     cylinders within 90 degrees of direction, approximates its local similarity, and the mean of
//     the best n_P (as MCC's LSS) ranks the gallery. AND + XOR + POPCNT, with an AVX-512 VPOPCNTDQ
//     kernel chosen at run time and a scalar reference giving equal scores;
//  2. the full MCC matcher (FingerProbe::Match, LSS-R and consolidation) on the `shortlist`
//     best-ranked templates, whose cylinders are rebuilt from the stored minutiae.
// The gallery keeps per template only the minutiae (6 bytes each) and the coarse codes (97 bytes per
// cylinder), so a million templates fit in about 3.4 GB. It serialises to a versioned binary form
// (SerializeGallery / ParseGallery) that loads without rebuilding any cylinder.
#ifndef IDREG_FINGER_GALLERY_H_
#define IDREG_FINGER_GALLERY_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/finger/matcher.h"
#include "idreg/finger/minutia.h"

namespace idreg::finger {

// The coarse form of one template: per usable cylinder 384 cell bits, then 384 validity bits (6 words
// each), and a direction byte.
struct CoarseTemplate {
  static constexpr int kCodeWords = 12;
  std::vector<uint64_t> codes;      // kCodeWords per cylinder
  std::vector<uint8_t> directions;  // 256 steps per turn, image axes
  size_t size() const { return directions.size(); }
};
CoarseTemplate MakeCoarseTemplate(const SearchTemplate& search);

// Coarse similarity of a probe with a candidate (larger is more alike; 0 when nothing agrees).
// The fast kernel (chosen for the CPU) and the portable scalar reference give equal results.
uint32_t CoarseScore(const CoarseTemplate& probe, const CoarseTemplate& candidate);
uint32_t CoarseScoreReference(const CoarseTemplate& probe, const CoarseTemplate& candidate);

class FingerGallery {
 public:
  struct Candidate {
    uint32_t index = 0;  // in the order of Add
    float score = 0;     // FingerProbe::Match's scale (matcher.h)
  };
  struct SearchOptions {
    size_t top_k = 10;
    // Templates kept by the coarse stage for fine matching; 0 = fine-match every template (the
    // exhaustive reference).
    size_t shortlist = 500;
    unsigned threads = 0;  // 0 = every core
  };

  // Adds a template; returns its index. Not thread-safe against searches.
  uint32_t Add(const FingerTemplate& tmpl);
  // Appends every template of `other` (no cylinder is rebuilt): galleries built in parallel
  // slices are joined this way.
  void Append(const FingerGallery& other);
  size_t size() const { return counts_.size(); }
  // Heap bytes held (minutiae, codes, offsets).
  size_t MemoryBytes() const;

  // The best `top_k` candidates, best first (ties by index). Thread-safe (const).
  std::vector<Candidate> Search(const FingerTemplate& probe, const SearchOptions& options) const;
  // The coarse stage alone: the `count` best indices by coarse score, best first; `reference`
  // runs the portable scalar kernel (same result) for tests and benchmarks.
  std::vector<uint32_t> CoarseShortlist(const CoarseTemplate& probe, size_t count, unsigned threads,
                                        bool reference = false) const;
  // Template `index` rebuilt from the stored minutiae (directions rounded to 1/65536 turn).
  FingerTemplate Template(uint32_t index) const;

 private:
  friend Bytes SerializeGallery(const FingerGallery& gallery);
  friend Result<FingerGallery> ParseGallery(std::span<const uint8_t> bytes);

  struct PackedMinutia {
    uint16_t x, y, direction;  // direction: 65536 steps per turn (ISO convention)
  };
  std::vector<uint32_t> minutia_offsets_{0};  // size() + 1 entries
  std::vector<PackedMinutia> minutiae_;
  std::vector<uint32_t> code_offsets_{0};  // in cylinders; size() + 1 entries
  std::vector<uint16_t> counts_;            // cylinders per template
  std::vector<uint64_t> codes_;
  std::vector<uint8_t> directions_;
  std::vector<uint16_t> sizes_;  // width, height of each template, interleaved
};

// The versioned compact form (doc/finger-gallery.md): "IDFG", a version byte, the counts, then the
// arrays. ParseGallery checks every length and offset and names what is wrong.
Bytes SerializeGallery(const FingerGallery& gallery);
Result<FingerGallery> ParseGallery(std::span<const uint8_t> bytes);

}  // namespace idreg::finger

#endif  // IDREG_FINGER_GALLERY_H_
