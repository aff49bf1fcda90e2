// Contextual enhancement: a bank of even-symmetric Gabor filters (Hong, Wan & Jain 1998), one per
// quantised orientation, tuned to the image's ridge period; each pixel takes the response of the
// filter aligned with its ridge orientation, interpolated between the two nearest. The bank runs in
// the frequency domain: one forward transform of the image, then per orientation the kernel's
// transform, a product and one inverse (33 transforms instead of filter2D's 48).
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

cv::Mat1f GaborKernel(double angle, double period) {
  using namespace params;
  const double sa = kGaborSigmaAcross * period, sl = kGaborSigmaAlong * period;
  const int r = static_cast<int>(std::ceil(3 * std::max(sa, sl)));
  cv::Mat1f k(2 * r + 1, 2 * r + 1);
  const double c = std::cos(angle), s = std::sin(angle);
  double sum = 0;
  for (int y = -r; y <= r; ++y) {
    for (int x = -r; x <= r; ++x) {
      const double along = x * c + y * s, across = -x * s + y * c;
      const double v = std::exp(-0.5 * (along * along / (sl * sl) + across * across / (sa * sa))) *
                       std::cos(2 * kPi * across / period);
      k(y + r, x + r) = static_cast<float>(v);
      sum += v;
    }
  }
  // Zero mean, so the local brightness does not leak into the response.
  k -= static_cast<float>(sum / k.total());
  // Negated: ridges are dark in the input and come out positive.
  return -k;
}

// The kernel's transform at the padded size, centred on the origin (wrapped around), so that the
// product with the image's transform is the same correlation cv::filter2D computes.
cv::Mat1f KernelSpectrum(const cv::Mat1f& kernel, int w, int h) {
  const int r = kernel.rows / 2;
  cv::Mat1f placed(h, w, 0.0f);
  for (int y = -r; y <= r; ++y) {
    for (int x = -r; x <= r; ++x) placed((y + h) % h, (x + w) % w) = kernel(y + r, x + r);
  }
  cv::Mat1f spectrum;
  cv::dft(placed, spectrum);  // packed (CCS) real transform: half the work of a complex one
  return spectrum;
}

}  // namespace

cv::Mat1f EnhanceRidges(const cv::Mat1f& image, const OrientationField& field, double period) {
  using namespace params;
  constexpr int n = kGaborOrientations;
  // A reflected margin of three envelope widths keeps the transform's wrap-around off the image.
  const int margin = static_cast<int>(std::ceil(3 * kGaborSigmaAlong * period));
  const int w = cv::getOptimalDFTSize(image.cols + 2 * margin),
            h = cv::getOptimalDFTSize(image.rows + 2 * margin);
  cv::Mat1f padded;
  cv::copyMakeBorder(image, padded, margin, h - image.rows - margin, margin, w - image.cols - margin,
                     cv::BORDER_REFLECT);
  cv::Mat1f spectrum;
  cv::dft(padded, spectrum);
  std::vector<cv::Mat1f> responses(n);
  cv::Mat1f product;
  const cv::Rect inside(margin, margin, image.cols, image.rows);
  for (int i = 0; i < n; ++i) {
    cv::mulSpectrums(spectrum, KernelSpectrum(GaborKernel(i * kPi / n, period), w, h), product, 0);
    cv::Mat1f full;
    cv::idft(product, full, cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
    responses[i] = full(inside);
  }
  cv::Mat1f out(image.size());
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const double pos = field.Angle(x, y) / kPi * n;
      const int i0 = static_cast<int>(pos) % n;
      const int i1 = (i0 + 1) % n;
      const float w1 = static_cast<float>(pos - std::floor(pos));
      out(y, x) = (1 - w1) * responses[i0](y, x) + w1 * responses[i1](y, x);
    }
  }
  return out;
}

}  // namespace idreg::finger
