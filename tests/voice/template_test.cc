#include "idreg/voice/voice_template.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

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
  bad = good;
  bad[bad.size() - 10] ^= 0x40;  // an embedding value: no longer unit length (or not finite)
  EXPECT_FALSE(DecodeTemplate(bad).ok());
  for (size_t n = 0; n < good.size(); n += 7)
    EXPECT_FALSE(DecodeTemplate(std::span(good.data(), n)).ok()) << n;
}

TEST(VoiceTemplate, SNormScoresAgainstTheCohortStatistics) {
  VoiceTemplate a = Random(64, 3), b = a;
  EXPECT_NEAR(CosineScore(a, b), 1.0f, 1e-5f);
  EXPECT_NEAR(SNormScore(a, b), (1.0f - 0.05f) / 0.02f, 1e-2f);
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
