#include "idreg/eval/error_rates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace idreg::eval {

std::vector<DetPoint> ComputeDet(std::vector<double> genuine, std::vector<double> impostor) {
  std::sort(genuine.begin(), genuine.end());
  std::sort(impostor.begin(), impostor.end());
  std::vector<double> thresholds(genuine);
  thresholds.insert(thresholds.end(), impostor.begin(), impostor.end());
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  thresholds.push_back(
      thresholds.empty() ? 1 : std::nextafter(thresholds.back(), std::numeric_limits<double>::max()));
  std::vector<DetPoint> det;
  det.reserve(thresholds.size());
  size_t g = 0, i = 0;  // scores below the threshold
  for (double t : thresholds) {
    while (g < genuine.size() && genuine[g] < t) ++g;
    while (i < impostor.size() && impostor[i] < t) ++i;
    DetPoint p;
    p.threshold = t;
    p.fnmr = genuine.empty() ? 0 : static_cast<double>(g) / genuine.size();
    p.fmr = impostor.empty() ? 0 : static_cast<double>(impostor.size() - i) / impostor.size();
    det.push_back(p);
  }
  return det;
}

ErrorRates ComputeErrorRates(const std::vector<double>& genuine, const std::vector<double>& impostor) {
  ErrorRates r;
  r.genuine = genuine.size();
  r.impostor = impostor.size();
  if (genuine.empty() || impostor.empty()) return r;
  const std::vector<DetPoint> det = ComputeDet(genuine, impostor);
  // The crossing: the last point with FNMR < FMR and the next one (FVC2000's definition).
  size_t k = 0;
  while (k + 1 < det.size() && det[k + 1].fnmr < det[k + 1].fmr) ++k;
  const DetPoint& lo = det[k];
  const DetPoint& hi = det[std::min(k + 1, det.size() - 1)];
  if (lo.fnmr + lo.fmr <= hi.fnmr + hi.fmr) {
    r.eer = (lo.fnmr + lo.fmr) / 2, r.eer_threshold = lo.threshold;
  } else {
    r.eer = (hi.fnmr + hi.fmr) / 2, r.eer_threshold = hi.threshold;
  }
  auto lowest_fnmr = [&](double max_fmr) {
    double best = 1;
    for (const DetPoint& p : det) {
      if (p.fmr <= max_fmr) best = std::min(best, p.fnmr);
    }
    return best;
  };
  r.fmr100 = lowest_fnmr(0.01);
  r.fmr1000 = lowest_fnmr(0.001);
  r.fmr10000 = lowest_fnmr(0.0001);
  r.zero_fmr = lowest_fnmr(0);
  return r;
}

}  // namespace idreg::eval
