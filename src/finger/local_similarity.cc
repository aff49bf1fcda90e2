// Bit-MCC local similarity (Cappelli et al. 2010, eq. 17). The same template body is compiled twice:
// portable (the compiler's generic popcount) and with the POPCNT and AVX2 instructions, selected
// by __builtin_cpu_supports. Both compute the same integers, so their scores are identical.
#include "finger/local_similarity.h"

#include <cmath>

#include "finger/mcc_internal.h"
#include "finger/parameters.h"

namespace idreg::finger {
namespace {

using Cylinder = SearchTemplate::Cylinder;

// Always inlined, so each caller compiles it with its own instruction set.
__attribute__((always_inline)) inline void Kernel(const std::vector<Cylinder>& as,
                                                  const std::vector<Cylinder>& bs, int min_common,
                                                  std::vector<LocalPair>& out) {
  out.clear();
  for (size_t i = 0; i < as.size(); ++i) {
    const Cylinder& a = as[i];
    for (size_t j = 0; j < bs.size(); ++j) {
      const Cylinder& b = bs[j];
      if (std::fabs(NormAngle(a.direction - b.direction)) > params::kMaxDirectionDiff) continue;
      int common = 0, na = 0, nb = 0, diff = 0;
      for (int w = 0; w < SearchTemplate::kWords; ++w) {
        const uint64_t v = a.valid[w] & b.valid[w];
        const uint64_t ca = a.bits[w] & v, cb = b.bits[w] & v;
        common += __builtin_popcountll(v);
        na += __builtin_popcountll(ca);
        nb += __builtin_popcountll(cb);
        diff += __builtin_popcountll(ca ^ cb);
      }
      if (common < min_common || na + nb == 0) continue;
      const float s = 1 - std::sqrt(static_cast<float>(diff)) /
                              (std::sqrt(static_cast<float>(na)) + std::sqrt(static_cast<float>(nb)));
      if (s > 0) out.push_back({static_cast<int>(i), static_cast<int>(j), s});
    }
  }
}

#if defined(__x86_64__)
#define IDREG_HAVE_POPCNT_KERNEL 1
__attribute__((target("popcnt,avx2"))) void LocalSimilaritiesPopcnt(const std::vector<Cylinder>& as,
                                                                    const std::vector<Cylinder>& bs,
                                                                    int min_common,
                                                                    std::vector<LocalPair>& out) {
  Kernel(as, bs, min_common, out);
}
#endif

}  // namespace

void LocalSimilaritiesScalar(const std::vector<Cylinder>& as, const std::vector<Cylinder>& bs, int min_common,
                             std::vector<LocalPair>& out) {
  Kernel(as, bs, min_common, out);
}

LocalSimilarityKernel BestLocalSimilarityKernel() {
#ifdef IDREG_HAVE_POPCNT_KERNEL
  static const bool fast = __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("avx2");
  if (fast) return LocalSimilaritiesPopcnt;
#endif
  return LocalSimilaritiesScalar;
}

}  // namespace idreg::finger
