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

  const double delta_s = 2 * kCylinderRadius / kNs;
  const int cells_within_r = CellsWithinRadius();
  // A cheap test on the hull's edge lines before OpenCV's exact distance: inside all lines means
  // inside the hull; more than the offset outside one line means farther than the offset from the
  // hull. Only the cells in between need pointPolygonTest, so the decisions are exactly those of
  // testing every cell.
  const std::vector<HullLine> lines = HullLines(hull);
  auto outside_hull = [&](double px, double py) {
    if (!lines.empty()) {
      double worst = 0;
      for (const HullLine& l : lines) worst = std::min(worst, l.a * px + l.b * py + l.c);
      if (worst >= 1e-3) return false;               // clearly inside
      if (worst < -kHullOffset - 1e-2) return true;  // clearly farther than the offset
    }
    return cv::pointPolygonTest(hull, cv::Point2f(static_cast<float>(px), static_cast<float>(py)), true) <
           -kHullOffset;
  };
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
        if (outside_hull(px, py)) continue;
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
