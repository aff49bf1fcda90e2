// Audio input for the voice modality: WAV, FLAC, OGG/Vorbis (and what else libsndfile reads by
// content), PCM at 8-48 kHz, mono or stereo, mixed down to mono; raw GSM 06.10 (the asterisk
// prompt files, *.gsm) when the caller names that format. Every decoding runs from memory, so the
// same code path serves files, HTTP bodies and the fuzzer.
#ifndef IDREG_VOICE_AUDIO_H_
#define IDREG_VOICE_AUDIO_H_

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"

namespace idreg::voice {

struct Audio {
  std::vector<float> samples;     // mono, full scale +-1
  int sample_rate = 0;            // Hz
  double clipped_fraction = 0;    // share of input samples (any channel) at full scale
  float peak = 0;                 // largest |sample| of the input

  double seconds() const { return sample_rate > 0 ? double(samples.size()) / sample_rate : 0; }
};

// Decodes audio bytes. format_hint "gsm" reads headerless GSM 06.10 at 8 kHz; anything else is
// detected from the content. Refuses (InvalidArgument naming the problem) empty or undecodable
// bytes, rates outside 8-48 kHz, more than two channels, and input over the size or duration limit.
Result<Audio> DecodeAudio(std::span<const uint8_t> bytes, std::string_view format_hint = "");

// Reads a file (size-limited before reading) and decodes it; a ".gsm" extension selects raw GSM.
Result<Audio> ReadAudioFile(const std::filesystem::path& path);

// Band-limited (windowed-sinc) resampling to rate_hz; returns the input when the rates agree.
Audio Resample(const Audio& in, int rate_hz);

}  // namespace idreg::voice

#endif  // IDREG_VOICE_AUDIO_H_
