// The synthetic generator against real extractions: the same statistics (counts, spacing, direction
// field, extent) within tolerances, mated synthetic pairs scoring like real genuine pairs and
// non-mated like impostors; deterministic per seed.
#include "idreg/finger/synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "idreg/finger/extractor.h"
#include "idreg/finger/matcher.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

const std::string kFvcRoot = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/";

bool Same(const FingerTemplate& a, const FingerTemplate& b) {
  if (a.minutiae.size() != b.minutiae.size() || a.quality != b.quality) return false;
  for (size_t i = 0; i < a.minutiae.size(); ++i) {
    const Minutia &x = a.minutiae[i], &y = b.minutiae[i];
    if (x.x != y.x || x.y != y.y || x.direction != y.direction || x.type != y.type) return false;
  }
  return true;
}

float Median(std::vector<float> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST(SyntheticTest, DeterministicPerSeedFingerAndImpression) {
  const SyntheticFingers a(7), b(7), c(8);
  EXPECT_TRUE(Same(a.Impression(12345, 1), b.Impression(12345, 1)));
  EXPECT_FALSE(Same(a.Impression(12345, 1), a.Impression(12345, 2)));
  EXPECT_FALSE(Same(a.Impression(12345, 1), c.Impression(12345, 1)));
  EXPECT_FALSE(Same(a.Impression(1, 0), a.Impression(2, 0)));
  // Order does not matter: a template made alone equals the one made after others.
  (void)a.Impression(99, 0);
  EXPECT_TRUE(Same(a.Impression(12345, 1), b.Impression(12345, 1)));
}

// Real extractions of FVC2002 (the first three impressions of finger 101 and the first of 102-106,
// in each database) against 40 synthetic fingers with 3 impressions each.
TEST(SyntheticTest, StatisticsAndScoresLikeRealExtractions) {
  if (!std::filesystem::exists(kFvcRoot + "DB1_B/101_1.tif")) GTEST_SKIP() << "missing " << kFvcRoot << "DB1_B/101_1.tif";
  std::vector<FingerTemplate> real;
  std::vector<float> real_genuine, real_impostor;
  for (const char* db : {"DB1_B", "DB2_B", "DB3_B", "DB4_B"}) {
    std::vector<FingerTemplate> mates, others;
    for (const char* name : {"101_1", "101_2", "101_3", "102_1", "103_1", "104_1", "105_1", "106_1"}) {
      auto img = ReadImageFile(kFvcRoot + db + "/" + name + ".tif");
      ASSERT_TRUE(img.ok()) << db << " " << name;
      auto t = ExtractMinutiae(*img);
      ASSERT_TRUE(t.ok()) << db << " " << name;
      (std::string(name).starts_with("101") ? mates : others).push_back(*t);
      real.push_back(*t);
    }
    for (size_t i = 0; i < mates.size(); ++i) {
      const FingerProbe probe(mates[i]);
      for (size_t j = i + 1; j < mates.size(); ++j) real_genuine.push_back(probe.Match(SearchTemplate(mates[j])));
    }
    for (size_t i = 0; i < others.size(); ++i) {
      const FingerProbe probe(others[i]);
      for (size_t j = i + 1; j < others.size(); ++j) real_impostor.push_back(probe.Match(SearchTemplate(others[j])));
    }
  }
  const SyntheticFingers gen(2026);
  std::vector<FingerTemplate> synth;
  for (int f = 0; f < 40; ++f) {
    for (int i = 0; i < 3; ++i) synth.push_back(gen.Impression(f, i));
  }
  const MinutiaStatistics r = ComputeMinutiaStatistics(real);
  const MinutiaStatistics s = ComputeMinutiaStatistics(synth);
  EXPECT_NEAR(s.count_mean, r.count_mean, 0.25 * r.count_mean);
  EXPECT_NEAR(s.count_sd, r.count_sd, 0.5 * r.count_sd);
  EXPECT_NEAR(s.nearest_p10, r.nearest_p10, 0.3 * r.nearest_p10);
  EXPECT_NEAR(s.nearest_p50, r.nearest_p50, 0.2 * r.nearest_p50);
  EXPECT_NEAR(s.nearest_p90, r.nearest_p90, 0.25 * r.nearest_p90);
  EXPECT_NEAR(s.bifurcation_share, r.bifurcation_share, 0.1);
  EXPECT_NEAR(s.quality_p50, r.quality_p50, 15);
  EXPECT_NEAR(s.neighbour_orientation_p50, r.neighbour_orientation_p50, 5);  // degrees
  EXPECT_NEAR(s.neighbour_opposite_share, r.neighbour_opposite_share, 0.12);
  EXPECT_NEAR(s.extent_width, r.extent_width, 0.2 * r.extent_width);
  EXPECT_NEAR(s.extent_height, r.extent_height, 0.2 * r.extent_height);

  std::vector<SearchTemplate> search;
  for (const FingerTemplate& t : synth) search.emplace_back(t);
  std::vector<float> genuine, impostor;
  for (size_t a = 0; a < synth.size(); ++a) {
    const FingerProbe probe(search[a]);
    for (size_t b = a + 1; b < synth.size(); ++b) {
      if (a / 3 == b / 3)
        genuine.push_back(probe.Match(search[b]));
      else if (a % 3 == 0 && b % 3 == 0)
        impostor.push_back(probe.Match(search[b]));
    }
  }
  // Mates like real genuine pairs (median within a factor 2), non-mates like impostors: medians
  // within a factor 2, and mates far above non-mates.
  const float rg = Median(real_genuine), ri = Median(real_impostor);
  const float sg = Median(genuine), si = Median(impostor);
  EXPECT_GT(sg, rg / 2) << "real genuine median " << rg;
  EXPECT_LT(sg, rg * 2) << "real genuine median " << rg;
  EXPECT_GT(si, ri / 2) << "real impostor median " << ri;
  EXPECT_LT(si, ri * 2) << "real impostor median " << ri;
  // The score where real impostors reach FMR 1% (FVC2002 DB1_B..DB4_B pooled, 11,520 pairs:
  // 0.0118, BENCHMARKS.md): about 1% of synthetic non-mates should pass it too, most mates.
  constexpr float kRealFmr1Percent = 0.0118f;
  size_t genuine_above = 0, impostor_above = 0;
  for (float v : genuine) genuine_above += v > kRealFmr1Percent;
  for (float v : impostor) impostor_above += v > kRealFmr1Percent;
  EXPECT_GT(genuine_above, genuine.size() * 8 / 10);
  EXPECT_LE(impostor_above, impostor.size() * 3 / 100);
  EXPECT_GE(impostor_above, 1u);  // not trivially separable either
}

}  // namespace
}  // namespace idreg::finger
