#include "idreg/voice/features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "voice/voice_test_support.h"

namespace idreg::voice {
namespace {

Audio Make(std::vector<float> x, int rate) {
  Audio a{std::move(x), rate, 0, 0};
  for (float v : a.samples) a.peak = std::max(a.peak, std::fabs(v));
  return a;
}

std::vector<float> Concat(std::vector<float> a, const std::vector<float>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Vad, FindsTheBurstBetweenSilences) {
  const auto x = Concat(Concat(std::vector<float>(16000, 0.0f), testing::Vowel(1.0, 16000, 0.3f)),
                        std::vector<float>(16000, 0.0f));
  const auto speech = DetectSpeech(x);
  ASSERT_GT(speech.size(), 290u);
  EXPECT_FALSE(speech[50]);
  EXPECT_TRUE(speech[150]);
  EXPECT_FALSE(speech[260]);
  size_t n = 0;
  for (bool s : speech) n += s;
  EXPECT_NEAR(double(n), 100, 5);
}

TEST(Vad, WhiteNoiseBetweenBurstsIsNotSpeech) {
  auto noise = testing::Noise(1.0, 16000, 0.003f, 7);
  const auto x = Concat(Concat(noise, testing::Vowel(1.0, 16000, 0.3f)), noise);
  const auto speech = DetectSpeech(x);
  EXPECT_FALSE(speech[50]);
  EXPECT_TRUE(speech[150]);
}

TEST(Features, DimensionAndCmvn) {
  const auto x = Concat(Concat(std::vector<float>(8000, 0.0f), testing::Vowel(2.0, 16000, 0.3f)),
                        testing::Noise(0.5, 16000, 0.2f, 3));
  SpeechFeatures s = ExtractSpeech(Make(x, 16000));
  ASSERT_EQ(s.features.dim, 76);  // two bands of c1..c19 and deltas
  EXPECT_GT(s.speech_seconds, 1.9);
  ApplyCmvn(s.features);
  double mean = 0, var = 0;
  for (size_t f = 0; f < s.features.frames(); ++f) mean += s.features.row(f)[0];
  mean /= double(s.features.frames());
  for (size_t f = 0; f < s.features.frames(); ++f) var += std::pow(s.features.row(f)[0] - mean, 2);
  EXPECT_NEAR(mean, 0.0, 1e-4);
  EXPECT_NEAR(var / double(s.features.frames()), 1.0, 1e-3);
}

// A tone at 6 kHz added to a voice changes the wideband features (columns 38-75) and leaves the
// telephone band's (0-37, up to 3.8 kHz) almost as they were.
TEST(Features, OnlyTheWidebandSeesEnergyAboveTheTelephoneBand) {
  // A faint noise floor fills every band, as a recording's would (else the empty upper telephone
  // bands would measure only the tone's spectral leakage).
  auto vowel = Concat(Concat(std::vector<float>(8000, 0.0f), testing::Vowel(2.0, 16000, 0.3f)),
                      std::vector<float>(8000, 0.0f));
  const auto floor = testing::Noise(3.0, 16000, 0.003f, 5);
  for (size_t i = 0; i < vowel.size(); ++i) vowel[i] += floor[i];
  auto bright = vowel;
  for (size_t i = 8000; i < 40000; ++i) bright[i] += 0.05f * float(std::sin(2 * M_PI * 6000 * double(i) / 16000));
  const SpeechFeatures a = ExtractSpeech(Make(vowel, 16000)), b = ExtractSpeech(Make(bright, 16000));
  ASSERT_GT(a.features.frames(), 100u);
  ASSERT_GT(b.features.frames(), 100u);
  // How far each band's mean cepstrum (c1..c19) moves.
  auto mean = [](const FeatureMatrix& m, int col) {
    double v = 0;
    for (size_t f = 0; f < m.frames(); ++f) v += m.row(f)[col];
    return v / double(m.frames());
  };
  double tele = 0, wide = 0;
  for (int i = 0; i < 19; ++i) {
    tele += std::abs(mean(a.features, i) - mean(b.features, i));
    wide += std::abs(mean(a.features, 38 + i) - mean(b.features, 38 + i));
  }
  EXPECT_GT(wide, 10 * tele) << "telephone band " << tele << ", wideband " << wide;
  EXPECT_GT(wide, 1.0);
}

TEST(Quality, SilentClippedNoisyShortAreRejectedWithTheReason) {
  auto reason = [](const Audio& a, double min_s) { return CheckQuality(ExtractSpeech(a), min_s).message(); };
  EXPECT_NE(reason(Make(std::vector<float>(32000, 0.0f), 16000), 1.0).find("silent"), std::string::npos);
  Audio clipped = Make(testing::Vowel(2.0, 16000, 0.9f), 16000);
  clipped.clipped_fraction = 0.2;
  EXPECT_NE(reason(clipped, 1.0).find("clipped"), std::string::npos);
  // A faint voice under loud white noise: nothing stands out from the noise.
  auto noisy = testing::Noise(3.0, 16000, 0.1f, 1);
  auto v = testing::Vowel(1.0, 16000, 0.02f);
  for (size_t i = 0; i < v.size(); ++i) noisy[16000 + i] += v[i];
  EXPECT_NE(reason(Make(noisy, 16000), 1.0).find("too noisy"), std::string::npos) << reason(Make(noisy, 16000), 1.0);
  auto brief = Concat(Concat(std::vector<float>(8000, 0.0f), testing::Vowel(0.4, 16000, 0.3f)),
                      std::vector<float>(8000, 0.0f));
  EXPECT_NE(reason(Make(brief, 16000), 1.0).find("too short"), std::string::npos);
  auto good = Concat(Concat(std::vector<float>(8000, 0.0f), testing::Vowel(1.5, 16000, 0.3f)),
                     std::vector<float>(8000, 0.0f));
  EXPECT_TRUE(CheckQuality(ExtractSpeech(Make(good, 16000)), 1.0).ok());
}

TEST(Features, RealPromptHasSpeechAndPassesQuality) {
  const std::filesystem::path wav = std::string(testing::kAllisonDir) + "/vm-intro.wav";
  if (!std::filesystem::exists(wav)) GTEST_SKIP() << wav << " missing: run scripts/install-deps";
  auto a = ReadAudioFile(wav);
  ASSERT_TRUE(a.ok());
  SpeechFeatures s = ExtractSpeech(*a);
  EXPECT_GT(s.speech_seconds, 0.5 * a->seconds());
  EXPECT_LT(s.speech_seconds, a->seconds());
  EXPECT_TRUE(CheckQuality(s, 1.0).ok()) << CheckQuality(s, 1.0).ToString();
}

}  // namespace
}  // namespace idreg::voice
