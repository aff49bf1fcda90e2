// The coarse form of a template built straight from its minutiae (gallery.h), with the codes that
// MakeCoarseTemplate(SearchTemplate(t)) gives, three to four times faster: building a million-template gallery
// spent 90% of its time in the full cylinders, 40% of it in OpenCV's pointPolygonTest.
//  - the cylinder rules of cylinders.cc are followed step by step through the steps both share
//    (mcc_internal.h: minutia geometry, hull lines, neighbours, cell sums; same floating-point
//    order, same thresholds), so every cell bit and validity is the same;
//  - the hull distance of a cell beyond the hull's edges is the shortest distance to an edge segment
//    computed here (what pointPolygonTest computes for a convex polygon, without its overhead);
//  - a cylinder's validity is decided before any cell sum, so rejected cylinders cost no sums, and
//    sums are skipped for cells whose coarse cell cannot be valid;
//  - the 2 x 2 majority merge works on the cell sums directly instead of on a 1,536-bit cylinder.
// tests/finger/coarse_direct_test.cc checks the equality on synthetic and real templates.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "finger/mcc_internal.h"
#include "finger/parameters.h"
#include "idreg/finger/gallery.h"

namespace idreg::finger {
namespace coarse_direct_detail {

using namespace params;
constexpr int kNs = kCylinderCells;
constexpr int kNd = kCylinderDirections;
constexpr int kHalf = CoarseTemplate::kCodeWords / 2;

// Distance from (px, py) to the closed polygon's boundary, as pointPolygonTest measures it (float
// vertices and point, double arithmetic, the nearest edge segment).
double BoundaryDistance(const std::vector<cv::Point2f>& hull, float px, float py) {
  double min_num = 1e300, min_den = 1;
  cv::Point2f v0 = hull.back();
  for (const cv::Point2f& v : hull) {
    const double dx = static_cast<double>(v.x) - v0.x, dy = static_cast<double>(v.y) - v0.y;
    const double dx1 = static_cast<double>(px) - v0.x, dy1 = static_cast<double>(py) - v0.y;
    const double dx2 = static_cast<double>(px) - v.x, dy2 = static_cast<double>(py) - v.y;
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

}  // namespace coarse_direct_detail

CoarseTemplate MakeCoarseTemplate(const FingerTemplate& tmpl) {
  using namespace coarse_direct_detail;
  CoarseTemplate out;
  std::vector<MinutiaPoint> pts;
  std::vector<cv::Point2f> hull;
  MinutiaGeometry(tmpl, &pts, &hull);
  if (pts.size() < 3) return out;

  const int cells_within_r = CellsWithinRadius();
  const std::vector<HullLine> lines = HullLines(hull);
  auto outside_hull = [&](double px, double py) {
    double worst = 0;
    if (!lines.empty()) {
      for (const HullLine& l : lines) worst = std::min(worst, l.a * px + l.b * py + l.c);
      if (worst >= 1e-3) return false;
      if (worst < -kHullOffset - 1e-2) return true;
    }
    const float fx = static_cast<float>(px), fy = static_cast<float>(py);
    // Inside or on the hull: pointPolygonTest's distance is >= 0, never below -offset. The hull is
    // convex, so being on the inner side of every edge line (checked on the float point) is inside.
    if (!lines.empty()) {
      double w = 1;
      for (const HullLine& l : lines) w = std::min(w, l.a * fx + l.b * fy + l.c);
      if (w >= 1e-9) return false;
    }
    if (hull.size() < 3 || lines.empty()) {
      return cv::pointPolygonTest(hull, cv::Point2f(fx, fy), true) < -kHullOffset;
    }
    return BoundaryDistance(hull, fx, fy) > kHullOffset;
  };

  // The cell grid of a cylinder in its own frame: offsets and whether within R.
  static const auto grid = [] {
    struct Cell {
      double u, v;
      bool in;
    };
    std::vector<Cell> g(kNs * kNs);
    const double ds = 2 * kCylinderRadius / kNs;
    for (int i = 0; i < kNs; ++i) {
      for (int j = 0; j < kNs; ++j) {
        const double u = (i - (kNs - 1) / 2.0) * ds, v = (j - (kNs - 1) / 2.0) * ds;
        g[i * kNs + j] = {u, v, u * u + v * v <= kCylinderRadius * kCylinderRadius};
      }
    }
    return g;
  }();

  std::vector<NeighbourContribution> near;
  out.codes.reserve(pts.size() * CoarseTemplate::kCodeWords);
  out.directions.reserve(pts.size());
  for (size_t c = 0; c < pts.size(); ++c) {
    const MinutiaPoint& m = pts[c];
    if (!HasCylinderNeighbours(pts, c)) continue;
    const double co = std::cos(m.dir), si = std::sin(m.dir);
    // Validity first: a cylinder with too little of its area over the print is dropped unsummed.
    bool valid[kNs * kNs];
    double cx[kNs * kNs], cy[kNs * kNs];
    int valid_cells = 0;
    for (int cell = 0; cell < kNs * kNs; ++cell) {
      valid[cell] = false;
      if (!grid[cell].in) continue;
      const double u = grid[cell].u, v = grid[cell].v;
      const double px = m.x + co * u - si * v, py = m.y + si * u + co * v;
      cx[cell] = px;
      cy[cell] = py;
      if (outside_hull(px, py)) continue;
      valid[cell] = true;
      ++valid_cells;
    }
    if (valid_cells < kMinValidCellsRatio * cells_within_r) continue;

    CollectNeighbours(pts, c, &near);
    uint64_t code[CoarseTemplate::kCodeWords] = {};
    for (int i = 0; i < kCoarseCells; ++i) {
      for (int j = 0; j < kCoarseCells; ++j) {
        int nvalid = 0;
        int set[kNd] = {};
        for (int di = 0; di < 2; ++di) {
          for (int dj = 0; dj < 2; ++dj) nvalid += valid[(2 * i + di) * kNs + 2 * j + dj];
        }
        if (nvalid < kCoarseMinValidCells) continue;
        for (int di = 0; di < 2; ++di) {
          for (int dj = 0; dj < 2; ++dj) {
            const int cell = (2 * i + di) * kNs + 2 * j + dj;
            if (!valid[cell]) continue;
            const double px = cx[cell], py = cy[cell];
            double sums[kNd];
            CellSums(near, px, py, sums);
            for (int k = 0; k < kNd; ++k) set[k] += sums[k] >= kCylinderMuPsi;
          }
        }
        for (int k = 0; k < kNd; ++k) {
          const int o = (k * kCoarseCells + i) * kCoarseCells + j;
          code[kHalf + o / 64] |= uint64_t{1} << (o % 64);
          if (2 * set[k] >= nvalid) code[o / 64] |= uint64_t{1} << (o % 64);
        }
      }
    }
    out.codes.insert(out.codes.end(), code, code + CoarseTemplate::kCodeWords);
    // As MakeCoarseTemplate(SearchTemplate): the direction stored as a float, 256 steps per turn.
    const double turns = static_cast<float>(m.dir) / (2 * kPi);
    out.directions.push_back(static_cast<uint8_t>(static_cast<int>(std::floor(turns * 256 + 0.5)) & 255));
  }
  return out;
}

}  // namespace idreg::finger
