#include "idreg/voice/gmm.h"

#include <gtest/gtest.h>

#include <random>

namespace idreg::voice {
namespace {

FeatureMatrix TwoClusters(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  FeatureMatrix m;
  m.dim = 3;
  for (size_t i = 0; i < n; ++i) {
    const float c = i % 4 == 0 ? 5.0f : -2.0f;  // weights 0.25 / 0.75
    for (int d = 0; d < 3; ++d) m.data.push_back(c + (d == 0 ? 0.5f : 1.0f) * g(rng));
  }
  return m;
}

TEST(Gmm, RecoversTwoClustersAndIsSeeded) {
  const FeatureMatrix data = TwoClusters(4000, 1);
  GmmTrainOptions o;
  o.components = 2;
  o.em_iterations = 15;
  auto g = TrainDiagGmm(data, o);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const int big = g->weights[0] > g->weights[1] ? 0 : 1;
  EXPECT_NEAR(g->weights[size_t(big)], 0.75, 0.02);
  EXPECT_NEAR(g->means[size_t(big) * 3], -2.0, 0.1);
  EXPECT_NEAR(g->means[size_t(1 - big) * 3], 5.0, 0.1);
  EXPECT_NEAR(g->variances[size_t(big) * 3], 0.25, 0.05);
  EXPECT_NEAR(g->variances[size_t(big) * 3 + 1], 1.0, 0.1);
  auto again = TrainDiagGmm(data, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(g->means, again->means);
  EXPECT_EQ(g->variances, again->variances);
}

TEST(Gmm, StatsAndLikelihoodAgree) {
  const FeatureMatrix data = TwoClusters(2000, 2);
  GmmTrainOptions o;
  o.components = 2;
  auto g = TrainDiagGmm(data, o);
  ASSERT_TRUE(g.ok());
  const BaumWelchStats s = AccumulateStats(*g, data);
  EXPECT_NEAR(s.n[0] + s.n[1], 2000.0, 0.5);
  EXPECT_LT(s.log_likelihood / 2000.0, 0.0);
  EXPECT_GT(s.log_likelihood / 2000.0, -6.0);
}

TEST(Gmm, RefusesTooLittleData) {
  GmmTrainOptions o;
  o.components = 64;
  EXPECT_FALSE(TrainDiagGmm(TwoClusters(100, 3), o).ok());
}

}  // namespace
}  // namespace idreg::voice
