// The WSQ decomposition: 20 wavelet nodes, each split into four quadrants by one level of the
// 2-D transform, and the 64 subbands at the leaves (FBI specification, section 4 figures).
// A split of n samples gives ceil(n/2) low-pass and floor(n/2) high-pass samples; where the
// specification inverts a node along an axis, the high band comes first on that axis.
#include "image/wsq_internal.h"

namespace idreg::wsq {
namespace {

// The four quadrants of `r` in the order (first x, first y), (second x, first y),
// (first x, second y), (second x, second y).
std::array<Rect, 4> Quad(const Rect& r, bool invert_x, bool invert_y) {
  int fx = invert_x ? r.w / 2 : (r.w + 1) / 2;
  int fy = invert_y ? r.h / 2 : (r.h + 1) / 2;
  int sx = r.w - fx, sy = r.h - fy;
  return {Rect{r.x, r.y, fx, fy}, Rect{r.x + fx, r.y, sx, fy}, Rect{r.x, r.y + fy, fx, sy},
          Rect{r.x + fx, r.y + fy, sx, sy}};
}

std::array<Rect, 4> Quad(const WaveletNode& n) { return Quad(n.r, n.invert_x, n.invert_y); }

}  // namespace

Geometry BuildGeometry(int width, int height) {
  Geometry g;
  auto& n = g.nodes;
  // Axis inversions of the specification's tree (its "row" inversion is along x).
  for (int i : {2, 4, 7, 9, 11, 13, 16, 18}) n[i].invert_x = true;
  for (int i : {3, 5, 8, 9, 12, 13, 17, 18}) n[i].invert_y = true;

  n[0].r = Rect{0, 0, width, height};
  std::array<Rect, 4> q0 = Quad(n[0]);
  n[1].r = q0[0];
  n[2].r = q0[1];
  n[3].r = q0[2];  // q0[3], the finest diagonal band, is not coded (subbands 60-63)
  std::array<Rect, 4> q1 = Quad(n[1]);
  n[14].r = q1[0];
  n[4].r = q1[1];
  n[5].r = q1[2];
  // Second-level splits of nodes 4, 5 and 14 give nodes 6-9, 10-13 and 15-18.
  auto children = [&n](int parent, int first) {
    std::array<Rect, 4> q = Quad(n[parent]);
    for (int i = 0; i < 4; ++i) n[first + i].r = q[i];
  };
  children(4, 6);
  children(5, 10);
  children(14, 15);
  n[19].r = Quad(n[15])[0];

  auto& s = g.subbands;
  auto leaves = [&s, &n](int node, int first, int from = 0) {
    std::array<Rect, 4> q = Quad(n[node]);
    for (int i = from; i < 4; ++i) s[first + i - from] = q[i];
  };
  leaves(19, 0);
  leaves(15, 4, 1);
  leaves(16, 7);
  leaves(17, 11);
  leaves(18, 15);
  leaves(6, 19);
  leaves(7, 23);
  leaves(8, 27);
  leaves(9, 31);
  leaves(10, 35);
  leaves(11, 39);
  leaves(12, 43);
  leaves(13, 47);
  s[51] = q1[3];
  leaves(2, 52);
  leaves(3, 56);
  std::array<Rect, 4> unused = Quad(q0[3], false, false);
  for (int i = 0; i < 4; ++i) s[60 + i] = unused[i];
  return g;
}

}  // namespace idreg::wsq
