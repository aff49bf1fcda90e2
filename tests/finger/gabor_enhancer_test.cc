// The frequency-domain Gabor bank (bounding box, FFTW, kernels centred on the origin, mirrored
// kernels) against the textbook spatial form: cv::filter2D with each kernel over the whole image,
// blended the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/stages.h"
#include "finger/fvc_image.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

using params::kPi;

// The kernel as gabor_enhancer.cc defines it (Hong, Wan & Jain 1998): even-symmetric, zero mean,
// negated so that dark ridges respond positive.
cv::Mat1f ReferenceKernel(double angle, double period) {
  const double sa = params::kGaborSigmaAcross * period, sl = params::kGaborSigmaAlong * period;
  const int r = static_cast<int>(std::ceil(3 * std::max(sa, sl)));
  cv::Mat1f k(2 * r + 1, 2 * r + 1);
  double sum = 0;
  for (int y = -r; y <= r; ++y) {
    for (int x = -r; x <= r; ++x) {
      const double along = x * std::cos(angle) + y * std::sin(angle), across = -x * std::sin(angle) + y * std::cos(angle);
      const double v = std::exp(-0.5 * (along * along / (sl * sl) + across * across / (sa * sa))) *
                       std::cos(2 * kPi * across / period);
      k(y + r, x + r) = static_cast<float>(v);
      sum += v;
    }
  }
  k -= static_cast<float>(sum / k.total());
  return -k;
}

cv::Mat1f ReferenceEnhance(const cv::Mat1f& image, const OrientationField& field, double period) {
  const int n = params::kGaborOrientations;
  std::vector<cv::Mat1f> responses(n);
  for (int i = 0; i < n; ++i) {
    cv::filter2D(image, responses[i], CV_32F, ReferenceKernel(i * kPi / n, period), cv::Point(-1, -1), 0,
                 cv::BORDER_REFLECT);
  }
  cv::Mat1f out(image.size());
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const double pos = field.Angle(x, y) / kPi * n;
      const int i0 = static_cast<int>(pos) % n;
      const float w1 = static_cast<float>(pos - std::floor(pos));
      out(y, x) = (1 - w1) * responses[i0](y, x) + w1 * responses[(i0 + 1) % n](y, x);
    }
  }
  return out;
}

TEST(GaborEnhancerTest, EqualsSpatialFilteringInsideTheForegroundBox) {
  int checked = 0;
  for (const char* name : {"DB3_B/101_1.tif", "DB2_B/105_3.tif"}) {
    const std::string path = testing::FvcImagePath(name);
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
    const cv::Mat1f gray = testing::FvcGray(path);
    ASSERT_FALSE(gray.empty()) << "cannot read " << path;
    cv::Mat1b mask;
    SegmentForeground(gray, mask);
    OrientationField field;
    EstimateOrientation(gray, mask, field);
    const double period = EstimateRidgePeriod(gray, field, mask);
    cv::Mat1f fast;
    EnhanceRidges(gray, field, period, mask, fast);
    const cv::Mat1f reference = ReferenceEnhance(gray, field, period);
    const cv::Rect box = cv::boundingRect(mask);
    ASSERT_FALSE(box.empty());
    double scale = 0;
    cv::minMaxLoc(cv::abs(reference(box)), nullptr, &scale);
    ASSERT_GT(scale, 1.0);
    double worst = 0;
    cv::minMaxLoc(cv::abs(fast(box) - reference(box)), nullptr, &worst);
    EXPECT_LT(worst, 1e-4 * scale) << name;  // rounding of two different summation orders
    // Outside the box nothing is computed: zero, so binarisation sees no ridge there.
    cv::Mat1b outside(gray.size(), 255);
    outside(box).setTo(0);
    EXPECT_EQ(cv::countNonZero((fast != 0) & outside), 0) << name;
    // The ridges' signs agree wherever the response is not within rounding of zero.
    const cv::Mat1b disagree = ((fast(box) > 0) != (reference(box) > 0)) & (cv::abs(reference(box)) > 1e-3 * scale);
    EXPECT_EQ(cv::countNonZero(disagree), 0) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// The bank keeps FFTW plans for at most 256 plane sizes; past that, a size is planned for one image
// and its plans destroyed. Both paths must give the spatial filter's values (under ASan: and leak or
// touch nothing they should not).
TEST(GaborEnhancerTest, PlaneSizesPastThePlanCacheStillFilterCorrectly) {
  // Planes are the image plus a 17-pixel margin per side (period 9) rounded up to a size that has
  // no prime factor above 5: these sides give 20 x 20 different planes.
  const double period = 9;
  const int margin = static_cast<int>(std::ceil(3 * params::kGaborSigmaAlong * period));
  const int sides[] = {100, 108, 120, 125, 128, 135, 144, 150, 160, 162,
                       180, 192, 200, 216, 225, 240, 243, 250, 256, 270};
  int checked = 0;
  for (const int ph : sides) {
    for (const int pw : sides) {
      const int h = ph - 2 * margin, w = pw - 2 * margin;
      // Ridges at 30 degrees with the given period, a little noise so no response is degenerate.
      cv::Mat1f image(h, w);
      cv::RNG rng(ph * 1000 + pw);
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          image(y, x) = static_cast<float>(128 + 60 * std::cos(2 * kPi * (x * 0.5 - y * 0.866) / period) +
                                           rng.gaussian(5));
        }
      }
      OrientationField field;
      field.cos2 = cv::Mat1f(h, w, static_cast<float>(std::cos(2 * kPi / 3)));  // ridge direction 60 deg
      field.sin2 = cv::Mat1f(h, w, static_cast<float>(std::sin(2 * kPi / 3)));
      field.coherence = cv::Mat1f(h, w, 1.0f);
      const cv::Mat1b mask(h, w, uint8_t{255});
      cv::Mat1f fast;
      EnhanceRidges(image, field, period, mask, fast);
      // Check the first planes (cached) and the last ones (planned per image), not all 400.
      if (ph != sides[0] && ph != sides[19]) continue;
      const cv::Mat1f reference = ReferenceEnhance(image, field, period);
      double scale = 0, worst = 0;
      cv::minMaxLoc(cv::abs(reference), nullptr, &scale);
      cv::minMaxLoc(cv::abs(fast - reference), nullptr, &worst);
      ASSERT_GT(scale, 1.0);
      EXPECT_LT(worst, 1e-4 * scale) << ph << " x " << pw;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 40);
}

}  // namespace
}  // namespace idreg::finger
