// Binarisation of the enhanced image: its sign separates ridge from valley. Tiny ridge blobs
// (dust, pores' rims) and tiny valley holes (pores) would each become a false minutia pair.
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

struct BinarizationBuffers {
  cv::Mat1b target;
  cv::Mat1i labels;
  cv::Mat stats, centroids;
};

// Sets the 8-connected components of `value` smaller than `min_pixels` to the other value.
void RemoveSmall(cv::Mat1b& img, uint8_t value, int min_pixels, BinarizationBuffers& b) {
  cv::Mat1b& target = b.target;
  cv::Mat1i& labels = b.labels;
  cv::compare(img, value, target, cv::CMP_EQ);
  const int n = cv::connectedComponentsWithStats(target, labels, b.stats, b.centroids, 8);
  std::vector<uint8_t> small(n, 0);
  for (int i = 1; i < n; ++i) small[i] = b.stats.at<int>(i, cv::CC_STAT_AREA) < min_pixels;
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      if (small[labels(y, x)]) img(y, x) = value ? 0 : 1;
    }
  }
}

}  // namespace

void Binarize(const cv::Mat1f& enhanced, const cv::Mat1b& mask, cv::Mat1b& ridges) {
  ThreadScratch<BinarizationBuffers> b(enhanced.size());
  cv::compare(enhanced, 0, ridges, cv::CMP_GT);
  ridges &= mask;
  ridges /= 255;
  // The components are found within the mask's bounding box and a one-pixel frame, not the whole
  // image: every ridge lies inside the box, and every valley that reaches the box's edge joins the
  // frame's background there as it joins the background outside in the whole image, so the same
  // components come out small.
  const cv::Rect box = (cv::boundingRect(mask) + cv::Size(2, 2) - cv::Point(1, 1)) & cv::Rect(0, 0, mask.cols, mask.rows);
  cv::Mat1b inside = ridges(box);
  RemoveSmall(inside, 1, params::kMinComponentPixels, *b);
  RemoveSmall(inside, 0, params::kMinComponentPixels, *b);
  // Ridges are 0/1, the mask 0/255: outside the mask 0, inside unchanged.
  cv::Mat& out = ridges;  // the untyped overload (std::min would take cv::Mat_)
  cv::min(out, cv::Mat(mask), out);
}

}  // namespace idreg::finger
