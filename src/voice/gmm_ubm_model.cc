#include <algorithm>
#include <cmath>
#include <thread>

#include "idreg/core/models_dir.h"
#include "idreg/voice/speaker_model.h"
#include "idreg/voice/voice_template.h"
#include "voice/byte_io.h"
#include "voice/linalg.h"
#include "voice/parameters.h"

namespace idreg::voice {

std::filesystem::path DefaultModelPath() { return ModelsDir() / "voice" / "ubm.bin"; }

std::vector<float> GmmUbmBand::AdaptedOffsets(const FeatureMatrix& features) const {
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

std::vector<float> GmmUbmBand::Supervector(const std::vector<float>& off) const {
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

Result<std::vector<float>> GmmUbmBand::Embed(const FeatureMatrix& features) const {
  if (features.dim != ubm_.dim)
    return Status::InvalidArgument("voice: features have dimension " + std::to_string(features.dim) +
                                   ", the model expects " + std::to_string(ubm_.dim));
  if (features.frames() == 0) return Status::InvalidArgument("voice: no speech frames to embed");
  std::vector<float> e = Supervector(AdaptedOffsets(features));
  if (!center_.empty())
    for (size_t j = 0; j < e.size(); ++j) e[j] -= center_[j];
  ProjectOutNap(e);
  double norm = 0;
  for (float v : e) norm += double(v) * v;
  norm = std::sqrt(norm);
  if (!(norm > 0)) return Status::InvalidArgument("voice: the embedding is degenerate (zero length)");
  for (float& v : e) v = float(v / norm);
  return e;
}

void GmmUbmBand::ProjectOutNap(std::vector<float>& e) const {
  const size_t dim = e.size();
  for (size_t r = 0; r + 1 <= nap_.size() / dim; ++r) {
    const float* u = nap_.data() + r * dim;
    const float p = DotScalar(u, e.data(), dim);
    for (size_t j = 0; j < dim; ++j) e[j] -= p * u[j];
  }
}

std::vector<double> GmmUbmBand::ExpectedLlr(const std::vector<const std::vector<float>*>& offsets,
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

namespace {

// fn(i) for i in [0, n) on `threads` threads, interleaved.
template <typename Fn>
void ForEach(size_t n, int threads, Fn fn) {
  threads = std::max(1, threads);
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w)
    pool.emplace_back([&, w] {
      for (size_t i = size_t(w); i < n; i += size_t(threads)) fn(i);
    });
  for (auto& t : pool) t.join();
}

}  // namespace

GmmUbmBand GmmUbmBand::FromParts(DiagGmm ubm, float relevance, std::vector<float> center, std::vector<float> nap) {
  GmmUbmBand b;
  ubm.Prepare();
  b.ubm_ = std::move(ubm);
  b.relevance_ = relevance;
  b.center_ = std::move(center);
  b.nap_ = std::move(nap);
  return b;
}

GmmUbmBand GmmUbmBand::Create(DiagGmm ubm, float relevance, const BackgroundSegments& background, int nap_rank,
                              int threads) {
  GmmUbmBand m = FromParts(std::move(ubm), relevance, {}, {});
  const size_t dim = m.embedding_dim();
  std::vector<std::vector<float>> sv(background.centring.size());
  ForEach(sv.size(), threads, [&](size_t i) { sv[i] = m.Supervector(m.AdaptedOffsets(background.centring[i])); });
  m.center_.assign(dim, 0.0f);
  for (const auto& v : sv)
    for (size_t j = 0; j < dim; ++j) m.center_[j] += v[j] / float(sv.size());
  if (nap_rank > 0 && !background.sessions.empty()) {
    // The session vectors as Embed sees them before NAP: centred and of unit length.
    std::vector<std::vector<float>> sessions(background.sessions.size());
    ForEach(sessions.size(), threads, [&](size_t i) {
      std::vector<float> e = m.Supervector(m.AdaptedOffsets(background.sessions[i]));
      double norm = 0;
      for (size_t j = 0; j < dim; ++j) {
        e[j] -= m.center_[j];
        norm += double(e[j]) * e[j];
      }
      if (norm > 0)
        for (float& v : e) v = float(v / std::sqrt(norm));
      sessions[i] = std::move(e);
    });
    m.nap_ = WithinClassDirections(sessions, background.session_speaker, nap_rank);
  }
  return m;
}

FeatureMatrix BandFeatures(const FeatureMatrix& m, size_t band) {
  FeatureMatrix out;
  out.dim = params::kBandFeatureDim;
  const size_t n = m.frames(), first = band * size_t(params::kBandFeatureDim);
  if (size_t(m.dim) < first + size_t(out.dim)) return out;  // no such band: no frames
  out.data.resize(n * size_t(out.dim));
  for (size_t f = 0; f < n; ++f) std::copy(m.row(f) + first, m.row(f) + first + size_t(out.dim), out.row(f));
  return out;
}

size_t GmmUbmModel::embedding_dim() const {
  size_t d = 0;
  for (const GmmUbmBand& b : bands_) d += b.embedding_dim();
  return d;
}

Result<std::vector<float>> GmmUbmModel::Embed(const FeatureMatrix& features) const {
  const int expected = int(bands_.size()) * params::kBandFeatureDim;
  if (features.dim != expected)
    return Status::InvalidArgument("voice: features have dimension " + std::to_string(features.dim) +
                                   ", the model expects " + std::to_string(expected));
  std::vector<float> e;
  e.reserve(embedding_dim());
  // Each band's embedding is unit length: scaled by 1/sqrt(bands), the whole is unit length and a
  // dot product of two is the mean of the bands' cosines.
  const float scale = 1.0f / std::sqrt(float(bands_.size()));
  for (size_t k = 0; k < bands_.size(); ++k) {
    IDREG_ASSIGN_OR_RETURN(std::vector<float> part, bands_[k].Embed(BandFeatures(features, k)));
    for (float v : part) e.push_back(v * scale);
  }
  return e;
}

const std::vector<float>& GmmUbmModel::cohort() const {
  static const std::vector<float> kNone;
  return cohorts_.empty() ? kNone : cohorts_.back().embeddings;
}

std::vector<float> GmmUbmModel::AdaptedOffsets(const FeatureMatrix& features) const {
  return bands_.front().AdaptedOffsets(BandFeatures(features, 0));
}

std::vector<double> GmmUbmModel::ExpectedLlr(const std::vector<const std::vector<float>*>& offsets,
                                             const FeatureMatrix& probe) const {
  return bands_.front().ExpectedLlr(offsets, BandFeatures(probe, 0));
}

GmmUbmModel GmmUbmModel::Create(std::vector<GmmUbmBand> bands, std::vector<std::string> speakers,
                                const BackgroundSegments& background, int threads) {
  GmmUbmModel m;
  m.bands_ = std::move(bands);
  m.speakers_ = std::move(speakers);
  for (const auto& [seconds, segments] : background.cohorts) {
    std::vector<std::vector<float>> rows(segments.size());
    ForEach(rows.size(), threads, [&](size_t i) {
      auto e = m.Embed(segments[i]);
      if (e.ok()) rows[i] = std::move(*e);
    });
    DurationCohort c;
    c.seconds = seconds;
    for (const auto& r : rows) c.embeddings.insert(c.embeddings.end(), r.begin(), r.end());
    if (!c.embeddings.empty()) m.cohorts_.push_back(std::move(c));
  }
  m.Finish(m.Serialize());
  return m;
}

void GmmUbmModel::Finish(std::span<const uint8_t> serialized) {
  id_ = Fnv1aHex(serialized);
  nap_.clear();
  const size_t dim = embedding_dim();
  size_t offset = 0;
  for (const GmmUbmBand& b : bands_) {
    const size_t bd = b.embedding_dim();
    for (size_t r = 0; r < b.nap().size() / bd; ++r) {
      const size_t at = nap_.size();
      nap_.resize(at + dim, 0.0f);
      std::copy(b.nap().begin() + long(r * bd), b.nap().begin() + long((r + 1) * bd), nap_.begin() + long(at + offset));
    }
    offset += bd;
  }
}

}  // namespace idreg::voice
