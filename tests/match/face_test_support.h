// The brute-force reference the face gallery tests compare with: every stored descriptor scored
// by the gallery's scale (1 - Euclidean distance), the best sample per profile, best first.
#ifndef IDREG_TESTS_MATCH_FACE_TEST_SUPPORT_H_
#define IDREG_TESTS_MATCH_FACE_TEST_SUPPORT_H_

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "idreg/core/id.h"
#include "idreg/face/networks.h"

namespace idreg::match::testing {

struct StoredFace {
  ProfileId profile;
  Id sample;
  face::Descriptor d;
};

inline double BruteSimilarity(const face::Descriptor& a, const face::Descriptor& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i] - b[i]) * double(a[i] - b[i]);
  return 1.0 - std::sqrt(s);
}

inline std::vector<std::pair<ProfileId, double>> BruteTopK(const std::vector<StoredFace>& stored,
                                                           const face::Descriptor& q, size_t k) {
  std::map<ProfileId, double> best;
  for (const StoredFace& s : stored) {
    const double v = BruteSimilarity(q, s.d);
    auto [it, fresh] = best.emplace(s.profile, v);
    if (!fresh) it->second = std::max(it->second, v);
  }
  std::vector<std::pair<ProfileId, double>> out(best.begin(), best.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > k) out.resize(k);
  return out;
}

}  // namespace idreg::match::testing

#endif  // IDREG_TESTS_MATCH_FACE_TEST_SUPPORT_H_
