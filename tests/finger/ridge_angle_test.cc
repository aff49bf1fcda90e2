// DoubledAngleToAngle (stages.h) replaces 0.5 * atan2 with a polynomial that vectorises: it must
// agree with the library's arctangent to float rounding over every direction and magnitude.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "finger/stages.h"

namespace idreg::finger {
namespace {

// Distance between two directions in [0, pi), modulo pi.
double AngleGap(double a, double b) {
  const double d = std::fmod(std::fabs(a - b), std::numbers::pi);
  return std::min(d, std::numbers::pi - d);
}

TEST(RidgeAngleTest, AgreesWithAtan2EverywhereToFloatRounding) {
  double worst = 0;
  for (int i = 0; i < 200000; ++i) {
    const double phi = -std::numbers::pi + 2 * std::numbers::pi * i / 200000;
    for (const double r : {1e-6, 0.37, 1.0, 250.0}) {
      const float c = static_cast<float>(r * std::cos(phi)), s = static_cast<float>(r * std::sin(phi));
      double expected = 0.5 * std::atan2(static_cast<double>(s), static_cast<double>(c));
      if (expected < 0) expected += std::numbers::pi;
      const float got = DoubledAngleToAngle(c, s);
      ASSERT_GE(got, 0.0f) << c << " " << s;
      ASSERT_LE(got, static_cast<float>(std::numbers::pi)) << c << " " << s;
      worst = std::max(worst, AngleGap(got, expected));
    }
  }
  EXPECT_LT(worst, 5e-7);  // float rounding of angles up to pi; the polynomial itself errs <= 2e-8
}

TEST(RidgeAngleTest, AxesAndDegenerateVectors) {
  const float pi = static_cast<float>(std::numbers::pi);
  EXPECT_EQ(DoubledAngleToAngle(1, 0), 0.0f);
  EXPECT_NEAR(DoubledAngleToAngle(0, 1), pi / 4, 1e-7);
  EXPECT_NEAR(DoubledAngleToAngle(-1, 0), pi / 2, 1e-7);
  EXPECT_NEAR(DoubledAngleToAngle(-1, -0.0f), pi / 2, 1e-7);  // atan2(-0, -1) = -pi: the same direction
  EXPECT_NEAR(DoubledAngleToAngle(0, -1), 3 * pi / 4, 1e-7);
  EXPECT_EQ(DoubledAngleToAngle(0, 0), 0.0f);  // no orientation: as atan2(0, 0)
}

}  // namespace
}  // namespace idreg::finger
