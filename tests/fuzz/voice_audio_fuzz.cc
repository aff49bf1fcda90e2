// Fuzzes audio decoding (libsndfile from memory, all formats it detects, and raw GSM) and the
// feature extraction behind it. Beyond "no crash": accepted audio obeys the rate, duration and
// range limits, and its features have the documented dimension.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "idreg/voice/audio.h"
#include "idreg/voice/features.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const char* hint : {"", "gsm"}) {
    auto a = idreg::voice::DecodeAudio({data, size}, hint);
    if (!a.ok()) {
      Require(!a.status().message().empty());
      continue;
    }
    Require(a->sample_rate >= 8000 && a->sample_rate <= 48000);
    Require(a->seconds() <= 600.0);
    for (float v : a->samples) Require(std::isfinite(v) && v >= -1.0f && v <= 1.0f);
    if (a->seconds() <= 2.0) {  // keep each input fast
      auto s = idreg::voice::ExtractSpeech(*a);
      Require(s.features.dim == 76 && s.features.data.size() % 76 == 0);  // two bands of 38
      (void)idreg::voice::CheckQuality(s, 1.0);
    }
  }
  return 0;
}
