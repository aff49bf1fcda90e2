#include "idreg/voice/voice_template.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "idreg/voice/gallery.h"

namespace idreg::voice {
namespace {

VoiceTemplate Random(size_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  VoiceTemplate t;
  t.model_id = "0123456789abcdef";
  double norm = 0;
  for (size_t i = 0; i < dim; ++i) {
    t.embedding.push_back(g(rng));
    norm += double(t.embedding.back()) * t.embedding.back();
  }
  for (float& v : t.embedding) v = float(v / std::sqrt(norm));
  t.cohort_mean = 0.05f;
  t.cohort_std = 0.02f;
  t.speech_seconds = 12.5f;
  return t;
}

TEST(VoiceTemplate, RoundTrip) {
  const VoiceTemplate t = Random(4864, 1);
  auto d = DecodeTemplate(EncodeTemplate(t));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->model_id, t.model_id);
  EXPECT_EQ(d->embedding, t.embedding);
  EXPECT_EQ(d->cohort_mean, t.cohort_mean);
  EXPECT_EQ(d->speech_seconds, t.speech_seconds);
}

TEST(VoiceTemplate, RejectsDamage) {
  const std::vector<uint8_t> good = EncodeTemplate(Random(100, 2));
  std::vector<uint8_t> bad = good;
  bad[0] = 'X';
  EXPECT_NE(DecodeTemplate(bad).status().message().find("magic"), std::string::npos);
  bad = good;
  bad.pop_back();
  EXPECT_NE(DecodeTemplate(bad).status().message().find("length"), std::string::npos);
  bad = good;
  bad[8] = 9;  // version
  EXPECT_NE(DecodeTemplate(bad).status().message().find("version"), std::string::npos);
  bad[8] = 2;  // the single-band templates of the earlier model: refused, naming their version
  EXPECT_NE(DecodeTemplate(bad).status().message().find("unsupported version 2"), std::string::npos)
      << DecodeTemplate(bad).status().ToString();
  bad = good;
  bad[bad.size() - 10] ^= 0x40;  // an embedding value: no longer unit length (or not finite)
  EXPECT_FALSE(DecodeTemplate(bad).ok());
  for (size_t n = 0; n < good.size(); n += 7)
    EXPECT_FALSE(DecodeTemplate(std::span(good.data(), n)).ok()) << n;
}

TEST(VoiceTemplate, SNormScoresAgainstTheCohortStatistics) {
  VoiceTemplate a = Random(64, 3), b = a;
  EXPECT_NEAR(CosineScore(a, b), 1.0f, 1e-5f);
  EXPECT_NEAR(SNormScore(a, b), (1.0f - 0.05f) / 0.02f - DurationOffset(12.5f, 12.5f), 1e-2f);
}

TEST(VoiceTemplate, DurationOffsetIsZeroAtThreeSecondsAndGrowsWithTheShorterSample) {
  EXPECT_FLOAT_EQ(DurationOffset(3, 10), 0.0f);
  EXPECT_LT(DurationOffset(1, 10), 0.0f);
  EXPECT_GT(DurationOffset(10, 10), 0.0f);
  EXPECT_FLOAT_EQ(DurationOffset(10, 1), DurationOffset(1, 10));
  EXPECT_FLOAT_EQ(DurationOffset(0.2f, 10), DurationOffset(1, 10));   // clamped below
  EXPECT_FLOAT_EQ(DurationOffset(600, 900), DurationOffset(30, 30));  // and above
}

TEST(VoiceTemplate, CohortStatisticsFollowTheOtherSamplesDuration) {
  VoiceTemplate t = Random(16, 7);
  t.cohort_by_duration = {{1, 0.10f, 0.05f}, {3, 0.20f, 0.04f}, {10, 0.30f, 0.02f}};
  EXPECT_FLOAT_EQ(CohortStatsFor(t, 0.5f).mean, 0.10f);  // clamped to the shortest
  EXPECT_FLOAT_EQ(CohortStatsFor(t, 3).mean, 0.20f);
  EXPECT_FLOAT_EQ(CohortStatsFor(t, 60).std, 0.02f);  // and the longest
  // Interpolated in log duration: sqrt(3 * 10) s is half way between 3 s and 10 s.
  EXPECT_NEAR(CohortStatsFor(t, std::sqrt(30.0f)).mean, 0.25f, 1e-5f);
  EXPECT_NEAR(CohortStatsFor(t, std::sqrt(30.0f)).std, 0.03f, 1e-5f);
  // Each side of a pair is normalised for the other's duration.
  VoiceTemplate probe = Random(16, 8);
  probe.speech_seconds = 3;
  probe.cohort_by_duration = {{1, 0.0f, 0.1f}, {3, 0.0f, 0.1f}, {10, 0.05f, 0.1f}};
  t.speech_seconds = 10;
  const float s = CosineScore(t, probe);
  EXPECT_NEAR(SNormScore(t, probe), 0.5f * ((s - 0.20f) / 0.04f + (s - 0.05f) / 0.1f) - DurationOffset(3, 10), 1e-4f);
  EXPECT_FLOAT_EQ(SNormScore(t, probe), SNormScore(probe, t));
}

TEST(VoiceTemplate, CohortStatisticsRoundTripAndDamageIsRefused) {
  VoiceTemplate t = Random(32, 9);
  t.cohort_by_duration = {{1, 0.1f, 0.05f}, {3, 0.2f, 0.04f}};
  const std::vector<uint8_t> good = EncodeTemplate(t);
  auto d = DecodeTemplate(good);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->cohort_by_duration.size(), 2u);
  EXPECT_EQ(d->cohort_by_duration[1].seconds, 3.0f);
  EXPECT_EQ(d->cohort_by_duration[1].std, 0.04f);
  VoiceTemplate unordered = t;
  std::swap(unordered.cohort_by_duration[0], unordered.cohort_by_duration[1]);
  EXPECT_NE(DecodeTemplate(EncodeTemplate(unordered)).status().message().find("ascending"), std::string::npos);
  VoiceTemplate zero_sd = t;
  zero_sd.cohort_by_duration[0].std = 0;
  EXPECT_NE(DecodeTemplate(EncodeTemplate(zero_sd)).status().message().find("cohort statistics"), std::string::npos);
}

