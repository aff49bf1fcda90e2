// MCC matching: local similarities of all cylinder pairs, then Local Similarity Sort with
// Relaxation (LSS-R): the best distinct pairs are relaxed against each other's geometry and the
// most consistent ones make the score. A global consolidation then weighs it by the share of the
// minutiae in the two prints' overlap that agree under one rigid alignment.
#include "idreg/finger/matcher.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <tuple>

#include "finger/local_similarity.h"
#include "finger/mcc_internal.h"
#include "finger/parameters.h"

namespace idreg::finger {
namespace {

using namespace params;
using Cylinder = SearchTemplate::Cylinder;
using Point = SearchTemplate::Point;

float Sigmoid(float v, double mu, double tau) {
  return 1.0f / (1.0f + std::exp(static_cast<float>(-tau * (v - mu))));
}

// The angle of the segment from m1 to m2 relative to m1's direction.
float RadialAngle(const Cylinder& m1, const Cylinder& m2) {
  return NormAngle(m1.direction - std::atan2(m1.y - m2.y, m1.x - m2.x));
}

// A convex polygon (the hull of a template's minutiae) as edge lines a*x + b*y + c >= 0 inside;
// empty when the hull has no area.
struct Hull {
  struct Line {
    float a, b, c;
  };
  std::vector<Line> lines;

