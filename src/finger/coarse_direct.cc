// The coarse form of a template built straight from its minutiae (gallery.h), with the codes that
// MakeCoarseTemplate(SearchTemplate(t)) gives, three to four times faster: building a million-template gallery
// spent 90% of its time in the full cylinders, 40% of it in OpenCV's pointPolygonTest.
//  - the cylinder rules of cylinders.cc are followed step by step through the steps both share
//    (mcc_internal.h: minutia geometry, hull lines, neighbours, cell sums; same floating-point
//    order, same thresholds), so every cell bit and validity is the same;
//  - the hull test of each cell is BeyondHullOffset (mcc_internal.h), the one cylinders.cc uses;
//  - a cylinder's validity is decided before any cell sum, so rejected cylinders cost no sums, and
//    sums are skipped for cells whose coarse cell cannot be valid;
//  - the 2 x 2 majority merge works on the cell sums directly instead of on a 1,536-bit cylinder.
// tests/finger/coarse_direct_test.cc checks the equality on synthetic and real templates.
#include <algorithm>
#include <cmath>
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
      if (BeyondHullOffset(hull, lines, px, py)) continue;
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