TEST(VoiceTemplate, GallerySearchScoresAreSNormScores) {
  VoiceGallery g;
  std::vector<VoiceTemplate> refs;
  for (uint32_t i = 0; i < 6; ++i) {
    VoiceTemplate t = Random(48, 20 + i);
    t.speech_seconds = i % 2 ? 10.0f : 4.0f + float(i);
    t.cohort_by_duration = {{1, 0.01f * float(i), 0.05f}, {3, 0.02f, 0.04f + 0.01f * float(i)}, {10, 0.03f, 0.02f}};
    refs.push_back(t);
    ASSERT_TRUE(g.Add("r" + std::to_string(i), t).ok());
  }
  VoiceTemplate probe = Random(48, 40);
  probe.speech_seconds = 2;
  probe.cohort_by_duration = {{1, 0.0f, 0.1f}, {3, 0.01f, 0.09f}, {10, 0.05f, 0.08f}};
  const std::vector<VoiceCandidate> found = g.Search(probe, refs.size());
  ASSERT_EQ(found.size(), refs.size());
  for (size_t k = 0; k + 1 < found.size(); ++k) EXPECT_GE(found[k].score, found[k + 1].score);
  for (const VoiceCandidate& c : found)
    EXPECT_NEAR(c.score, SNormScore(probe, refs[size_t(std::stoi(c.id.substr(1)))]), 1e-4f) << c.id;
}

TEST(DotKernel, DispatchMatchesScalarReferenceOnOddLengths) {
  for (size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 33u, 4863u}) {
    const VoiceTemplate a = Random(std::max<size_t>(n, 1), 5), b = Random(std::max<size_t>(n, 1), 6);
    EXPECT_NEAR(Dot(a.embedding.data(), b.embedding.data(), n), DotScalar(a.embedding.data(), b.embedding.data(), n),
                1e-5f)
        << n;
  }
}

}  // namespace
}  // namespace idreg::voice
