// Foreground segmentation: blocks with ridge structure have strong gradients; background (blank
// glass, sensor noise) does not. The threshold is relative to the image's strong blocks so that
// dry, faint prints and dark, noisy sensors both segment. The gradient is taken on a blurred image:
// capacitive sensors (FVC2002 DB3) add a fine striped noise to the background that Sobel alone
// scores like ridges, so the mask used to cover most of the grey background.
#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

struct SegmentationBuffers {
  cv::Mat1f smooth, gx, gy, energy;
  cv::Mat1b full_mask;
};

}  // namespace

void SegmentForeground(const cv::Mat1f& image, cv::Mat1b& mask) {
  using namespace params;
  ThreadScratch<SegmentationBuffers> b(image.size());
  cv::GaussianBlur(image, b->smooth, cv::Size(), kSegmentationSmoothSigma);
  cv::Sobel(b->smooth, b->gx, CV_32F, 1, 0, 3, 0.25);  // 0.25: Sobel's weights sum to 4
  cv::Sobel(b->smooth, b->gy, CV_32F, 0, 1, 3, 0.25);
  cv::multiply(b->gx, b->gx, b->gx);
  cv::multiply(b->gy, b->gy, b->gy);
  cv::add(b->gx, b->gy, b->energy);
  const cv::Mat1f& energy = b->energy;
  const int bw = (image.cols + kBlockSize - 1) / kBlockSize, bh = (image.rows + kBlockSize - 1) / kBlockSize;
  cv::Mat1f blocks;
  cv::resize(energy, blocks, cv::Size(bw, bh), 0, 0, cv::INTER_AREA);
  cv::sqrt(blocks, blocks);
  std::vector<float> values(blocks.begin(), blocks.end());
  std::nth_element(values.begin(), values.begin() + values.size() * 95 / 100, values.end());
  const double strong = values[values.size() * 95 / 100];
  const double threshold = std::max(kForegroundMinEnergy, kForegroundRelativeEnergy * strong);
  cv::Mat1b block_mask = blocks > threshold;
  cv::Mat kernel_close = cv::getStructuringElement(
      cv::MORPH_ELLIPSE, cv::Size(2 * kMaskCloseBlocks + 1, 2 * kMaskCloseBlocks + 1));
  cv::Mat kernel_open = cv::getStructuringElement(cv::MORPH_ELLIPSE,
                                                  cv::Size(2 * kMaskOpenBlocks + 1, 2 * kMaskOpenBlocks + 1));
  cv::morphologyEx(block_mask, block_mask, cv::MORPH_CLOSE, kernel_close, cv::Point(-1, -1), 1,
                   cv::BORDER_CONSTANT, 0);
  cv::morphologyEx(block_mask, block_mask, cv::MORPH_OPEN, kernel_open, cv::Point(-1, -1), 1,
                   cv::BORDER_CONSTANT, 0);

  // Keep the largest region and fill its holes (pores of background inside the finger).
  cv::Mat1i labels;
  cv::Mat stats, centroids;
  const int n = cv::connectedComponentsWithStats(block_mask, labels, stats, centroids, 4);
  int best = 0, best_area = 0;
  for (int i = 1; i < n; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) > best_area)
      best_area = stats.at<int>(i, cv::CC_STAT_AREA), best = i;
  }
  cv::Mat1b region = labels == best;
  if (best == 0) region.setTo(0);
  cv::Mat1b outside;
  cv::Mat1b padded;
  cv::copyMakeBorder(region, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::floodFill(padded, cv::Point(0, 0), 128);
  padded = padded != 128;
  region = padded(cv::Rect(1, 1, bw, bh)).clone();

  cv::resize(region, b->full_mask, cv::Size(bw * kBlockSize, bh * kBlockSize), 0, 0, cv::INTER_NEAREST);
  b->full_mask(cv::Rect(0, 0, image.cols, image.rows)).copyTo(mask);
}

}  // namespace idreg::finger
