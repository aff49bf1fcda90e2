// Ranking helper shared by the galleries: the best `k` scored entries, at most one per profile.
#ifndef IDREG_SRC_MATCH_TOP_K_H_
#define IDREG_SRC_MATCH_TOP_K_H_

#include <algorithm>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "idreg/match/selector.h"

namespace idreg::match {

struct ScoredIndex {
  double score = 0;
  uint32_t index = 0;
};

// Best first; ties broken by index so that results do not depend on thread timing.
template <typename ProfileOf>
std::vector<ScoredIndex> TopKDistinct(std::vector<ScoredIndex> scored, size_t k, ProfileOf profile_of) {
  auto better = [](const ScoredIndex& a, const ScoredIndex& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  };
  std::vector<ScoredIndex> out;
  if (k == 0) return out;
  // A profile holds few samples, so the k best profiles are almost always among the first few k
  // entries: sort a prefix first and widen it only when it held too many repeats.
  size_t prefix = std::min(scored.size(), k * 4 + 16);
  for (;;) {
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(prefix), scored.end(), better);
    out.clear();
    std::unordered_set<ProfileId, IdHash> seen;
    for (size_t i = 0; i < prefix && out.size() < k; ++i) {
      if (seen.insert(profile_of(scored[i].index)).second) out.push_back(scored[i]);
    }
    if (out.size() == k || prefix == scored.size()) return out;
    prefix = std::min(scored.size(), prefix * 4);
  }
}

}  // namespace idreg::match

#endif  // IDREG_SRC_MATCH_TOP_K_H_