  explicit Hull(const std::vector<Point>& ps) {
    if (ps.size() < 3) return;
    std::vector<cv::Point2f> pts, hull;
    for (const Point& p : ps) pts.emplace_back(p.x, p.y);
    cv::convexHull(pts, hull);
    float area2 = 0;
    for (size_t i = 0; i < hull.size(); ++i) {
      const cv::Point2f& p = hull[i];
      const cv::Point2f& q = hull[(i + 1) % hull.size()];
      area2 += p.x * q.y - q.x * p.y;
    }
    if (hull.size() < 3 || area2 == 0) return;
    const float sign = area2 > 0 ? 1.0f : -1.0f;
    for (size_t i = 0; i < hull.size(); ++i) {
      const cv::Point2f& p = hull[i];
      const cv::Point2f& q = hull[(i + 1) % hull.size()];
      const float a = -(q.y - p.y) * sign, b = (q.x - p.x) * sign;
      lines.push_back({a, b, -(a * p.x + b * p.y)});
    }
  }
  bool Contains(float x, float y) const {
    if (lines.empty()) return false;
    for (const Line& l : lines) {
      if (l.a * x + l.b * y + l.c < 0) return false;
    }
    return true;
  }
};

float MatchWith(const SearchTemplate& probe, const SearchTemplate& candidate, LocalSimilarityKernel kernel) {
  const std::vector<Cylinder>& as = probe.cylinders();
  const std::vector<Cylinder>& bs = candidate.cylinders();
  const int na = static_cast<int>(as.size()), nb = static_cast<int>(bs.size());
  if (na == 0 || nb == 0) return 0;
  const int min_common = static_cast<int>(kMinMatchableRatio * CellsWithinRadius() * kCylinderDirections);
  thread_local std::vector<LocalPair> pairs;
  kernel(as, bs, min_common, pairs);
  // Local Similarity Sort: the best pairs, each minutia used at most once.
  // Ties broken by index, so the order (and the score) does not depend on the sort's internals.
  std::sort(pairs.begin(), pairs.end(), [](const LocalPair& x, const LocalPair& y) {
    return x.similarity != y.similarity ? x.similarity > y.similarity
                                        : std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  const int nr = std::min(na, nb);
  std::vector<uint8_t> used_a(na, 0), used_b(nb, 0);
  std::vector<LocalPair> top;
  for (const LocalPair& p : pairs) {
    if (used_a[p.a] || used_b[p.b]) continue;
    used_a[p.a] = used_b[p.b] = 1;
    top.push_back(p);
    if (static_cast<int>(top.size()) == nr) break;
  }
  const int n = static_cast<int>(top.size());
  if (n < 2) return 0;

  // Relaxation: each pair's similarity is reinforced by pairs whose geometry agrees with it.
  std::vector<float> rho(static_cast<size_t>(n) * n, 0);
  for (int t = 0; t < n; ++t) {
    const Cylinder& at = as[top[t].a];
    const Cylinder& bt = bs[top[t].b];
    for (int k = t + 1; k < n; ++k) {
      const Cylinder& ak = as[top[k].a];
      const Cylinder& bk = bs[top[k].b];
      const float d1 = std::fabs(std::hypot(at.x - ak.x, at.y - ak.y) - std::hypot(bt.x - bk.x, bt.y - bk.y));
      const float d2 = std::fabs(
          NormAngle(NormAngle(at.direction - ak.direction) - NormAngle(bt.direction - bk.direction)));
      const float d3 = std::fabs(NormAngle(RadialAngle(at, ak) - RadialAngle(bt, bk)));
      const float r = Sigmoid(d1, kRelaxMu1, kRelaxTau1) * Sigmoid(d2, kRelaxMu2, kRelaxTau2) *
                      Sigmoid(d3, kRelaxMu3, kRelaxTau3);
      rho[t * n + k] = rho[k * n + t] = r;
    }
  }
  std::vector<float> lambda(n), next(n);
  for (int t = 0; t < n; ++t) lambda[t] = top[t].similarity;
  for (int it = 0; it < kRelaxationIterations; ++it) {
    for (int t = 0; t < n; ++t) {
      float sum = 0;
      for (int k = 0; k < n; ++k) sum += rho[t * n + k] * lambda[k];
      next[t] = static_cast<float>(kRelaxationWeight * lambda[t] + (1 - kRelaxationWeight) * sum / (n - 1));
    }
    lambda.swap(next);
  }
  // The most efficient pairs (relaxed over initial similarity) make the score.
  const int np = std::min(
      n, kMinPairs +
             static_cast<int>(std::lround(Sigmoid(static_cast<float>(std::min(na, nb)), kPairsMu, kPairsTau) *
                                          (kMaxPairs - kMinPairs))));
  std::vector<int> order(n);
  for (int t = 0; t < n; ++t) order[t] = t;
  std::partial_sort(order.begin(), order.begin() + np, order.end(), [&](int x, int y) {
    return lambda[x] / top[x].similarity > lambda[y] / top[y].similarity;
  });
  float score = 0;
  for (int i = 0; i < np; ++i) score += lambda[order[i]];
  score /= np;

  // Global consolidation: align on each of the pairs with the best local similarity and count the
  // minutiae that agree in position and direction under that one rigid transform; local codes
  // alone cannot see that. Every minutia takes part, also those without a valid cylinder (near the
  // print's edge or isolated): they are the same evidence of agreement, and a small overlap lies
  // near the edge (mean EER 2.62 -> 2.48% on FVC2002, doc/finger-matcher.md). The count is taken
  // relative to the minutiae that the alignment puts in the overlap of the two prints (each
  // template's minutiae inside the other's hull; the larger of the two counts), not to all of them:
  // two captures that share a third of the finger should not be penalised for the two thirds only
  // one of them saw (FVC2002 DB3_B, BENCHMARKS.md "fingeracc").
  const std::vector<Point>& ps = probe.points();
  const std::vector<Point>& qs = candidate.points();
  const int pa = static_cast<int>(ps.size()), pb = static_cast<int>(qs.size());
  const Hull hull_a(ps), hull_b(qs);
  std::vector<uint8_t> used_q(pb);
  float best = 0;
  for (int i = 0; i < std::min(n, kConsolidationAnchors); ++i) {
    const Cylinder& a0 = as[top[i].a];
    const Cylinder& b0 = bs[top[i].b];
    const float rot = NormAngle(b0.direction - a0.direction);
    const float c = std::cos(rot), s = std::sin(rot);
    std::fill(used_q.begin(), used_q.end(), 0);
    int count = 0, a_in = 0, b_in = 0;
    for (const Point& a : ps) {
      const float dx = a.x - a0.x, dy = a.y - a0.y;
      const float x = b0.x + c * dx - s * dy, y = b0.y + s * dx + c * dy;
      a_in += hull_b.Contains(x, y);
      int hit = -1;
      float hit_d2 = static_cast<float>(kConsolidationDistance * kConsolidationDistance);
      for (int j = 0; j < pb; ++j) {
        if (used_q[j]) continue;
        const float ex = qs[j].x - x, ey = qs[j].y - y, d2 = ex * ex + ey * ey;
        if (d2 <= hit_d2 &&
            std::fabs(NormAngle(qs[j].direction - a.direction - rot)) <= kConsolidationAngle) {
          hit = j, hit_d2 = d2;
        }
      }
      if (hit >= 0) used_q[hit] = 1, ++count;
    }
    for (const Point& b : qs) {  // the inverse transform
      const float dx = b.x - b0.x, dy = b.y - b0.y;
      b_in += hull_a.Contains(a0.x + c * dx + s * dy, a0.y - s * dx + c * dy);
    }
    const float overlap = std::min(static_cast<float>(std::max(pa, pb)),
                                   std::max({static_cast<float>(kConsolidationMinOverlap),
                                             static_cast<float>(std::max(a_in, b_in)), static_cast<float>(count)}));
    // The anchor agrees with itself by construction, and the best of many alignments finds a chance
    // agreement on any pair of prints: only the rest is evidence.
    best = std::max(best, std::max(0, count - kConsolidationDiscount) / overlap);
  }
  return score * std::sqrt(std::min(1.0f, best));
}

}  // namespace

float FingerProbe::Match(const SearchTemplate& candidate) const {
  static const LocalSimilarityKernel kernel = BestLocalSimilarityKernel();
  return MatchWith(search_, candidate, kernel);
}

float FingerProbe::MatchReference(const SearchTemplate& candidate) const {
  return MatchWith(search_, candidate, LocalSimilaritiesScalar);
}

float MatchTemplates(const FingerTemplate& a, const FingerTemplate& b) {
  return FingerProbe(a).Match(SearchTemplate(b));
}

}  // namespace idreg::finger
