// The local-similarity kernel of the matcher: the MCC similarity of every probe cylinder with every
// candidate cylinder. A scalar reference and a POPCNT/AVX2 build of the same code, chosen at run
// time (never -march=native); a test asserts they give identical scores.
#ifndef IDREG_SRC_FINGER_LOCAL_SIMILARITY_H_
#define IDREG_SRC_FINGER_LOCAL_SIMILARITY_H_

#include <vector>

#include "idreg/finger/matcher.h"

namespace idreg::finger {

struct LocalPair {
  int a, b;
  float similarity;
};

// Appends every pair with a non-zero similarity to `out` (cleared first).
using LocalSimilarityKernel = void (*)(const std::vector<SearchTemplate::Cylinder>& as,
                                       const std::vector<SearchTemplate::Cylinder>& bs, int min_common,
                                       std::vector<LocalPair>& out);

void LocalSimilaritiesScalar(const std::vector<SearchTemplate::Cylinder>& as,
                             const std::vector<SearchTemplate::Cylinder>& bs, int min_common,
                             std::vector<LocalPair>& out);

// The fastest kernel this CPU supports.
LocalSimilarityKernel BestLocalSimilarityKernel();

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_LOCAL_SIMILARITY_H_
