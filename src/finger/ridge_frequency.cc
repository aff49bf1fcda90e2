// Ridge period by x-signatures (Hong, Wan & Jain 1998): gray levels sampled along the ridge normal
// and averaged along the ridge form a wave whose peak spacing is the period. One period per image
// (the median) is enough for the Gabor filters at 500 ppi; local values vary by about 20%.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

// The period of one window, or 0 when its signature is not a clean wave.
double WindowPeriod(const cv::Mat1f& image, int cx, int cy, float angle) {
  using namespace params;
  const float dx = std::cos(angle), dy = std::sin(angle);  // along the ridge
  const float nx = -dy, ny = dx;                           // across
  float signature[kFrequencyWindow];
  for (int k = 0; k < kFrequencyWindow; ++k) {
    float sum = 0;
    int count = 0;
    const float off = k - kFrequencyWindow / 2;
    for (int j = -kFrequencyWindowWidth / 2; j < kFrequencyWindowWidth / 2; ++j) {
      const int x = static_cast<int>(std::lround(cx + off * nx + j * dx));
      const int y = static_cast<int>(std::lround(cy + off * ny + j * dy));
      if (x < 0 || y < 0 || x >= image.cols || y >= image.rows) continue;
      sum += image(y, x);
      ++count;
    }
    if (count == 0) return 0;
    signature[k] = sum / count;
  }
  int peaks[kFrequencyWindow];
  int n = 0;
  for (int k = 1; k + 1 < kFrequencyWindow; ++k) {
    // Ridges are dark: the wave's minima are ridge centres.
    if (signature[k] < signature[k - 1] && signature[k] <= signature[k + 1]) peaks[n++] = k;
  }
  if (n < 2) return 0;
  const double period = static_cast<double>(peaks[n - 1] - peaks[0]) / (n - 1);
  return period >= kMinRidgePeriod && period <= kMaxRidgePeriod ? period : 0;
}

}  // namespace

double EstimateRidgePeriod(const cv::Mat1f& image, const OrientationField& field, const cv::Mat1b& mask) {
  using namespace params;
  struct RidgePeriodBuffers {
    cv::Mat1f smooth;
  };
  ThreadScratch<RidgePeriodBuffers> b(image.size());
  const cv::Mat1f& smooth = b->smooth;
  cv::GaussianBlur(image, b->smooth, cv::Size(), 1.0);
  std::vector<double> periods;
  for (int y = kFrequencyWindow / 2; y + kFrequencyWindow / 2 < image.rows; y += kFrequencyStep) {
    for (int x = kFrequencyWindow / 2; x + kFrequencyWindow / 2 < image.cols; x += kFrequencyStep) {
      if (!mask(y, x) || field.coherence(y, x) < 0.3f) continue;
      const double p = WindowPeriod(smooth, x, y, field.Angle(x, y));
      if (p > 0) periods.push_back(p);
    }
  }
  if (periods.size() < 4) return kDefaultRidgePeriod;
  std::nth_element(periods.begin(), periods.begin() + periods.size() / 2, periods.end());
  return periods[periods.size() / 2];
}

}  // namespace idreg::finger
