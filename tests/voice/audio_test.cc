#include "idreg/voice/audio.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "voice/voice_test_support.h"

namespace idreg::voice {
namespace {

using testing::MakeWav;

TEST(AudioDecode, MonoWavAtItsRate) {
  const auto wav = MakeWav(testing::Vowel(0.5, 8000, 0.5f), 8000, 1);
  auto a = DecodeAudio(wav);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->sample_rate, 8000);
  EXPECT_EQ(a->samples.size(), 4000u);
  EXPECT_NEAR(a->seconds(), 0.5, 1e-9);
  EXPECT_EQ(a->clipped_fraction, 0.0);
}

TEST(AudioDecode, StereoIsMixedToMono) {
  std::vector<float> x;
  for (int i = 0; i < 1000; ++i) x.insert(x.end(), {0.5f, -0.5f});  // opposite channels cancel
  auto a = DecodeAudio(MakeWav(x, 16000, 2));
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->samples.size(), 1000u);
  EXPECT_NEAR(a->samples[10], 0.0f, 1e-4f);
  EXPECT_NEAR(a->peak, 0.5f, 1e-3f);
}

TEST(AudioDecode, RefusesBadInputNamingTheProblem) {
  EXPECT_NE(DecodeAudio({}).status().message().find("empty"), std::string::npos);
  const std::vector<uint8_t> junk(1000, 'x');
  EXPECT_NE(DecodeAudio(junk).status().message().find("cannot decode"), std::string::npos);
  auto wav = MakeWav(testing::Vowel(0.2, 16000, 0.5f), 16000, 1);
  std::vector<uint8_t> truncated(wav.begin(), wav.begin() + 30);
  EXPECT_FALSE(DecodeAudio(truncated).ok());
  auto fast = MakeWav(testing::Vowel(0.2, 16000, 0.5f), 96000, 1);
  EXPECT_NE(DecodeAudio(fast).status().message().find("96000 Hz"), std::string::npos);
  std::vector<float> six(600, 0.1f);
  EXPECT_NE(DecodeAudio(MakeWav(six, 16000, 6)).status().message().find("6 channels"), std::string::npos);
  // A header claiming 11 hours at 8 kHz: refused by the duration limit, not by running out of memory.
  std::vector<float> one(8000, 0.1f);
  auto big = MakeWav(one, 8000, 1);
  const uint32_t claimed = 8000u * 2u * 3600u * 11u;
  for (int i = 0; i < 4; ++i) big[40 + size_t(i)] = uint8_t(claimed >> (8 * i));
  auto r = DecodeAudio(big);
  if (!r.ok()) EXPECT_FALSE(r.status().message().empty());
  else EXPECT_LE(r->seconds(), 600.0);
}

TEST(AudioDecode, ClippingIsMeasured) {
  std::vector<float> x = testing::Vowel(0.5, 16000, 4.0f);  // driven far past full scale
  auto a = DecodeAudio(MakeWav(x, 16000, 1));
  ASSERT_TRUE(a.ok());
  EXPECT_GT(a->clipped_fraction, 0.1);
}

TEST(Resample, KeepsFrequencyAndLevel) {
  std::vector<float> x(8000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.5f * float(std::sin(2 * M_PI * 1000 * double(i) / 8000));
  Audio in{x, 8000, 0, 0.5f};
  Audio out = Resample(in, 16000);
  ASSERT_EQ(out.sample_rate, 16000);
  ASSERT_EQ(out.samples.size(), 16000u);
  int crossings = 0;
  double energy = 0;
  for (size_t i = 1000; i < 15000; ++i) {
    crossings += (out.samples[i - 1] < 0) != (out.samples[i] < 0);
    energy += double(out.samples[i]) * out.samples[i];
  }
  EXPECT_NEAR(crossings, 2 * 1000 * 14000 / 16000, 4);  // 1 kHz over 14000 samples
  EXPECT_NEAR(std::sqrt(energy / 14000), 0.5 / std::sqrt(2.0), 0.01);
}

TEST(Resample, DownsamplingRemovesWhatCannotBeRepresented) {
  std::vector<float> x(44100);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.5f * float(std::sin(2 * M_PI * 12000 * double(i) / 44100));
  Audio out = Resample(Audio{x, 44100, 0, 0.5f}, 16000);  // 12 kHz is above the new Nyquist (8 kHz)
  double energy = 0;
  for (size_t i = 500; i + 500 < out.samples.size(); ++i) energy += double(out.samples[i]) * out.samples[i];
  EXPECT_LT(std::sqrt(energy / double(out.samples.size() - 1000)), 0.01);
}

TEST(AudioFiles, AsteriskWavAndGsmPromptsDecode) {
  const std::filesystem::path wav = std::string(testing::kAllisonDir) + "/hello.wav";
  const std::filesystem::path gsm = "/usr/share/asterisk/sounds/fr/agent-pass.gsm";
  if (!std::filesystem::exists(wav) || !std::filesystem::exists(gsm))
    GTEST_SKIP() << wav << " or " << gsm << " missing: run scripts/install-deps";
  auto a = ReadAudioFile(wav);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->sample_rate, 8000);
  EXPECT_GT(a->seconds(), 0.3);
  auto g = ReadAudioFile(gsm);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->sample_rate, 8000);
  EXPECT_GT(g->seconds(), 0.5);
  EXPECT_GT(g->peak, 0.05f);
}

TEST(AudioFiles, MissingFileIsNotFound) {
  auto a = ReadAudioFile("/nonexistent/x.wav");
  EXPECT_EQ(a.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace idreg::voice
