// Internal: the per-frame analysis shared by voice activity detection and feature extraction.
#ifndef IDREG_SRC_VOICE_FRAMES_H_
#define IDREG_SRC_VOICE_FRAMES_H_

#include <vector>

#include "idreg/voice/features.h"

namespace idreg::voice {

struct FrameAnalysis {
  std::vector<float> energy_db;  // per frame, dBFS (before pre-emphasis)
  std::vector<float> flatness;   // per frame, in-band spectral flatness 0..1
  FeatureMatrix cepstra;         // per frame, c1..c19 of each band, the bands one after the other
};

// x at 16 kHz; 25 ms frames every 10 ms.
FrameAnalysis AnalyseFrames(const std::vector<float>& x);

// Appends deltas to each of `groups` equal column groups: [c_0, delta c_0, c_1, delta c_1, ...].
FeatureMatrix AddDeltas(const FeatureMatrix& cepstra, int groups = 1);

// The speech decision from a frame analysis.
std::vector<bool> SpeechFrames(const FrameAnalysis& a);

}  // namespace idreg::voice

#endif  // IDREG_SRC_VOICE_FRAMES_H_
