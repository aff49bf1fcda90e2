// Fuzzes the LFW View 2 pairs file parser and the fold evaluation. Invariants beyond "no crash":
// an error has a message; a parsed protocol has folds x 2 x pairs_per_class pairs, every fold and
// class balanced, and the evaluation gives accuracies in [0, 1].
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "idreg/face/lfw_protocol.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = idreg::face::ParseLfwPairs(text);
  if (!p.ok()) {
    Require(!p.status().message().empty());
    return 0;
  }
  Require(p->pairs.size() == static_cast<size_t>(p->folds) * p->pairs_per_class * 2);
  std::vector<double> distances;
  for (const auto& pair : p->pairs) {
    Require(pair.fold >= 0 && pair.fold < p->folds);
    Require(!pair.name_a.empty() && !pair.name_b.empty());
    distances.push_back(pair.image_a == pair.image_b ? INFINITY : (pair.image_a % 97) / 97.0);
  }
  if (p->pairs.size() > 20000) return 0;  // evaluation is quadratic in folds; keep runs fast
  const auto r = idreg::face::EvaluateLfw(*p, distances);
  Require(r.folds.size() == static_cast<size_t>(p->folds));
  for (const auto& f : r.folds) Require(f.accuracy >= 0 && f.accuracy <= 1);
  Require(r.mean_accuracy >= 0 && r.mean_accuracy <= 1 && r.standard_error >= 0);
  return 0;
}
