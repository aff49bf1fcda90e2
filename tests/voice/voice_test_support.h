// Shared helpers of the voice tests: WAV bytes built in memory, synthetic signals, and the paths
// of the Debian speech packages' recordings.
#ifndef IDREG_TESTS_VOICE_VOICE_TEST_SUPPORT_H_
#define IDREG_TESTS_VOICE_VOICE_TEST_SUPPORT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace idreg::voice::testing {

// A canonical 16-bit PCM WAV of interleaved samples (+-1 full scale).
std::vector<uint8_t> MakeWav(const std::vector<float>& interleaved, int rate, int channels);

// A vowel-like harmonic signal (120 Hz fundamental) of `seconds`, amplitude `amp`.
std::vector<float> Vowel(double seconds, int rate, float amp);
std::vector<float> Noise(double seconds, int rate, float amp, uint32_t seed);

// Asterisk prompt recorded by one speaker (installed by scripts/install-deps).
inline const char* kAllisonDir = "/usr/share/asterisk/sounds/en_US_f_Allison";
inline const char* kJuneDir = "/usr/share/asterisk/sounds/fr_CA_f_June";
inline const char* kCarloDir = "/usr/share/asterisk/sounds/it_IT_m_Carlo";
// Fish Fillets NG dialogues (fillets-ng-data-cs, -nl): 22.05 kHz Ogg/Vorbis, Czech mono, Dutch
// stereo; <level>-m-* is the small fish's line, <level>-v-* the big fish's (doc/voice.md).
inline const char* kFilletsSoundDir = "/usr/share/games/fillets-ng/sound";

}  // namespace idreg::voice::testing

#endif  // IDREG_TESTS_VOICE_VOICE_TEST_SUPPORT_H_
