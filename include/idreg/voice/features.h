// From audio to speaker features: resampling to 16 kHz, energy + spectral-flatness voice activity
// detection, log-mel cepstra (c1..c19) with deltas in two bands (100-3800 Hz, the telephone band,
// then 100-7600 Hz: one row holds both, 2 x 38 values), and the quality measurements that decide
// whether a sample can be used (see doc/voice.md for the values).
#ifndef IDREG_VOICE_FEATURES_H_
#define IDREG_VOICE_FEATURES_H_

#include <cstddef>
#include <vector>

#include "idreg/core/status.h"
#include "idreg/voice/audio.h"

namespace idreg::voice {

// Row-major frames x dim.
struct FeatureMatrix {
  int dim = 0;
  std::vector<float> data;

  size_t frames() const { return dim > 0 ? data.size() / size_t(dim) : 0; }
  const float* row(size_t i) const { return data.data() + i * size_t(dim); }
  float* row(size_t i) { return data.data() + i * size_t(dim); }
  void Append(const FeatureMatrix& other);  // dims must agree (or this is empty)
};

struct SpeechFeatures {
  FeatureMatrix features;      // speech frames only, MFCC + deltas, not yet normalised
  size_t total_frames = 0;     // before VAD
  double speech_seconds = 0;   // after VAD
  double snr_db = 0;           // speech vs non-speech frame energy; NaN when too few non-speech frames
  double clipped_fraction = 0;
  float peak = 0;
};

// Resamples to 16 kHz, frames, finds speech and computes its features. Never fails: a silent input
// gives zero speech frames (CheckQuality says why it cannot be used).
SpeechFeatures ExtractSpeech(const Audio& audio);

// OK, or InvalidArgument naming the reason: silent, clipped, too noisy, or too short (under
// min_speech_seconds of speech after VAD).
Status CheckQuality(const SpeechFeatures& s, double min_speech_seconds);

// Cepstral mean and variance normalisation over all frames, in place.
void ApplyCmvn(FeatureMatrix& m);

// The frame-level voice activity decision alone (exposed for tests): one flag per 10 ms frame of a
// 16 kHz signal.
std::vector<bool> DetectSpeech(const std::vector<float>& samples_16k);

}  // namespace idreg::voice

#endif  // IDREG_VOICE_FEATURES_H_
