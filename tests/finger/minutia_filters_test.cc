// The unclear-area rule of the false-minutia filters: a minutia is dropped where the orientation
// coherence is below an absolute floor or below a fraction of the print's own median coherence (a
// noisy patch of an otherwise clear print), and kept where the whole print is uniformly that clear.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "finger/parameters.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

constexpr int kSide = 200;

// Horizontal ridges everywhere, coherence `base` except `patch` (coherence `patch_value`).
OrientationField Field(float base, cv::Rect patch, float patch_value) {
  OrientationField f;
  f.cos2 = cv::Mat1f(kSide, kSide, 1.0f);
  f.sin2 = cv::Mat1f(kSide, kSide, 0.0f);
  f.coherence = cv::Mat1f(kSide, kSide, base);
  f.coherence(patch).setTo(patch_value);
  return f;
}

RawMinutia Ending(int x, int y) {
  RawMinutia m;
  m.x = x;
  m.y = y;
  m.type = MinutiaType::kEnding;
  m.quality = 0.5f;
  return m;
}

// Minutiae far apart (no cluster, break or link rule applies) and far from the mask's edge.
std::vector<RawMinutia> Spread() {
  return {Ending(50, 50), Ending(150, 50), Ending(50, 150), Ending(150, 150)};
}

bool Has(const std::vector<Minutia>& out, int x, int y) {
  for (const Minutia& m : out) {
    if (m.x == x && m.y == y) return true;
  }
  return false;
}

TEST(MinutiaFiltersTest, NoisyPatchOfAClearPrintLosesItsMinutiae) {
  const cv::Mat1b mask(kSide, kSide, uint8_t{255});
  // Coherence 0.7 over the print, 0.12 in a patch around (150, 150): above the absolute floor
  // (0.1) but below 0.2 x 0.7.
  const float low = 0.12f;
  ASSERT_GT(low, params::kMinCoherence);
  ASSERT_LT(low, params::kMinRelativeCoherence * 0.7);
  const OrientationField field = Field(0.7f, cv::Rect(130, 130, 40, 40), low);
  const std::vector<Minutia> out = FilterMinutiae(Spread(), mask, field);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_FALSE(Has(out, 150, 150)) << "the minutia in the noisy patch must be dropped";
  EXPECT_TRUE(Has(out, 50, 50));
  EXPECT_TRUE(Has(out, 150, 50));
  EXPECT_TRUE(Has(out, 50, 150));
}

TEST(MinutiaFiltersTest, UniformlyFaintPrintKeepsItsMinutiae) {
  const cv::Mat1b mask(kSide, kSide, uint8_t{255});
  // The same coherence everywhere: nothing is unclear relative to the print itself.
  const OrientationField field = Field(0.12f, cv::Rect(0, 0, 1, 1), 0.12f);
  EXPECT_EQ(FilterMinutiae(Spread(), mask, field).size(), 4u);
}

TEST(MinutiaFiltersTest, AbsoluteFloorStillApplies) {
  const cv::Mat1b mask(kSide, kSide, uint8_t{255});
  const float below = static_cast<float>(params::kMinCoherence) * 0.8f;
  const OrientationField field = Field(below, cv::Rect(0, 0, 1, 1), below);
  EXPECT_TRUE(FilterMinutiae(Spread(), mask, field).empty());
}

TEST(MinutiaFiltersTest, MedianIsTakenOverTheForegroundOnly) {
  // A clear print (0.7) covering 36% of an image whose background has coherence 0: a minutia at
  // 0.12 inside the print is dropped although the whole image's median coherence is 0.
  const cv::Rect print(40, 40, 120, 120);
  cv::Mat1b mask(kSide, kSide, uint8_t{0});
  mask(print).setTo(255);
  OrientationField field = Field(0.0f, print, 0.7f);
  field.coherence(cv::Rect(130, 130, 20, 20)).setTo(0.12f);
  const std::vector<RawMinutia> raw = {Ending(70, 70), Ending(140, 70), Ending(70, 140), Ending(140, 140)};
  const std::vector<Minutia> out = FilterMinutiae(raw, mask, field);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_FALSE(Has(out, 140, 140));
}

}  // namespace
}  // namespace idreg::finger
