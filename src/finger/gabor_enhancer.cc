// Contextual enhancement: a bank of even-symmetric Gabor filters (Hong, Wan & Jain 1998), one per
// quantised orientation, tuned to the image's ridge period; each pixel takes the response of the
// filter aligned with its ridge orientation, interpolated between the two nearest. The bank runs in
// the frequency domain (FFTW): one forward transform of the image, then per orientation the
// kernel's transform, a product and one inverse. Only the foreground's bounding box is transformed
// (binarisation keeps nothing outside the mask). Each kernel is point-symmetric and is laid out
// centred on the plane's origin (wrapping round), so its transform is real: the product is a
// complex-by-real scaling and the responses come out aligned with the input. One response plane is
// alive at a time. FFTW replaced OpenCV's cv::dft here (2.8 times faster at these sizes; DB2_B's
// extraction about a third cheaper, BENCHMARKS.md "Eighth session").
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <new>
#include <tuple>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"
#include "idreg/core/fftw_planner.h"

namespace idreg::finger {
namespace {

// The kernel's values for offsets -r..r (rows = y, columns = x).
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

// An FFTW-allocated array (aligned as FFTW's SIMD code wants; plans made on such arrays run on any
// other of them), grown on demand and kept.
template <class T>
class FftwArray {
 public:
  FftwArray() = default;
  FftwArray(FftwArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  FftwArray& operator=(FftwArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~FftwArray() { fftwf_free(data_); }
  T* Reserve(size_t n) {
    if (n > size_) {
      fftwf_free(data_);
      size_ = 0;  // until the new allocation succeeds
      data_ = static_cast<T*>(fftwf_malloc(n * sizeof(T)));
      if (data_ == nullptr) throw std::bad_alloc();
      size_ = n;
    }
    return data_;
  }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

// The forward (real to half-spectrum) and inverse transforms of an h x w plane. Plans are made once
// per plane size and kept (FFTW_ESTIMATE: about 4 ms for both at FVC's sizes, no trial runs): the
// sizes come from cv::getOptimalDFTSize, so one sensor's images share a handful of them. Past
// kMaxCachedSizes sizes (a service fed by many kinds of scanner) a size is planned for the one
// image and its plans destroyed afterwards, so the cache cannot grow without bound.
class PlaneTransforms {
 public:
  static constexpr size_t kMaxCachedSizes = 256;

  PlaneTransforms(int h, int w) {
    // Never destroyed: another thread may still be transforming while the process exits, and a
    // destroyed map would leave its plans unreachable (LeakSanitizer counts them as leaks).
    static auto& cache = *new std::map<std::pair<int, int>, std::pair<fftwf_plan, fftwf_plan>>();
    const std::lock_guard<std::mutex> lock(FftwPlannerMutex());
    if (const auto it = cache.find({h, w}); it != cache.end()) {
      std::tie(forward_, inverse_) = it->second;
      return;
    }
    const size_t reals = static_cast<size_t>(h) * w, bins = static_cast<size_t>(h) * (w / 2 + 1);
    float* real = fftwf_alloc_real(reals);
    fftwf_complex* spectrum = fftwf_alloc_complex(bins);
    if (real != nullptr && spectrum != nullptr) {
      forward_ = fftwf_plan_dft_r2c_2d(h, w, real, spectrum, FFTW_ESTIMATE);
      inverse_ = fftwf_plan_dft_c2r_2d(h, w, spectrum, real, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
    }
    fftwf_free(real);
    fftwf_free(spectrum);
    if (forward_ == nullptr || inverse_ == nullptr) {  // FFTW fails only for want of memory
      Destroy();
      throw std::bad_alloc();
    }
    owned_ = cache.size() >= kMaxCachedSizes;
    if (!owned_) cache[{h, w}] = {forward_, inverse_};
  }
  ~PlaneTransforms() {
    if (!owned_) return;
    const std::lock_guard<std::mutex> lock(FftwPlannerMutex());
    Destroy();
  }
  PlaneTransforms(const PlaneTransforms&) = delete;
  PlaneTransforms& operator=(const PlaneTransforms&) = delete;

  // Thread-safe: FFTW's new-array execution on arrays aligned as fftwf_malloc aligns them.
  void Forward(float* plane, fftwf_complex* spectrum) const { fftwf_execute_dft_r2c(forward_, plane, spectrum); }
  // Unnormalised (h w times the inverse); destroys `spectrum`.
  void Inverse(fftwf_complex* spectrum, float* plane) const { fftwf_execute_dft_c2r(inverse_, spectrum, plane); }

 private:
  void Destroy() {
    if (forward_ != nullptr) fftwf_destroy_plan(forward_);
    if (inverse_ != nullptr) fftwf_destroy_plan(inverse_);
  }
  fftwf_plan forward_ = nullptr;
  fftwf_plan inverse_ = nullptr;
  bool owned_ = false;
};

struct GaborBuffers {
  cv::Mat1f extended, weight;
  cv::Mat1i lower;  // int, not uint8: the blend's compares and selects then vectorise at float width
  FftwArray<float> plane, response;
  FftwArray<fftwf_complex> spectrum, kernel_spectrum, product;
};

}  // namespace

void EnhanceRidges(const cv::Mat1f& image, const OrientationField& field, double period, const cv::Mat1b& mask,
                   cv::Mat1f& out) {
  using namespace params;
  constexpr int n = kGaborOrientations;
  out.create(image.size());
  out.setTo(0.0f);
  // Each response depends only on the input within the kernel's radius, which the crop below
  // keeps, so the box gets the values the whole image would. On FVC2002 the box is 61-81% of the image.
  const cv::Rect box = cv::boundingRect(mask);
  if (box.empty()) return;
  ThreadScratch<GaborBuffers> b(image.size());
  // A reflected margin of the kernel's radius (three envelope widths) keeps the transform's
  // wrap-around off the box.
  const int margin = static_cast<int>(std::ceil(3 * kGaborSigmaAlong * period));
  cv::copyMakeBorder(image, b->extended, margin, margin, margin, margin, cv::BORDER_REFLECT);
  const cv::Mat1f crop = b->extended(cv::Rect(box.x, box.y, box.width + 2 * margin, box.height + 2 * margin));
  const int w = cv::getOptimalDFTSize(crop.cols), h = cv::getOptimalDFTSize(crop.rows);
  const int bins_per_row = w / 2 + 1;
  const size_t reals = static_cast<size_t>(h) * w, bins = static_cast<size_t>(h) * bins_per_row;
  const PlaneTransforms transforms(h, w);
  cv::Mat1f plane(h, w, b->plane.Reserve(reals));
  fftwf_complex* spectrum = b->spectrum.Reserve(bins);
  fftwf_complex* kernel_spectrum = b->kernel_spectrum.Reserve(bins);
  fftwf_complex* product = b->product.Reserve(bins);
  cv::Mat1f response(h, w, b->response.Reserve(reals));

  plane.setTo(0.0f);  // what lies past the crop never reaches the box's responses
  crop.copyTo(plane(cv::Rect(0, 0, crop.cols, crop.rows)));
  transforms.Forward(plane.ptr<float>(), spectrum);

  // Each pixel blends the two orientations nearest its ridge direction; the blend is accumulated
  // one orientation at a time.
  cv::Mat1i& lower = b->lower;     // the nearest orientation at or below the direction
  cv::Mat1f& weight = b->weight;  // the upper one's share
  lower.create(box.size());
  weight.create(box.size());
  const float bins_per_radian = static_cast<float>(n / kPi);
  for (int y = 0; y < box.height; ++y) {
    const float* c = field.cos2.ptr<float>(box.y + y) + box.x;
    const float* s = field.sin2.ptr<float>(box.y + y) + box.x;
    int* lo = lower.ptr<int>(y);
    float* w1 = weight.ptr<float>(y);
    for (int x = 0; x < box.width; ++x) {
      const float pos = DoubledAngleToAngle(c[x], s[x]) * bins_per_radian;
      const int i = static_cast<int>(pos);  // pos >= 0
      lo[x] = i == n ? 0 : i;                // an angle that rounded to pi is 0
      w1[x] = pos - static_cast<float>(i);
    }
  }

  // Adds orientation i's response to the pixels it is nearest. Each pixel gets exactly two
  // non-zero terms, so the order in which the orientations come does not change the sums.
  auto blend = [&](int i) {
    const int below = (i + n - 1) % n;  // pixels for which orientation i is the upper one
    for (int y = 0; y < box.height; ++y) {
      const float* resp = response.ptr<float>(margin + y) + margin;
      const int* lo = lower.ptr<int>(y);
      const float* w1 = weight.ptr<float>(y);
      float* o = out.ptr<float>(box.y + y) + box.x;
      // Branch-free (the orientations interleave unpredictably); adding 0 * response to the
      // pixels of other orientations leaves them exactly as they were.
      for (int x = 0; x < box.width; ++x) {
        const float share = lo[x] == i ? 1 - w1[x] : lo[x] == below ? w1[x] : 0.0f;
        o[x] += share * resp[x];
      }
    }
  };
  // FFTW's inverse is unnormalised: the kernels' transforms carry the 1 / (h w).
  const float scale = 1.0f / static_cast<float>(reals);
  // Orientation i's response from the real transform of its kernel, or (mirrored) of the kernel at
  // pi minus its angle: mirroring a kernel left-right mirrors its transform, which is real and
  // point-symmetric, top-bottom; so orientations n/2+1..n-1 cost no kernel transform.
  auto respond = [&](int i, bool mirrored) {
    for (int v = 0; v < h; ++v) {
      const fftwf_complex* k = kernel_spectrum + static_cast<size_t>(mirrored ? (h - v) % h : v) * bins_per_row;
      const fftwf_complex* in = spectrum + static_cast<size_t>(v) * bins_per_row;
      fftwf_complex* to = product + static_cast<size_t>(v) * bins_per_row;
      for (int u = 0; u < bins_per_row; ++u) {
        // The kernel is point-symmetric about the origin, so its transform is real: the
        // imaginary parts are rounding noise and are dropped.
        const float re = k[u][0] * scale;
        to[u][0] = in[u][0] * re;
        to[u][1] = in[u][1] * re;
      }
    }
    transforms.Inverse(product, response.ptr<float>());
    blend(i);
  };
  for (int i = 0; i <= n / 2; ++i) {
    const cv::Mat1f kernel = GaborKernel(i * kPi / n, period);
    const int r = kernel.rows / 2;
    plane.setTo(0.0f);
    for (int dy = -r; dy <= r; ++dy) {
      float* row = plane.ptr<float>((dy + h) % h);
      const float* k = kernel.ptr<float>(dy + r);
      for (int dx = -r; dx <= r; ++dx) row[(dx + w) % w] = k[dx + r];
    }
    transforms.Forward(plane.ptr<float>(), kernel_spectrum);
    respond(i, false);
    if (i > 0 && i < n - i) respond(n - i, true);
  }
}

}  // namespace idreg::finger
