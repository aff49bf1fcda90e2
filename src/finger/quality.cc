// Image quality 0-100: the product of how much finger there is (foreground area), how clear its
// ridges are (mean orientation coherence in the foreground) and whether enough minutiae were
// found. Each factor saturates at a level that matched reliably on the dev data.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>

#include "finger/parameters.h"
#include "finger/stages.h"

namespace idreg::finger {

int ScoreQuality(const cv::Mat1b& mask, const OrientationField& field, size_t minutiae) {
  const double area = cv::countNonZero(mask);
  if (area == 0) return 0;
  const double coherence = cv::mean(field.coherence, mask)[0];
  const double area_factor = std::min(1.0, area / params::kQualityFullArea);
  // Coherence of clear ridges is 0.6-0.8, of noise below 0.3 (measured on DB1_B..DB4_B).
  const double clarity = std::clamp((coherence - 0.25) / 0.45, 0.0, 1.0);
  const double count = std::min(1.0, static_cast<double>(minutiae) / params::kQualityFullMinutiae);
  return static_cast<int>(std::lround(100 * std::sqrt(area_factor) * clarity * std::sqrt(count)));
}

}  // namespace idreg::finger
