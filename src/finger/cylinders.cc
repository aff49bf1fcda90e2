// Minutia Cylinder-Code construction, bit form (Cappelli, Ferrara & Maltoni 2010, sections 3-4).
// A cylinder is centred on a minutia and rotated with it; cell (i, j, k) is set when the minutiae
// near the cell's centre, weighted by distance, have a direction relative to the centre minutia
// close to the k-th direction bin.
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/mcc_internal.h"
#include "idreg/finger/matcher.h"

namespace idreg::finger {
namespace {

using namespace params;

constexpr int kNs = kCylinderCells;
constexpr int kNd = kCylinderDirections;
static_assert(kNs * kNs * kNd == SearchTemplate::kWords * 64, "cylinder bits must fill the words");

}  // namespace

int CellsWithinRadius() {
  static const int count = [] {
    const double delta_s = 2 * kCylinderRadius / kNs;
    int n = 0;
    for (int i = 0; i < kNs; ++i) {
      for (int j = 0; j < kNs; ++j) {
        const double u = (i - (kNs - 1) / 2.0) * delta_s, v = (j - (kNs - 1) / 2.0) * delta_s;
        n += u * u + v * v <= kCylinderRadius * kCylinderRadius;
      }
    }
    return n;
  }();
  return count;
}

SearchTemplate::SearchTemplate(const FingerTemplate& tmpl) {
  std::vector<MinutiaPoint> pts;
  std::vector<cv::Point2f> hull;
  MinutiaGeometry(tmpl, &pts, &hull);
  if (pts.size() < 3) return;
  for (const MinutiaPoint& m : pts)
    points_.push_back({static_cast<float>(m.x), static_cast<float>(m.y), static_cast<float>(m.dir)});

  const double delta_s = 2 * kCylinderRadius / kNs;
  const int cells_within_r = CellsWithinRadius();
  const std::vector<HullLine> lines = HullLines(hull);
  std::vector<NeighbourContribution> near;
  for (size_t c = 0; c < pts.size(); ++c) {
    const MinutiaPoint& m = pts[c];
    if (!HasCylinderNeighbours(pts, c)) continue;
    CollectNeighbours(pts, c, &near);
    Cylinder cyl;
    cyl.x = static_cast<float>(m.x);
    cyl.y = static_cast<float>(m.y);
    cyl.direction = static_cast<float>(m.dir);
    const double co = std::cos(m.dir), si = std::sin(m.dir);
    int valid_cells = 0;
    for (int i = 0; i < kNs; ++i) {
      for (int j = 0; j < kNs; ++j) {
        const double u = (i - (kNs - 1) / 2.0) * delta_s, v = (j - (kNs - 1) / 2.0) * delta_s;
        if (u * u + v * v > kCylinderRadius * kCylinderRadius) continue;
        const double px = m.x + co * u - si * v, py = m.y + si * u + co * v;
        if (BeyondHullOffset(hull, lines, px, py)) continue;
        ++valid_cells;
        double sums[kNd];
        CellSums(near, px, py, sums);
        for (int k = 0; k < kNd; ++k) {
          const int bit = (k * kNs + i) * kNs + j;
          cyl.valid[bit / 64] |= uint64_t{1} << (bit % 64);
          if (sums[k] >= kCylinderMuPsi) cyl.bits[bit / 64] |= uint64_t{1} << (bit % 64);
        }
      }
    }
    if (valid_cells < kMinValidCellsRatio * cells_within_r) continue;
    int bits = 0, valid = 0;
    for (int w = 0; w < kWords; ++w)
      bits += __builtin_popcountll(cyl.bits[w]), valid += __builtin_popcountll(cyl.valid[w]);
    cyl.bits_count = static_cast<uint16_t>(bits);
    cyl.valid_count = static_cast<uint16_t>(valid);
    cylinders_.push_back(cyl);
  }
}

void MinutiaGeometry(const FingerTemplate& tmpl, std::vector<MinutiaPoint>* points, std::vector<cv::Point2f>* hull) {
  points->clear();
  hull->clear();
  std::vector<cv::Point2f> hull_in;
  for (const Minutia& m : tmpl.minutiae) {
    points->push_back({static_cast<double>(m.x), static_cast<double>(m.y), NormAngle(-static_cast<double>(m.direction))});
    hull_in.emplace_back(static_cast<float>(m.x), static_cast<float>(m.y));
  }
  if (points->size() >= 3) cv::convexHull(hull_in, *hull);
}

std::vector<HullLine> HullLines(const std::vector<cv::Point2f>& hull) {
  std::vector<HullLine> lines;
  double area2 = 0;
  for (size_t i = 0; i < hull.size(); ++i) {
    const cv::Point2f& p = hull[i];
    const cv::Point2f& q = hull[(i + 1) % hull.size()];
    area2 += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
  }
  for (size_t i = 0; i < hull.size() && hull.size() >= 3 && area2 != 0; ++i) {
    const cv::Point2f& p = hull[i];
    const cv::Point2f& q = hull[(i + 1) % hull.size()];
    const double ex = static_cast<double>(q.x) - p.x, ey = static_cast<double>(q.y) - p.y;
    const double len = std::hypot(ex, ey);
    if (len == 0) continue;
    const double sign = area2 > 0 ? 1 : -1;  // counter-clockwise (y up) or clockwise
    const double a = -ey / len * sign, b = ex / len * sign;
    lines.push_back({a, b, -(a * p.x + b * p.y)});
  }
  return lines;
}

double HullBoundaryDistance(const std::vector<cv::Point2f>& hull, float px, float py) {
  // OpenCV's float contour branch: the differences are float expressions, widened to double.
  double min_num = 1e300, min_den = 1;
  cv::Point2f v0 = hull.back();
  for (const cv::Point2f& v : hull) {
    const double dx = v.x - v0.x, dy = v.y - v0.y;
    const double dx1 = px - v0.x, dy1 = py - v0.y;
    const double dx2 = px - v.x, dy2 = py - v.y;
    double num, den = 1;
    if (dx1 * dx + dy1 * dy <= 0) {
      num = dx1 * dx1 + dy1 * dy1;
    } else if (dx2 * dx + dy2 * dy >= 0) {
      num = dx2 * dx2 + dy2 * dy2;
    } else {
      num = dy1 * dx - dx1 * dy;
      num *= num;
      den = dx * dx + dy * dy;
    }
    if (num * min_den < min_num * den) min_num = num, min_den = den;
    v0 = v;
  }
  return std::sqrt(min_num / min_den);
}

bool BeyondHullOffset(const std::vector<cv::Point2f>& hull, const std::vector<HullLine>& lines, double px,
                      double py) {
  if (!lines.empty()) {
    // Inside all edge lines means inside the hull; more than the offset outside one line means
    // farther than the offset from it. Only the points in between need the exact distance.
    double worst = 0;
    for (const HullLine& l : lines) worst = std::min(worst, l.a * px + l.b * py + l.c);
    if (worst >= 1e-3) return false;
    if (worst < -kHullOffset - 1e-2) return true;
  }
  const float fx = static_cast<float>(px), fy = static_cast<float>(py);
  if (hull.size() < 3 || lines.empty()) return cv::pointPolygonTest(hull, cv::Point2f(fx, fy), true) < -kHullOffset;
  // The hull is convex: on the inner side of every edge line (tested on the float point) is inside,
  // where pointPolygonTest's distance is positive.
  double w = 1;
  for (const HullLine& l : lines) w = std::min(w, l.a * fx + l.b * fy + l.c);
  if (w >= 1e-9) return false;
  // Outside (or within rounding of an edge, where the distance is ~0): pointPolygonTest returns
  // minus the boundary distance.
  return HullBoundaryDistance(hull, fx, fy) > kHullOffset;
}

bool HasCylinderNeighbours(const std::vector<MinutiaPoint>& points, size_t c) {
  const double reach = 3 * kCylinderSigmaS;
  const MinutiaPoint& m = points[c];
  int neighbours = 0;
  for (size_t o = 0; o < points.size(); ++o) {
    const double dx = points[o].x - m.x, dy = points[o].y - m.y;
    neighbours += o != c && dx * dx + dy * dy <= (kCylinderRadius + reach) * (kCylinderRadius + reach);
  }
  return neighbours >= kMinCylinderNeighbours;
}

void CollectNeighbours(const std::vector<MinutiaPoint>& points, size_t c, std::vector<NeighbourContribution>* near) {
  const double reach = 3 * kCylinderSigmaS;
  const MinutiaPoint& m = points[c];
  near->clear();
  for (size_t o = 0; o < points.size(); ++o) {
    const double dx = points[o].x - m.x, dy = points[o].y - m.y;
    // Cell centres lie within R of m; a little slack keeps rounding from dropping a contributor.
    if (o == c || dx * dx + dy * dy > (kCylinderRadius + reach + 1) * (kCylinderRadius + reach + 1)) continue;
    NeighbourContribution n{points[o].x, points[o].y, {}};
    const double rel = NormAngle(m.dir - points[o].dir);
    for (int k = 0; k < kNd; ++k) {
      const double bin = -kPi + (k + 0.5) * 2 * kPi / kNd;
      n.contribution[k] = DirectionalContribution(NormAngle(bin - rel));
    }
    near->push_back(n);
  }
}

double DirectionalContribution(double alpha) {
  const double half = params::kPi / params::kCylinderDirections;
  const double s = std::sqrt(2.0) * params::kCylinderSigmaD;
  return 0.5 * (std::erf((alpha + half) / s) - std::erf((alpha - half) / s));
}

}  // namespace idreg::finger
