// Binarisation of the enhanced image: its sign separates ridge from valley. Tiny ridge blobs
// (dust, pores' rims) and tiny valley holes (pores) would each become a false minutia pair.
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

// Sets the 8-connected components of `value` smaller than `min_pixels` to the other value.
void RemoveSmall(cv::Mat1b& img, uint8_t value, int min_pixels) {
  cv::Mat1b target = img == value;
  cv::Mat1i labels;
  cv::Mat stats, centroids;
  const int n = cv::connectedComponentsWithStats(target, labels, stats, centroids, 8);
  std::vector<uint8_t> small(n, 0);
  for (int i = 1; i < n; ++i) small[i] = stats.at<int>(i, cv::CC_STAT_AREA) < min_pixels;
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      if (small[labels(y, x)]) img(y, x) = value ? 0 : 1;
    }
  }
}

}  // namespace

cv::Mat1b Binarize(const cv::Mat1f& enhanced, const cv::Mat1b& mask) {
  cv::Mat1b ridges = (enhanced > 0) & mask;
  ridges /= 255;
  RemoveSmall(ridges, 1, params::kMinComponentPixels);
  RemoveSmall(ridges, 0, params::kMinComponentPixels);
  ridges &= mask / 255;
  return ridges;
}

}  // namespace idreg::finger
