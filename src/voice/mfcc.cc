// Framing, power spectrum (FFTW), the mel filterbank of each band, DCT-II cepstra and deltas.
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>

#include "idreg/core/fftw_planner.h"
#include "idreg/voice/features.h"
#include "voice/frames.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

using params::kFftSize;
constexpr int kBins = kFftSize / 2 + 1;

// FFTW planning is not thread-safe; one plan is made once and then executed on caller-owned
// arrays (fftwf_execute_dft_r2c is thread-safe).
fftwf_plan Plan() {
  static std::once_flag once;
  static fftwf_plan plan;
  std::call_once(once, [] {
    const std::lock_guard<std::mutex> lock(FftwPlannerMutex());
    float* in = fftwf_alloc_real(kFftSize);
    fftwf_complex* out = fftwf_alloc_complex(kBins);
    plan = fftwf_plan_dft_r2c_1d(kFftSize, in, out, FFTW_ESTIMATE | FFTW_UNALIGNED);
    fftwf_free(in);
    fftwf_free(out);
  });
  return plan;
}

float HzToMel(float hz) { return 1127.0f * std::log(1.0f + hz / 700.0f); }
float MelToHz(float mel) { return 700.0f * (std::exp(mel / 1127.0f) - 1.0f); }

struct Tables {
  std::vector<float> window;               // Hamming
  std::vector<std::vector<float>> mel;     // kBands x kMelBands rows of kBins triangular weights
  std::vector<float> dct;                  // kCepstra x kMelBands
};

const Tables& GetTables() {
  static const Tables t = [] {
    Tables t;
    constexpr double kPi = std::numbers::pi;
    for (int i = 0; i < params::kFrameLength; ++i)
      t.window.push_back(float(0.54 - 0.46 * std::cos(2 * kPi * i / (params::kFrameLength - 1))));
    for (int band = 0; band < params::kBands; ++band) {
      const float lo = HzToMel(params::kBandLowHz[size_t(band)]), hi = HzToMel(params::kBandHighHz[size_t(band)]);
      std::vector<float> edges;
      for (int b = 0; b < params::kMelBands + 2; ++b)
        edges.push_back(MelToHz(lo + (hi - lo) * float(b) / float(params::kMelBands + 1)));
      for (int b = 0; b < params::kMelBands; ++b) {
        std::vector<float> w(kBins, 0.0f);
        for (int k = 0; k < kBins; ++k) {
          const float hz = float(k) * params::kSampleRate / kFftSize;
          if (hz > edges[b] && hz < edges[b + 2]) {
            w[k] = hz <= edges[b + 1] ? (hz - edges[b]) / (edges[b + 1] - edges[b])
                                      : (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
          }
        }
        t.mel.push_back(std::move(w));
      }
    }
    for (int c = 1; c <= params::kCepstra; ++c)
      for (int b = 0; b < params::kMelBands; ++b)
        t.dct.push_back(float(std::sqrt(2.0 / params::kMelBands) *
                              std::cos(kPi * c * (b + 0.5) / params::kMelBands)));
    return t;
  }();
  return t;
}

}  // namespace

FrameAnalysis AnalyseFrames(const std::vector<float>& x) {
  const Tables& t = GetTables();
  FrameAnalysis a;
  if (x.size() < size_t(params::kFrameLength)) return a;
  const size_t n = 1 + (x.size() - params::kFrameLength) / params::kFrameShift;
  a.energy_db.resize(n);
  a.flatness.resize(n);
  a.cepstra.dim = params::kBands * params::kCepstra;
  a.cepstra.data.resize(n * size_t(a.cepstra.dim));
  std::vector<float> frame(kFftSize), power(kBins), mel(params::kMelBands);
  std::vector<fftwf_complex> spec(kBins);
  for (size_t f = 0; f < n; ++f) {
    const float* s = x.data() + f * params::kFrameShift;
    double mean = 0, energy = 0;
    for (int i = 0; i < params::kFrameLength; ++i) mean += s[i];
    mean /= params::kFrameLength;
    std::fill(frame.begin(), frame.end(), 0.0f);
    for (int i = 0; i < params::kFrameLength; ++i) {
      const float prev = i > 0 ? s[i - 1] : s[0];
      const float v = float(s[i] - mean) - params::kPreEmphasis * float(prev - mean);
      energy += double(s[i] - mean) * double(s[i] - mean);
      frame[i] = v * t.window[i];
    }
    a.energy_db[f] = float(10.0 * std::log10(energy / params::kFrameLength + 1e-12));
    fftwf_execute_dft_r2c(Plan(), frame.data(), spec.data());
    double log_sum = 0, lin_sum = 0;
    int bins_in_band = 0;
    for (int k = 0; k < kBins; ++k) {
      power[k] = spec[k][0] * spec[k][0] + spec[k][1] * spec[k][1];
      const float hz = float(k) * params::kSampleRate / kFftSize;
      if (hz >= params::kFlatnessLowHz && hz <= params::kFlatnessHighHz) {
        log_sum += std::log(double(power[k]) + 1e-12);
        lin_sum += double(power[k]) + 1e-12;
        ++bins_in_band;
      }
    }
    // Spectral flatness (geometric / arithmetic mean of the in-band power): near 1 for white noise,
    // near 0 for voiced speech.
    a.flatness[f] = float(std::exp(log_sum / bins_in_band) / (lin_sum / bins_in_band));
    for (int band = 0; band < params::kBands; ++band) {
      for (int b = 0; b < params::kMelBands; ++b) {
        double e = 0;
        const std::vector<float>& w = t.mel[size_t(band * params::kMelBands + b)];
        for (int k = 0; k < kBins; ++k) e += double(w[k]) * power[k];
        mel[b] = float(std::log(e + 1e-10));
      }
      float* c = a.cepstra.row(f) + band * params::kCepstra;
      for (int i = 0; i < params::kCepstra; ++i) {
        float v = 0;
        for (int b = 0; b < params::kMelBands; ++b) v += t.dct[size_t(i) * params::kMelBands + b] * mel[b];
        c[i] = v;
      }
    }
  }
  return a;
}

FeatureMatrix AddDeltas(const FeatureMatrix& c, int groups) {
  const size_t n = c.frames();
  const int d = c.dim / groups;  // columns of one group
  FeatureMatrix out;
  out.dim = 2 * c.dim;
  out.data.resize(n * size_t(out.dim));
  float denom = 0;
  for (int k = 1; k <= params::kDeltaWindow; ++k) denom += 2.0f * float(k * k);
  for (size_t f = 0; f < n; ++f) {
    for (int g = 0; g < groups; ++g) {
      float* o = out.row(f) + 2 * g * d;
      const int in = g * d;
      std::copy(c.row(f) + in, c.row(f) + in + d, o);
      for (int i = 0; i < d; ++i) {
        float acc = 0;
        for (int k = 1; k <= params::kDeltaWindow; ++k) {
          const size_t next = std::min(n - 1, f + size_t(k));
          const size_t prev = f >= size_t(k) ? f - size_t(k) : 0;
          acc += float(k) * (c.row(next)[in + i] - c.row(prev)[in + i]);
        }
        o[d + i] = acc / denom;
      }
    }
  }
  return out;
}

}  // namespace idreg::voice
