#include "idreg/voice/gmm.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <thread>

#include "voice/parameters.h"

namespace idreg::voice {

void DiagGmm::Prepare() {
  const size_t cd = size_t(components) * size_t(dim);
  gconst.assign(size_t(components), 0.0f);
  mean_ivar.resize(cd);
  neg_half_ivar.resize(cd);
  const double log2pi = std::log(2 * std::numbers::pi);
  for (int c = 0; c < components; ++c) {
    double g = std::log(std::max(weights[c], 1e-20f));
    for (int i = 0; i < dim; ++i) {
      const size_t k = size_t(c) * dim + i;
      const double v = variances[k], m = means[k];
      g -= 0.5 * (log2pi + std::log(v) + m * m / v);
      mean_ivar[k] = float(m / v);
      neg_half_ivar[k] = float(-0.5 / v);
    }
    gconst[c] = float(g);
  }
}

float DiagGmm::LogLikelihoods(const float* x, float* out) const {
  float best = -1e30f;
  for (int c = 0; c < components; ++c) {
    const float* mi = mean_ivar.data() + size_t(c) * dim;
    const float* nh = neg_half_ivar.data() + size_t(c) * dim;
    float acc = gconst[c];
    for (int i = 0; i < dim; ++i) acc += x[i] * (mi[i] + nh[i] * x[i]);
    out[c] = acc;
    best = std::max(best, acc);
  }
  double sum = 0;
  for (int c = 0; c < components; ++c) sum += std::exp(double(out[c] - best));
  return best + float(std::log(sum));
}

namespace {

// Runs fn(begin, end, worker) over [0, n) split in `threads` contiguous blocks.
template <typename Fn>
void SplitWork(size_t n, int threads, Fn fn) {
  threads = std::max(1, threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    const size_t b = n * size_t(t) / size_t(threads), e = n * size_t(t + 1) / size_t(threads);
    pool.emplace_back([=, &fn] { fn(b, e, t); });
  }
  for (auto& th : pool) th.join();
}

struct Accumulators {
  std::vector<double> n, f, s;
  double ll = 0;
  Accumulators(int c, int d) : n(size_t(c), 0), f(size_t(c) * d, 0), s(size_t(c) * d, 0) {}
};

}  // namespace

Result<DiagGmm> TrainDiagGmm(const FeatureMatrix& data, const GmmTrainOptions& o) {
  const size_t n = data.frames();
  const int d = data.dim;
  const int k = o.components;
  if (k < 1 || d < 1) return Status::InvalidArgument("gmm: components and dimension must be positive");
  if (n < size_t(k) * 10)
    return Status::InvalidArgument("gmm: " + std::to_string(n) + " frames are too few for " +
                                   std::to_string(k) + " components (need 10 per component)");
  std::mt19937_64 rng(o.seed);
  // Global variance, for the floor.
  std::vector<double> gmean(d, 0), gvar(d, 0);
  for (size_t t = 0; t < n; ++t)
    for (int i = 0; i < d; ++i) gmean[i] += data.row(t)[i];
  for (int i = 0; i < d; ++i) gmean[i] /= double(n);
  for (size_t t = 0; t < n; ++t)
    for (int i = 0; i < d; ++i) gvar[i] += (data.row(t)[i] - gmean[i]) * (data.row(t)[i] - gmean[i]);
  for (int i = 0; i < d; ++i) gvar[i] = std::max(gvar[i] / double(n), 1e-6);

  // k-means on the frames: distinct random frames as seeds, Euclidean assignment.
  std::vector<float> centers(size_t(k) * d);
  {
    std::vector<size_t> idx(n);
    for (size_t t = 0; t < n; ++t) idx[t] = t;
    for (int c = 0; c < k; ++c) {
      std::uniform_int_distribution<size_t> pick(size_t(c), n - 1);
      std::swap(idx[size_t(c)], idx[pick(rng)]);
      std::copy(data.row(idx[size_t(c)]), data.row(idx[size_t(c)]) + d, centers.begin() + long(c) * d);
    }
  }
  std::vector<int> assign(n, 0);
  for (int it = 0; it < o.kmeans_iterations; ++it) {
    SplitWork(n, o.threads, [&](size_t b, size_t e, int) {
      for (size_t t = b; t < e; ++t) {
        float best = 1e30f;
        int arg = 0;
        for (int c = 0; c < k; ++c) {
          const float* m = centers.data() + size_t(c) * d;
          float dist = 0;
          for (int i = 0; i < d; ++i) dist += (data.row(t)[i] - m[i]) * (data.row(t)[i] - m[i]);
          if (dist < best) best = dist, arg = c;
        }
        assign[t] = arg;
      }
    });
    std::vector<double> sum(size_t(k) * d, 0);
    std::vector<size_t> count(size_t(k), 0);
    for (size_t t = 0; t < n; ++t) {
      ++count[size_t(assign[t])];
      for (int i = 0; i < d; ++i) sum[size_t(assign[t]) * d + i] += data.row(t)[i];
    }
    for (int c = 0; c < k; ++c) {
      if (count[size_t(c)] == 0) {  // an empty cluster restarts on a random frame
        std::uniform_int_distribution<size_t> pick(0, n - 1);
        const size_t t = pick(rng);
        std::copy(data.row(t), data.row(t) + d, centers.begin() + long(c) * d);
        continue;
      }
      for (int i = 0; i < d; ++i) centers[size_t(c) * d + i] = float(sum[size_t(c) * d + i] / double(count[size_t(c)]));
    }
  }
  DiagGmm g;
  g.components = k;
  g.dim = d;
  g.means = centers;
  g.weights.assign(size_t(k), 1.0f / float(k));
  g.variances.resize(size_t(k) * d);
  for (int c = 0; c < k; ++c)
    for (int i = 0; i < d; ++i) g.variances[size_t(c) * d + i] = float(gvar[i]);

  for (int it = 0; it < o.em_iterations; ++it) {
    g.Prepare();
    const int threads = std::max(1, o.threads);
    std::vector<Accumulators> acc(size_t(threads), Accumulators(k, d));
    SplitWork(n, threads, [&](size_t b, size_t e, int w) {
      Accumulators& a = acc[size_t(w)];
      std::vector<float> ll(static_cast<size_t>(k));
      for (size_t t = b; t < e; ++t) {
        const float* x = data.row(t);
        const float total = g.LogLikelihoods(x, ll.data());
        a.ll += total;
        for (int c = 0; c < k; ++c) {
          const float p = std::exp(ll[size_t(c)] - total);
          if (p < 1e-6f) continue;
          a.n[size_t(c)] += p;
          double* f = a.f.data() + size_t(c) * d;
          double* s = a.s.data() + size_t(c) * d;
          for (int i = 0; i < d; ++i) {
            f[i] += double(p) * x[i];
            s[i] += double(p) * x[i] * x[i];
          }
        }
      }
    });
    // Sum in worker order, so the result does not depend on timing.
    for (int w = 1; w < threads; ++w) {
      for (size_t j = 0; j < acc[0].n.size(); ++j) acc[0].n[j] += acc[size_t(w)].n[j];
      for (size_t j = 0; j < acc[0].f.size(); ++j) {
        acc[0].f[j] += acc[size_t(w)].f[j];
        acc[0].s[j] += acc[size_t(w)].s[j];
      }
    }
    const Accumulators& a = acc[0];
    for (int c = 0; c < k; ++c) {
      const double nc = a.n[size_t(c)];
      if (nc < 1.0) {  // a starved component keeps its parameters with a tiny weight
        g.weights[size_t(c)] = 1e-6f;
        continue;
      }
      g.weights[size_t(c)] = float(nc / double(n));
      for (int i = 0; i < d; ++i) {
        const size_t j = size_t(c) * d + i;
        const double m = a.f[j] / nc;
        const double v = a.s[j] / nc - m * m;
        g.means[j] = float(m);
        g.variances[j] = float(std::max(v, double(params::kVarianceFloor) * gvar[i]));
      }
    }
    double wsum = 0;
    for (float w : g.weights) wsum += w;
    for (float& w : g.weights) w = float(w / wsum);
  }
  g.Prepare();
  return g;
}

BaumWelchStats AccumulateStats(const DiagGmm& gmm, const FeatureMatrix& x) {
  BaumWelchStats s;
  const int k = gmm.components, d = gmm.dim;
  s.n.assign(size_t(k), 0.0f);
  s.f.assign(size_t(k) * d, 0.0f);
  std::vector<float> ll(static_cast<size_t>(k));
  for (size_t t = 0; t < x.frames(); ++t) {
    const float* v = x.row(t);
    const float total = gmm.LogLikelihoods(v, ll.data());
    s.log_likelihood += total;
    for (int c = 0; c < k; ++c) {
      const float p = std::exp(ll[size_t(c)] - total);
      if (p < 1e-5f) continue;
      s.n[size_t(c)] += p;
      float* f = s.f.data() + size_t(c) * d;
      for (int i = 0; i < d; ++i) f[i] += p * v[i];
    }
  }
  return s;
}

}  // namespace idreg::voice
