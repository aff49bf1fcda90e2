// A fingerprint gallery prepared for 1:N search in two stages (doc/finger-gallery.md):
//  1. a coarse stage over every template: each cylinder is downsampled to 8 x 8 cells x 6 directions
//     (2 x 2 cells merged by majority) with its validity mask, and a direction byte; a probe
//     cylinder's best MCC bit similarity over the cells valid in both, among the candidate's
//     cylinders within 90 degrees of direction, approximates its local similarity, and the mean of
//     the best n_P (as MCC's LSS) ranks the gallery. A candidate is compared through its 16
//     best-placed cylinders (the gallery keeps only those); searches admitting 100,000 or more are
//     first prefiltered with the probe's 8 best-placed cylinders (the best 1% kept). AND + XOR +
//     POPCNT, with an AVX-512 VPOPCNTDQ kernel chosen at run time and a scalar reference giving
//     equal scores; the threads take blocks of templates in turn, so any filter keeps every core
//     busy, and the result equals a one-thread scan's;
//  2. the full MCC matcher (FingerProbe::Match, LSS-R and consolidation) on the `shortlist`
//     best-ranked templates, whose cylinders are rebuilt from the stored minutiae.
// The gallery keeps per template only the minutiae (6 bytes each) and the 16 compared cylinders'
// coarse codes (97 bytes each), so a million templates fit in about 1.8 GB. It serialises to a versioned binary form
// (SerializeGallery / ParseGallery) that loads without rebuilding any cylinder.
#ifndef IDREG_FINGER_GALLERY_H_
#define IDREG_FINGER_GALLERY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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
// The same codes straight from the minutiae, without the full cylinders (several times faster; used by
// FingerGallery::Add).
CoarseTemplate MakeCoarseTemplate(const FingerTemplate& tmpl);

// The part of a template's coarse form that a gallery keeps and the coarse scan compares: its
// kCoarseGalleryCylinders (16) cylinders with the most valid coarse cells (the best placed; ties:
// the first), in their order; the whole form when it has no more (or is malformed). A probe keeps
// its full form (its best 24 are scanned, n_P comes from all of them). Scores against the kept
// part equal scores against the whole form (the scan would choose the same cylinders).
CoarseTemplate GalleryCoarseTemplate(const CoarseTemplate& all);

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

  // Which templates a search may consider (the engine: a finger position and a selector's subset).
  // Removed templates are never considered.
  struct Filter {
    // Tags admitted: tag t when bit t % 64 of tags[t / 64] is set; every tag by default.
    std::array<uint64_t, 4> tags{~0ull, ~0ull, ~0ull, ~0ull};
    // When not null: only the indices whose bit is set (bit i % 64 of word i / 64; words past its
    // end count as zero), e.g. the templates of a watchlist's profiles.
    const std::vector<uint64_t>* subset = nullptr;
    void OnlyTags(std::initializer_list<uint8_t> admitted) {
      tags = {};
      for (uint8_t t : admitted) tags[t / 64] |= uint64_t{1} << (t % 64);
    }
    bool AdmitsTag(uint8_t t) const { return (tags[t / 64] >> (t % 64)) & 1; }
  };
  static constexpr uint32_t kRemoved = 0xffffffffu;

  // Adds a template; returns its index. Not thread-safe against searches. `tag` is the caller's
  // label for filtered searches (the engine: its finger position code); it is not persisted.
  uint32_t Add(const FingerTemplate& tmpl);
  uint32_t Add(const FingerTemplate& tmpl, uint8_t tag);
  // The same with the coarse codes already built (parsed from their stored form): no cylinder is
  // built. `coarse` must be MakeCoarseTemplate of the template (capped at 255 minutiae); a coarse
  // form that cannot be (more cylinders than minutiae, codes of the wrong length) is ignored and
  // the codes are built.
  uint32_t Add(const FingerTemplate& tmpl, const CoarseTemplate& coarse, uint8_t tag);
  // Deletion by tombstone: the template stays in the arrays, cleared in the live bitmap, so that
  // indices held by the caller stay valid and a removal costs O(1); searches skip it. Compact()
  // drops the removed templates in place and returns, per old index, its new index or kRemoved.
  // Neither is thread-safe against searches. Removing twice or out of range does nothing.
  void Remove(uint32_t index);
  bool alive(uint32_t index) const { return index < size() && ((live_[index / 64] >> (index % 64)) & 1); }
  size_t removed() const { return removed_; }
  std::vector<uint32_t> Compact();
  uint8_t tag(uint32_t index) const { return tags_[index]; }
  void SetTag(uint32_t index, uint8_t tag) { tags_[index] = tag; }
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

  // Filtered forms of the above (removed templates are skipped by every search). The coarse
  // stage over the templates the filter admits only:
  // Where a coarse stage's time went (benchmarks): the prefilter pass, the full-score pass (the
  // only pass on galleries below the prefilter's size) and the merges of the threads' bests, each
  // wall and CPU (summed over the threads) in seconds; the templates admitted (counted only on
  // galleries large enough to prefilter) and kept by the prefilter.
  // `busiest_cpu_s`: per pass, the CPU time of the thread that worked most, summed over the passes
  // (the CPU sum over it bounds the parallel speed-up whatever else loads the machine).
  struct CoarseStats {
    double prefilter_wall_s = 0, prefilter_cpu_s = 0, score_wall_s = 0, score_cpu_s = 0, merge_s = 0;
    double busiest_cpu_s = 0;
    size_t admitted = 0, kept = 0;
  };
  std::vector<uint32_t> CoarseShortlist(const CoarseTemplate& probe, size_t count, unsigned threads,
                                        const Filter& filter, bool reference = false,
                                        CoarseStats* stats = nullptr) const;
  // Live templates the filter admits.
  size_t CountAdmitted(const Filter& filter) const;
  // The fine stage alone (full MCC, cylinders rebuilt from the stored minutiae) on these indices,
  // on `threads` threads; scores in the order of `indices` (0 for a removed index).
  std::vector<float> MatchIndices(const FingerProbe& probe, std::span<const uint32_t> indices, unsigned threads) const;
  // Both stages: the coarse stage over the admitted templates, full MCC on the shortlist; the
  // fine stage on every admitted template when their number is no larger than the shortlist.
  std::vector<Candidate> Search(const FingerProbe& probe, const SearchOptions& options, const Filter& filter) const;

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
  std::vector<uint8_t> tags_;    // per template (Add's tag; 0 when parsed or added without one)
  std::vector<uint64_t> live_;   // bit per template: not removed
  size_t removed_ = 0;

  void PushLive();
  // Runs fn(i) for every live, admitted index in [begin, end).
  template <typename Fn>
  void ForEachAdmitted(const Filter& filter, size_t begin, size_t end, Fn fn) const;
};

