// `idreg eval finger --identify`: closed-set identification within one database, each image
// searched against all the others through the two-stage FingerGallery, exhaustively and with
// coarse shortlists of given sizes, so that what the coarse stage costs in rank-1 is measured by
// a repository command (issue: within 0.5 points of exhaustive fine matching).
#include <algorithm>
#include <chrono>
#include <cmath>

#include "cli/finger_commands.h"
#include "idreg/finger/gallery.h"

namespace idreg::cli {

nlohmann::json EvalFingerIdentification(const std::vector<const finger::FingerTemplate*>& templates,
                                        const std::vector<int>& fingers, const std::vector<double>& percents) {
  finger::FingerGallery gallery;
  std::vector<size_t> origin;  // gallery index -> input index
  for (size_t i = 0; i < templates.size(); ++i) {
    if (!templates[i]) continue;
    gallery.Add(*templates[i]);
    origin.push_back(i);
  }
  const size_t n = gallery.size();
  nlohmann::json out = {{"probes", n}, {"gallery", n > 0 ? n - 1 : 0}};
  if (n < 2) return out;

  // The best candidate other than the probe itself: is it a mate?
  auto rank1 = [&](size_t shortlist, double& ms) {
    size_t hits = 0;
    const auto start = std::chrono::steady_clock::now();
    for (size_t g = 0; g < n; ++g) {
      finger::FingerGallery::SearchOptions o;
      o.top_k = 2;
      o.shortlist = shortlist == 0 ? 0 : shortlist + 1;  // the probe finds itself first
      for (const auto& c : gallery.Search(*templates[origin[g]], o)) {
        if (c.index == g) continue;
        hits += fingers[origin[c.index]] == fingers[origin[g]];
        break;
      }
    }
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / n;
    return static_cast<double>(hits) / n;
  };
  double ms = 0;
  out["rank1_exhaustive"] = rank1(0, ms);
  out["search_ms_exhaustive"] = ms;

  // Where the coarse stage puts the first mate (0 = first among the others).
  std::vector<size_t> first_mate;
  for (size_t g = 0; g < n; ++g) {
    const auto order = gallery.CoarseShortlist(
        finger::MakeCoarseTemplate(finger::SearchTemplate(*templates[origin[g]])), n, 0);
    size_t rank = 0;
    for (uint32_t c : order) {
      if (c == g) continue;
      if (fingers[origin[c]] == fingers[origin[g]]) break;
      ++rank;
    }
    first_mate.push_back(rank);
  }
  std::sort(first_mate.begin(), first_mate.end());
  out["coarse_first_mate_rank_median"] = first_mate[n / 2];
  out["coarse_first_mate_rank_p95"] = first_mate[std::min(n - 1, n * 95 / 100)];
  out["coarse_first_mate_rank_max"] = first_mate.back();

  nlohmann::json shortlists = nlohmann::json::array();
  for (double p : percents) {
    const size_t count = std::max<size_t>(1, static_cast<size_t>(std::lround(p / 100.0 * (n - 1))));
    const double r = rank1(count, ms);
    shortlists.push_back({{"percent", p}, {"shortlist", count}, {"rank1", r},
                          {"loss_points", (out["rank1_exhaustive"].get<double>() - r) * 100},
                          {"search_ms", ms}});
  }
  out["shortlists"] = shortlists;
  return out;
}

}  // namespace idreg::cli
