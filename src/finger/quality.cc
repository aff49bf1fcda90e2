// Image quality 0-100 from the clear ridge area: foreground pixels whose orientation coherence says
// ridges are readable there, mapped by c / (c + half) so the score never saturates (a capped score
// ties the best images and says nothing about which of them will fail). Measured on FVC2002 DB1_B..
// DB4_B (`idreg eval finger ... --json`, genuine failures at the EER threshold that involve an image
// of the worst-scored decile): 25 of 45 with this score; 21 of 45 with the previous product of
// foreground area, mean coherence and minutia count; 16-17 of 45 with area or minutia count alone.
// Sixth session: once the mask hugged the print (segmentation.cc), the clear area alone fell to 15 of
// 31; the failures left are small captures with few minutiae, so the score is now scaled down when
// fewer than kQualityFullMinutiae minutiae were found (23 of 33 by a scratch study for a full count of
// 20-30, 22 of 33 for 40-60, 20 of 33 for the count alone).
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>

#include "finger/parameters.h"
#include "finger/stages.h"

namespace idreg::finger {

int ScoreQuality(const cv::Mat1b& mask, const OrientationField& field, size_t minutiae) {
  const float clear_coherence = static_cast<float>(params::kQualityClearCoherence);
  int clear = 0;
  for (int y = 0; y < mask.rows; ++y) {
    const uint8_t* in = mask.ptr<uint8_t>(y);
    const float* c = field.coherence.ptr<float>(y);
    for (int x = 0; x < mask.cols; ++x) clear += in[x] && c[x] > clear_coherence;
  }
  const double area = clear;
  const double count = std::min(1.0, static_cast<double>(minutiae) / params::kQualityFullMinutiae);
  return static_cast<int>(std::lround(100 * count * area / (area + params::kQualityHalfClearArea)));
}

}  // namespace idreg::finger
