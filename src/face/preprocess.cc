#include "preprocess.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace idreg::face {

PixelRect FaceApiCrop(const RgbImage& image, Box box) {
  // Box.clipAtImageBorders: the origin is clamped at 0 first, the size measured from there, and
  // only then are all four numbers floored (so the right edge may be one pixel left of
  // floor(x + width)).
  // Non-finite or huge values (a degenerate network output) are clamped before any cast to int.
  auto finite = [](double v, double lo, double hi) { return std::isfinite(v) ? std::clamp(v, lo, hi) : lo; };
  const double x = finite(box.x, -1e9, 1e9), y = finite(box.y, -1e9, 1e9);
  const double cx = std::clamp(x, 0.0, image.width - 1.0), cy = std::clamp(y, 0.0, image.height - 1.0);
  const double w = std::min(x + finite(box.width, 0, 1e9) - cx, image.width - cx);
  const double h = std::min(y + finite(box.height, 0, 1e9) - cy, image.height - cy);
  PixelRect r;
  r.x = static_cast<int>(std::floor(cx));
  r.y = static_cast<int>(std::floor(cy));
  r.width = std::clamp(static_cast<int>(std::floor(std::max(w, 1.0))), 1, image.width - r.x);
  r.height = std::clamp(static_cast<int>(std::floor(std::max(h, 1.0))), 1, image.height - r.y);
  return r;
}

SquareInput ToSquareInput(const RgbImage& image, Box region, int size, bool center, const float mean[3],
                          float divisor) {
  const PixelRect r = FaceApiCrop(image, region);
  SquareInput in;
  in.x0 = r.x;
  in.y0 = r.y;
  in.region_w = r.width;
  in.region_h = r.height;
  const int side = std::max(r.width, r.height);
  in.scale = static_cast<float>(size) / side;
  // Mapping back uses half the difference of the scaled sides (FaceLandmark68NetBase.postProcess),
  // even where padToSquare placed the odd pixel before.
  in.off_x = center && r.width < r.height ? (size - r.width * in.scale) / 2 : 0;
  in.off_y = center && r.height < r.width ? (size - r.height * in.scale) / 2 : 0;

  // padToSquare: Math.round(diff / 2) zero rows/columns after the image, the rest before.
  const int diff = std::abs(r.width - r.height);
  const int after = center ? (diff + 1) / 2 : diff;
  const int before = diff - after;
  const int pad_left = r.width < r.height ? before : 0;
  const int pad_top = r.height < r.width ? before : 0;

  const cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat crop;
  src(cv::Rect(r.x, r.y, r.width, r.height)).convertTo(crop, CV_32FC3);
  const double ratio = static_cast<double>(side) / size;
  if (ratio > 2) {
    // face-api.js samples the bilinear grid without a low-pass filter, which aliases when
    // shrinking a large photo much; a Gaussian of sigma (ratio - 1) / 2 keeps the geometry of its
    // grid and removes the aliasing. Below 2x (every golden image) the input is face-api.js's exactly.
    cv::GaussianBlur(crop, crop, cv::Size(), (ratio - 1) / 2);
  }

  // tf.image.resizeBilinear(alignCorners = false, halfPixelCenters = false) of the padded square:
  // source = ratio * destination, neighbours floor and min(side - 1, ceil).
  std::vector<int> lo_x(size), hi_x(size), lo_y(size), hi_y(size);
  std::vector<float> fx(size), fy(size);
  for (int i = 0; i < size; ++i) {
    const double s = ratio * i;
    lo_x[i] = lo_y[i] = std::max(0, static_cast<int>(std::floor(s)));
    hi_x[i] = hi_y[i] = std::min(side - 1, static_cast<int>(std::ceil(s)));
    fx[i] = fy[i] = static_cast<float>(s - lo_x[i]);
  }
  auto pixel = [&](int py, int px, int c) -> float {
    const int y = py - pad_top, x = px - pad_left;
    if (y < 0 || x < 0 || y >= r.height || x >= r.width) return 0.0f;
    return crop.ptr<float>(y)[x * 3 + c];
  };
  in.map = FeatureMap(size, size, 3);
  const float inv = 1.0f / divisor;
  for (int oy = 0; oy < size; ++oy) {
    float* d = &in.map.v[static_cast<size_t>(oy) * size * 3];
    for (int ox = 0; ox < size; ++ox) {
      for (int c = 0; c < 3; ++c) {
        const float tl = pixel(lo_y[oy], lo_x[ox], c), tr = pixel(lo_y[oy], hi_x[ox], c);
        const float bl = pixel(hi_y[oy], lo_x[ox], c), br = pixel(hi_y[oy], hi_x[ox], c);
        const float top = tl + (tr - tl) * fx[ox], bottom = bl + (br - bl) * fx[ox];
        d[ox * 3 + c] = (top + (bottom - top) * fy[oy] - mean[c]) * inv;
      }
    }
  }
  return in;
}

}  // namespace idreg::face
