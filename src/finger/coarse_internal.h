// The coarse stage's kernel over the gallery's flat arrays: a probe prepared once (its codes
// transposed into blocks of 8 cylinders, so that one 512-bit register holds one code word of 8
// probe cylinders) scored against one candidate's cylinder-major codes.
#ifndef IDREG_SRC_FINGER_COARSE_INTERNAL_H_
#define IDREG_SRC_FINGER_COARSE_INTERNAL_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "idreg/finger/gallery.h"

namespace idreg::finger {

struct PreparedCoarseProbe {
  int count = 0;                    // probe cylinders scanned (the best placed, coarse_code.cc)
  int pairs_from = 0;               // all the probe's cylinders: n_P is taken from this count
  int blocks = 0;                   // ceil(count / 8)
  std::vector<uint64_t> words;      // [block][word][8]
  std::vector<uint64_t> directions; // [block][8], padding lanes never pass the gate
  explicit PreparedCoarseProbe(const CoarseTemplate& probe);
};

using CoarseKernel = uint32_t (*)(const PreparedCoarseProbe& probe, const uint64_t* codes,
                                  const uint8_t* directions, int count);
uint32_t CoarseKernelScalar(const PreparedCoarseProbe& probe, const uint64_t* codes, const uint8_t* directions,
                            int count);
CoarseKernel BestCoarseKernel();
// Every kernel this CPU can run, by name (the scalar reference first), for tests and benchmarks.
std::vector<std::pair<const char*, CoarseKernel>> CoarseKernelsForThisCpu();

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_COARSE_INTERNAL_H_
