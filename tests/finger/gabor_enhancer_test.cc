// The frequency-domain Gabor bank (bounding box, shifted placements, nonzeroRows) against the
// textbook spatial form: cv::filter2D with each kernel over the whole image, blended the same way.
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

}  // namespace
}  // namespace idreg::finger
