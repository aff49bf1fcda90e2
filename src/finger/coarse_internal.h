// The coarse stage's kernel over the gallery's flat arrays: a probe prepared once (its codes
// transposed into blocks of 8 cylinders, so that one 512-bit register holds one code word of 8
// probe cylinders) scored against one candidate's cylinder-major codes.
#ifndef IDREG_SRC_FINGER_COARSE_INTERNAL_H_
#define IDREG_SRC_FINGER_COARSE_INTERNAL_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "finger/parameters.h"
#include "idreg/finger/gallery.h"

namespace idreg::finger {

struct PreparedCoarseProbe {
  int count = 0;                    // probe cylinders scanned (the best placed, coarse_code.cc)
  int pairs_from = 0;               // all the probe's cylinders: n_P is taken from this count
  int blocks = 0;                   // ceil(count / 8)
  std::vector<uint64_t> words;      // [block][word][8]
  std::vector<uint64_t> directions; // [block][8], padding lanes never pass the gate
  // `scanned`: how many of the best-placed probe cylinders are scanned (the prefilter scans fewer).
  explicit PreparedCoarseProbe(const CoarseTemplate& probe, int scanned = params::kCoarseProbeCylinders);
};

using CoarseKernel = uint32_t (*)(const PreparedCoarseProbe& probe, const uint64_t* codes,
                                  const uint8_t* directions, int count);
uint32_t CoarseKernelScalar(const PreparedCoarseProbe& probe, const uint64_t* codes, const uint8_t* directions,
                            int count);
CoarseKernel BestCoarseKernel();

// The candidate cylinders the coarse score compares: all of a template's when it has at most
// params::kCoarseGalleryCylinders, else that many with the most valid coarse cells (the best placed
// within the print; ties: the first), in stored order. The stored codes keep every cylinder; the
// choice is made at scan time (a few POPCNTs per cylinder), and the kept cylinders are copied
// here so that every kernel sees a contiguous candidate.
struct CandidateCylinders {
  const uint64_t* codes = nullptr;
  const uint8_t* directions = nullptr;
  int count = 0;
  void Choose(const uint64_t* all_codes, const uint8_t* all_directions, int all_count);

 private:
  uint64_t kept_codes_[params::kCoarseGalleryCylinders * CoarseTemplate::kCodeWords];
  uint8_t kept_directions_[params::kCoarseGalleryCylinders];
};

// The coarse score of a stored candidate: its cylinders chosen as above, then `kernel`.
inline uint32_t CoarseCompare(CoarseKernel kernel, const PreparedCoarseProbe& probe, const uint64_t* codes,
                              const uint8_t* directions, int count, CandidateCylinders& scratch) {
  scratch.Choose(codes, directions, count);
  return kernel(probe, scratch.codes, scratch.directions, scratch.count);
}
// Every kernel this CPU can run, by name (the scalar reference first), for tests and benchmarks.
std::vector<std::pair<const char*, CoarseKernel>> CoarseKernelsForThisCpu();

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_COARSE_INTERNAL_H_
