// Internals shared by the cylinder builder and the matchers (fast and reference).
#ifndef IDREG_SRC_FINGER_MCC_INTERNAL_H_
#define IDREG_SRC_FINGER_MCC_INTERNAL_H_

#include <cmath>
#include <opencv2/core/types.hpp>
#include <vector>

#include "finger/parameters.h"
#include "idreg/finger/matcher.h"

namespace idreg::finger {

// Spatial cells whose centre lies within the cylinder radius.
int CellsWithinRadius();

// The share of a Gaussian (sigma_D) centred on `alpha` that falls within one direction bin.
double DirectionalContribution(double alpha);

// An angle difference brought to [-pi, pi).
template <typename Real>
inline Real NormAngle(Real a) {
  constexpr Real pi = static_cast<Real>(params::kPi);
  a = std::fmod(a + pi, 2 * pi);
  return (a < 0 ? a + 2 * pi : a) - pi;
}

// Steps both cylinder builders take (cylinders.cc: the full MCC cylinders; coarse_direct.cc: the
// coarse codes straight from the minutiae), shared so that their cells agree bit for bit.
struct MinutiaPoint {
  double x, y, dir;  // image axes (y down); direction in radians
};
// A hull edge as the line a*x + b*y + c = signed distance, positive inside (the hull is convex).
struct HullLine {
  double a, b, c;
};
// A minutia that can reach a cylinder's cells, with its direction-bin contributions relative to
// the cylinder's centre minutia.
struct NeighbourContribution {
  double x, y;
  double contribution[params::kCylinderDirections];
};

// The template's minutiae in image axes (ISO directions are counter-clockwise with y up) and, for
// three or more, the convex hull of their positions.
void MinutiaGeometry(const FingerTemplate& tmpl, std::vector<MinutiaPoint>* points, std::vector<cv::Point2f>* hull);
// The hull's edges as lines; empty for a degenerate hull (fewer than 3 vertices or no area).
std::vector<HullLine> HullLines(const std::vector<cv::Point2f>& hull);
// Distance from (px, py) to the closed polygon's boundary, computed as cv::pointPolygonTest(hull,
// p, true) computes it (differences in float widened to double, the nearest edge segment), without
// its per-call overhead (40% of building a cylinder).
double HullBoundaryDistance(const std::vector<cv::Point2f>& hull, float px, float py);
// Whether a cell centre lies more than kHullOffset outside the hull: the decision
// cv::pointPolygonTest(hull, float point, true) < -kHullOffset, taken by the edge lines where they
// are clear and by HullBoundaryDistance in between (OpenCV itself only for degenerate hulls).
// tests/finger/hull_distance_test.cc checks both against OpenCV.
bool BeyondHullOffset(const std::vector<cv::Point2f>& hull, const std::vector<HullLine>& lines, double px,
                      double py);
// Whether minutia `c` has at least minM others near enough to reach its cylinder.
bool HasCylinderNeighbours(const std::vector<MinutiaPoint>& points, size_t c);
// The minutiae that can reach any cell of `c`'s cylinder, in index order (so that sums run in the
// same order as over all minutiae).
void CollectNeighbours(const std::vector<MinutiaPoint>& points, size_t c, std::vector<NeighbourContribution>* near);

// The direction-bin sums at one cell centre.
inline void CellSums(const std::vector<NeighbourContribution>& near, double px, double py,
                     double sums[params::kCylinderDirections]) {
  constexpr double reach = 3 * params::kCylinderSigmaS;
  const double gauss_norm = 1 / (params::kCylinderSigmaS * std::sqrt(2 * params::kPi));
  for (int k = 0; k < params::kCylinderDirections; ++k) sums[k] = 0;
  for (const NeighbourContribution& o : near) {
    const double dx = o.x - px, dy = o.y - py;
    const double d2 = dx * dx + dy * dy;
    if (d2 > reach * reach) continue;
    const double spatial = gauss_norm * std::exp(-d2 / (2 * params::kCylinderSigmaS * params::kCylinderSigmaS));
    for (int k = 0; k < params::kCylinderDirections; ++k) sums[k] += spatial * o.contribution[k];
  }
}

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_MCC_INTERNAL_H_
