// Contextual enhancement: a bank of even-symmetric Gabor filters (Hong, Wan & Jain 1998), one per
// quantised orientation, tuned to the image's ridge period; each pixel takes the response of the
// filter aligned with its ridge orientation, interpolated between the two nearest. The bank runs in
// the frequency domain: one forward transform of the image, then per orientation the kernel's
// transform, a product and one inverse. Three choices save work without changing the result (the
// minutiae of all 320 FVC2002 DBn_B images stayed identical; BENCHMARKS.md "fingeracc"): only the
// foreground's bounding box is transformed; the kernel sits in the first rows of its plane, so its
// forward transform skips the zero rows; and the input is rotated (circularly) so that the
// responses land in the first rows of the inverse, which then computes only those (OpenCV's
// nonzeroRows). One response plane at a time is kept.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/scratch.h"
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

// The kernel's transform at the padded size, the kernel in the top-left corner: the product with
// the image's transform is then the correlation cv::filter2D computes (the kernel is point
// symmetric, so correlation and convolution agree), shifted by the kernel's radius.
// `plane` must be h x w and zero outside the kernel's top-left square (it is reused across
// orientations of one size: the kernel overwrites the same square each time).
void KernelSpectrum(const cv::Mat1f& kernel, cv::Mat1f& plane, cv::Mat1f& spectrum) {
  kernel.copyTo(plane(cv::Rect(0, 0, kernel.cols, kernel.rows)));
  // Packed (CCS) real transform, half the work of a complex one; rows past the kernel are zero.
  cv::dft(plane, spectrum, 0, kernel.rows);
}

// `src` rotated circularly by (dx, dy): dst(y, x) = src((y + dy) mod h, (x + dx) mod w).
void Rotate(const cv::Mat1f& src, int dx, int dy, cv::Mat1f& dst) {
  const int w = src.cols, h = src.rows;
  dx = ((dx % w) + w) % w;
  dy = ((dy % h) + h) % h;
  dst.create(h, w);
  for (int y = 0; y < h; ++y) {
    const float* from = src.ptr<float>((y + dy) % h);
    float* to = dst.ptr<float>(y);
    std::copy(from + dx, from + w, to);
    std::copy(from, from + dx, to + (w - dx));
  }
}

struct GaborBuffers {
  cv::Mat1f extended, padded, rotated, spectrum, weight, plane, kernel_spectrum, product, response;
  cv::Mat1b lower;
};

}  // namespace

void EnhanceRidges(const cv::Mat1f& image, const OrientationField& field, double period, const cv::Mat1b& mask,
                   cv::Mat1f& out) {
  using namespace params;
  constexpr int n = kGaborOrientations;
  out.create(image.size());
  out.setTo(0.0f);
  // Only the foreground's bounding box is filtered (binarisation keeps nothing outside the mask):
  // on FVC2002 it is 61-81% of the image. Each response depends only on the input within the
  // kernel's radius, which the crop below keeps, so the box gets the values the whole image would.
  const cv::Rect box = cv::boundingRect(mask);
  if (box.empty()) return;
  ThreadScratch<GaborBuffers> b(image.size());
  auto& [extended, padded, rotated, spectrum, weight, plane, kernel_spectrum, product, response, lower] = *b;
  // A reflected margin of three envelope widths keeps the transform's wrap-around off the image.
  const int margin = static_cast<int>(std::ceil(3 * kGaborSigmaAlong * period));
  cv::copyMakeBorder(image, extended, margin, margin, margin, margin, cv::BORDER_REFLECT);
  const cv::Mat1f crop = extended(cv::Rect(box.x, box.y, box.width + 2 * margin, box.height + 2 * margin));
  const int w = cv::getOptimalDFTSize(crop.cols), h = cv::getOptimalDFTSize(crop.rows);
  padded.create(h, w);
  padded.setTo(0.0f);  // what lies past the crop never reaches the box's responses
  crop.copyTo(padded(cv::Rect(0, 0, crop.cols, crop.rows)));
  // The top-left kernel moves every response by its radius r; rotating the input by margin + r
  // brings the box's responses to the top-left corner of the inverse.
  const int r = GaborKernel(0, period).rows / 2;
  Rotate(padded, margin + r, margin + r, rotated);
  cv::dft(rotated, spectrum);
  // Each pixel blends the two orientations nearest its ridge direction; the blend is accumulated
  // one orientation at a time, so only one response plane is alive.
  lower.create(box.size());   // the nearest orientation at or below the direction
  weight.create(box.size());  // the upper one's share
  for (int y = 0; y < box.height; ++y) {
    for (int x = 0; x < box.width; ++x) {
      const double pos = field.Angle(box.x + x, box.y + y) / kPi * n;
      lower(y, x) = static_cast<uint8_t>(static_cast<int>(pos) % n);
      weight(y, x) = static_cast<float>(pos - std::floor(pos));
    }
  }
  plane.create(h, w);
  plane.setTo(0.0f);
  for (int i = 0; i < n; ++i) {
    KernelSpectrum(GaborKernel(i * kPi / n, period), plane, kernel_spectrum);
    cv::mulSpectrums(spectrum, kernel_spectrum, product, 0);
    cv::idft(product, response, cv::DFT_REAL_OUTPUT | cv::DFT_SCALE, box.height);
    const int below = (i + n - 1) % n;  // pixels for which orientation i is the upper one
    for (int y = 0; y < box.height; ++y) {
      const float* resp = response.ptr<float>(y);
      const uint8_t* lo = lower.ptr<uint8_t>(y);
      const float* w1 = weight.ptr<float>(y);
      float* o = out.ptr<float>(box.y + y) + box.x;
      for (int x = 0; x < box.width; ++x) {
        if (lo[x] == i) o[x] += (1 - w1[x]) * resp[x];
        if (lo[x] == below) o[x] += w1[x] * resp[x];
      }
    }
  }
}

}  // namespace idreg::finger
