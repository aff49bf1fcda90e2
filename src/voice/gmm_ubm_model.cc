#include <algorithm>
#include <cmath>
#include <thread>

#include "idreg/core/models_dir.h"
#include "idreg/voice/speaker_model.h"
#include "voice/parameters.h"

namespace idreg::voice {

std::filesystem::path DefaultModelPath() { return ModelsDir() / "voice" / "ubm.bin"; }

std::vector<float> GmmUbmModel::AdaptedOffsets(const FeatureMatrix& features) const {
  const BaumWelchStats s = AccumulateStats(ubm_, features);
  const int k = ubm_.components, d = ubm_.dim;
  std::vector<float> off(size_t(k) * d);
  for (int c = 0; c < k; ++c) {
    const float nc = s.n[size_t(c)];
    for (int i = 0; i < d; ++i) {
      const size_t j = size_t(c) * d + i;
      off[j] = (s.f[j] - nc * ubm_.means[j]) / (nc + relevance_);
    }
  }
  return off;
}

std::vector<float> GmmUbmModel::Supervector(const std::vector<float>& off) const {
  const int k = ubm_.components, d = ubm_.dim;
  std::vector<float> sv(off.size());
  for (int c = 0; c < k; ++c) {
    const float sw = std::sqrt(ubm_.weights[size_t(c)]);
    for (int i = 0; i < d; ++i) {
      const size_t j = size_t(c) * d + i;
      sv[j] = sw * off[j] / std::sqrt(ubm_.variances[j]);
    }
  }
  return sv;
}

Result<std::vector<float>> GmmUbmModel::Embed(const FeatureMatrix& features) const {
  if (features.dim != ubm_.dim)
    return Status::InvalidArgument("voice: features have dimension " + std::to_string(features.dim) +
                                   ", the model expects " + std::to_string(ubm_.dim));
  if (features.frames() == 0) return Status::InvalidArgument("voice: no speech frames to embed");
  std::vector<float> e = Supervector(AdaptedOffsets(features));
  double norm = 0;
  for (size_t j = 0; j < e.size(); ++j) {
    e[j] -= center_.empty() ? 0.0f : center_[j];
    norm += double(e[j]) * e[j];
  }
  norm = std::sqrt(norm);
  if (!(norm > 0)) return Status::InvalidArgument("voice: the embedding is degenerate (zero length)");
  for (float& v : e) v = float(v / norm);
  return e;
}

std::vector<double> GmmUbmModel::ExpectedLlr(const std::vector<const std::vector<float>*>& offsets,
                                              const FeatureMatrix& probe) const {
  const int k = ubm_.components, d = ubm_.dim;
  const int top = std::min(params::kLlrTopComponents, k);
  std::vector<float> ll(static_cast<size_t>(k));
  std::vector<int> order(static_cast<size_t>(k));
  std::vector<double> total(offsets.size(), 0.0), spk(static_cast<size_t>(top));
  for (size_t t = 0; t < probe.frames(); ++t) {
    const float* x = probe.row(t);
    const float ubm_ll = ubm_.LogLikelihoods(x, ll.data());
    for (int c = 0; c < k; ++c) order[size_t(c)] = c;
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](int a, int b) { return ll[size_t(a)] > ll[size_t(b)]; });
    for (size_t m = 0; m < offsets.size(); ++m) {
      const std::vector<float>& off = *offsets[m];
      // The adapted component differs from the UBM's only in its mean.
      double best = -1e30;
      for (int r = 0; r < top; ++r) {
        const int c = order[size_t(r)];
        double delta = 0;
        for (int i = 0; i < d; ++i) {
          const size_t j = size_t(c) * d + i;
          const double a = x[i] - ubm_.means[j], b = a - off[j];
          delta += (a * a - b * b) / (2.0 * ubm_.variances[j]);
        }
        spk[size_t(r)] = ll[size_t(c)] + delta;
        best = std::max(best, spk[size_t(r)]);
      }
      double sum = 0;
      for (double v : spk) sum += std::exp(v - best);
      total[m] += best + std::log(sum) - ubm_ll;
    }
  }
  for (double& v : total) v = probe.frames() ? v / double(probe.frames()) : 0;
  return total;
}

GmmUbmModel GmmUbmModel::Create(DiagGmm ubm, float relevance, std::vector<std::string> speakers,
                                const std::vector<FeatureMatrix>& cohort_segments, int threads) {
  GmmUbmModel m;
  ubm.Prepare();
  m.ubm_ = std::move(ubm);
  m.relevance_ = relevance;
  m.speakers_ = std::move(speakers);
  const size_t dim = m.embedding_dim();
  std::vector<std::vector<float>> sv(cohort_segments.size());
  threads = std::max(1, threads);
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&, w] {
      for (size_t i = size_t(w); i < sv.size(); i += size_t(threads))
        sv[i] = m.Supervector(m.AdaptedOffsets(cohort_segments[i]));
    });
  }
  for (auto& t : pool) t.join();
  m.center_.assign(dim, 0.0f);
  if (!sv.empty()) {
    for (const auto& v : sv)
      for (size_t j = 0; j < dim; ++j) m.center_[j] += v[j] / float(sv.size());
  }
  for (const FeatureMatrix& seg : cohort_segments) {
    auto e = m.Embed(seg);
    if (e.ok()) m.cohort_.insert(m.cohort_.end(), e->begin(), e->end());
  }
  m.FinishIds(m.Serialize());
  return m;
}

}  // namespace idreg::voice
