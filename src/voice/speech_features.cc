// Voice activity, quality measurements and normalisation around the frame analysis.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "idreg/voice/features.h"
#include "voice/frames.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

float Percentile(std::vector<float> v, double q) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, size_t(q * double(v.size())));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

}  // namespace

void FeatureMatrix::Append(const FeatureMatrix& other) {
  if (dim == 0) dim = other.dim;
  data.insert(data.end(), other.data.begin(), other.data.end());
}

std::vector<bool> SpeechFrames(const FrameAnalysis& a) {
  const size_t n = a.energy_db.size();
  std::vector<bool> speech(n, false);
  if (n == 0) return speech;
  const float top = *std::max_element(a.energy_db.begin(), a.energy_db.end());
  const float floor_db = Percentile(a.energy_db, 0.10);
  const float threshold = std::max({top - params::kVadDynamicRangeDb, floor_db + params::kVadAboveFloorDb,
                                    params::kVadAbsoluteFloorDb});
  for (size_t f = 0; f < n; ++f) {
    const float needed = a.flatness[f] > params::kVadFlatness ? threshold + params::kVadFlatExtraDb : threshold;
    speech[f] = a.energy_db[f] >= needed;
  }
  // A file that is all speech (a short prompt cut tight) has its 10th percentile inside speech:
  // when the floor is within the dynamic range of the top, the floor test alone would drop half
  // the speech, so fall back to the range and absolute tests.
  if (top - floor_db < params::kVadAboveFloorDb + 3) {
    for (size_t f = 0; f < n; ++f)
      speech[f] = a.energy_db[f] >= std::max(top - params::kVadDynamicRangeDb, params::kVadAbsoluteFloorDb) &&
                  a.flatness[f] <= params::kVadFlatness;
  }
  return speech;
}

std::vector<bool> DetectSpeech(const std::vector<float>& samples_16k) {
  return SpeechFrames(AnalyseFrames(samples_16k));
}

SpeechFeatures ExtractSpeech(const Audio& audio) {
  SpeechFeatures out;
  out.clipped_fraction = audio.clipped_fraction;
  out.peak = audio.peak;
  out.features.dim = params::kFeatureDim;
  out.snr_db = std::numeric_limits<double>::quiet_NaN();
  const Audio a16 = Resample(audio, params::kSampleRate);
  const FrameAnalysis a = AnalyseFrames(a16.samples);
  out.total_frames = a.energy_db.size();
  if (out.total_frames == 0 || audio.peak < params::kSilentPeak) return out;
  const std::vector<bool> speech = SpeechFrames(a);
  const FeatureMatrix all = AddDeltas(a.cepstra, params::kBands);
  double speech_db = 0, noise_db = 0;
  size_t n_speech = 0, n_noise = 0;
  for (size_t f = 0; f < speech.size(); ++f) {
    if (speech[f]) {
      out.features.data.insert(out.features.data.end(), all.row(f), all.row(f) + all.dim);
      speech_db += a.energy_db[f];
      ++n_speech;
    } else {
      noise_db += std::max(a.energy_db[f], -100.0f);
      ++n_noise;
    }
  }
  out.speech_seconds = double(n_speech) * params::kFrameShift / params::kSampleRate;
  if (n_speech > 0 && double(n_noise) >= params::kMinNoiseFrames)
    out.snr_db = speech_db / double(n_speech) - noise_db / double(n_noise);
  return out;
}

Status CheckQuality(const SpeechFeatures& s, double min_speech_seconds) {
  auto fmt = [](double v) {
    std::ostringstream o;
    o.precision(3);
    o << v;
    return o.str();
  };
  if (s.peak < params::kSilentPeak) return Status::InvalidArgument("voice quality: silent (no speech found)");
  // Sound, but no frame rises above the noise floor by the VAD margin: speech drowned in noise
  // (or a steady noise without speech).
  if (s.features.frames() == 0)
    return Status::InvalidArgument("voice quality: too noisy (no speech stands out from the background)");
  if (s.clipped_fraction > params::kMaxClippedFraction)
    return Status::InvalidArgument("voice quality: clipped (" + fmt(100 * s.clipped_fraction) +
                                   "% of samples at full scale, limit " +
                                   fmt(100 * params::kMaxClippedFraction) + "%)");
  if (!std::isnan(s.snr_db) && s.snr_db < params::kMinSnrDb)
    return Status::InvalidArgument("voice quality: too noisy (estimated SNR " + fmt(s.snr_db) +
                                   " dB, minimum " + fmt(params::kMinSnrDb) + " dB)");
  if (s.speech_seconds < min_speech_seconds)
    return Status::InvalidArgument("voice quality: too short (" + fmt(s.speech_seconds) +
                                   " s of speech after voice activity detection, minimum " +
                                   fmt(min_speech_seconds) + " s)");
  return Status::Ok();
}

void ApplyCmvn(FeatureMatrix& m) {
  const size_t n = m.frames();
  if (n == 0) return;
  const int d = m.dim;
  std::vector<double> mean(d, 0), var(d, 0);
  for (size_t f = 0; f < n; ++f)
    for (int i = 0; i < d; ++i) mean[i] += m.row(f)[i];
  for (int i = 0; i < d; ++i) mean[i] /= double(n);
  for (size_t f = 0; f < n; ++f)
    for (int i = 0; i < d; ++i) var[i] += (m.row(f)[i] - mean[i]) * (m.row(f)[i] - mean[i]);
  for (int i = 0; i < d; ++i) {
    const double sd = std::sqrt(var[i] / double(n));
    const double inv = sd > 1e-6 ? 1.0 / sd : 1.0;
    for (size_t f = 0; f < n; ++f) m.row(f)[i] = float((m.row(f)[i] - mean[i]) * inv);
  }
}

}  // namespace idreg::voice