// The versioned compact form (doc/finger-gallery.md): "IDFG", a version byte, the counts, then the
// arrays. ParseGallery checks every length and offset and names what is wrong. Removed templates
// are not written (the form holds the live templates in index order); tags are not written.
Bytes SerializeGallery(const FingerGallery& gallery);
Result<FingerGallery> ParseGallery(std::span<const uint8_t> bytes);

// The persistent form of one template's coarse codes, stored beside the template so that a gallery
// loads without building them (doc/finger-gallery.md, "Per-template coarse form"): "IDFC", the
// version, 3 zero bytes, the template's minutia count and the count of cylinders kept (uint16
// each), the codes (96 bytes per cylinder), the direction bytes. SerializeCoarse keeps the
// cylinders GalleryCoarseTemplate keeps; ParseCoarse refuses more. ParseCoarse checks every length and names what
// is wrong; a form of another version is refused (kCoarseFormVersion), and the caller then builds
// the codes from the minutiae.
// MUST be bumped with ANY change to what MakeCoarseTemplate produces (coarse_code.cc,
// coarse_direct.cc, the coarse and cylinder constants of parameters.h, CoarseTemplate's layout),
// exactly when IDFG's version (gallery_format.cc) changes: a stored form of an older definition
// must never be searched as if it were current.
// 2: only the cylinders a gallery keeps (GalleryCoarseTemplate, at most 16); 1 held every cylinder.
inline constexpr uint8_t kCoarseFormVersion = 2;
struct ParsedCoarse {
  CoarseTemplate coarse;
  uint16_t minutiae = 0;  // of the template the codes were built from (after the 255 cap)
};
Bytes SerializeCoarse(const CoarseTemplate& coarse, size_t minutiae);
Result<ParsedCoarse> ParseCoarse(std::span<const uint8_t> bytes);

}  // namespace idreg::finger

#endif  // IDREG_FINGER_GALLERY_H_
