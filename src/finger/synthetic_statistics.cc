// The statistics the synthetic generator is fitted to (synthetic.h), computed the same way for
// real extractions and synthetic templates so the two can be compared.
#include <algorithm>
#include <cmath>
#include <vector>

#include "finger/parameters.h"
#include "idreg/finger/synthetic.h"

namespace idreg::finger {
namespace {

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

MinutiaStatistics ComputeMinutiaStatistics(std::span<const FingerTemplate> templates) {
  MinutiaStatistics s;
  s.templates = templates.size();
  if (templates.empty()) return s;
  std::vector<double> nearest, quality, orientation_diff;
  double count_sum = 0, count_sq = 0, bifurcations = 0, minutiae = 0, opposite = 0, close_pairs = 0;
  double width = 0, height = 0, tq = 0;
  for (const FingerTemplate& t : templates) {
    const auto& ms = t.minutiae;
    count_sum += static_cast<double>(ms.size());
    count_sq += static_cast<double>(ms.size() * ms.size());
    tq += t.quality;
    if (ms.empty()) continue;
    int x0 = ms[0].x, x1 = ms[0].x, y0 = ms[0].y, y1 = ms[0].y;
    for (size_t i = 0; i < ms.size(); ++i) {
      x0 = std::min(x0, ms[i].x), x1 = std::max(x1, ms[i].x);
      y0 = std::min(y0, ms[i].y), y1 = std::max(y1, ms[i].y);
      ++minutiae;
      bifurcations += ms[i].type == MinutiaType::kBifurcation;
      quality.push_back(ms[i].quality);
      double best = -1;
      for (size_t k = 0; k < ms.size(); ++k) {
        if (k == i) continue;
        const double d = std::hypot(ms[i].x - ms[k].x, ms[i].y - ms[k].y);
        if (best < 0 || d < best) best = d;
        if (k > i && d <= 30) {
          double diff = std::fabs(std::fmod(ms[i].direction - ms[k].direction, 2 * params::kPi));
          diff = std::min(diff, 2 * params::kPi - diff);  // [0, pi]
          opposite += diff > params::kPi / 2;
          ++close_pairs;
          orientation_diff.push_back(std::min(diff, params::kPi - diff) * 180 / params::kPi);
        }
      }
      if (best >= 0) nearest.push_back(best);
    }
    width += x1 - x0;
    height += y1 - y0;
  }
  const double n = static_cast<double>(templates.size());
  s.count_mean = count_sum / n;
  s.count_sd = std::sqrt(std::max(0.0, count_sq / n - s.count_mean * s.count_mean));
  s.nearest_p10 = Percentile(nearest, 0.1);
  s.nearest_p50 = Percentile(nearest, 0.5);
  s.nearest_p90 = Percentile(nearest, 0.9);
  s.bifurcation_share = minutiae > 0 ? bifurcations / minutiae : 0;
  s.quality_p50 = Percentile(quality, 0.5);
  s.neighbour_orientation_p50 = Percentile(orientation_diff, 0.5);
  s.neighbour_opposite_share = close_pairs > 0 ? opposite / close_pairs : 0;
  s.extent_width = width / n;
  s.extent_height = height / n;
  s.template_quality_mean = tq / n;
  return s;
}

}  // namespace idreg::finger
