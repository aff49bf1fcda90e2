#include "preprocess.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace idreg::face {

SquareInput ToSquareInput(const RgbImage& image, Box region, int size, bool center, const float mean[3],
                          float divisor) {
  SquareInput in;
  int x0 = std::clamp(static_cast<int>(std::floor(region.x)), 0, image.width - 1);
  int y0 = std::clamp(static_cast<int>(std::floor(region.y)), 0, image.height - 1);
  int x1 = std::clamp(static_cast<int>(std::floor(region.x + region.width)), x0 + 1, image.width);
  int y1 = std::clamp(static_cast<int>(std::floor(region.y + region.height)), y0 + 1, image.height);
  const int rw = x1 - x0, rh = y1 - y0;
  in.x0 = x0;
  in.y0 = y0;
  in.region_w = rw;
  in.region_h = rh;
  in.scale = static_cast<float>(size) / std::max(rw, rh);
  in.off_x = center && rw < rh ? (size - rw * in.scale) / 2 : 0;
  in.off_y = center && rh < rw ? (size - rh * in.scale) / 2 : 0;

  const cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat crop = src(cv::Rect(x0, y0, rw, rh));
  float scale_x = in.scale, scale_y = in.scale;
  if (in.scale < 0.5f) {
    // Much smaller: average areas first (a bilinear warp alone would alias), then place the result.
    cv::Mat shrunk;
    const int sw = std::max(1, static_cast<int>(std::lround(rw * in.scale)));
    const int sh = std::max(1, static_cast<int>(std::lround(rh * in.scale)));
    cv::resize(crop, shrunk, cv::Size(sw, sh), 0, 0, cv::INTER_AREA);
    scale_x = rw * in.scale / sw;
    scale_y = rh * in.scale / sh;
    crop = shrunk;
  }
  // Draw the region at (off_x, off_y) scaled by `scale`, as a canvas drawImage does: the black
  // square shows where the region does not reach.
  cv::Mat scaled(size, size, CV_8UC3, cv::Scalar::all(0));
  const cv::Matx23d m(scale_x, 0, in.off_x + 0.5 * scale_x - 0.5, 0, scale_y, in.off_y + 0.5 * scale_y - 0.5);
  cv::warpAffine(crop, scaled, m, scaled.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  in.map = FeatureMap(size, size, 3);
  const float inv = 1.0f / divisor;
  for (int y = 0; y < size; ++y) {
    const uint8_t* p = scaled.ptr<uint8_t>(y);
    float* d = &in.map.v[static_cast<size_t>(y) * size * 3];
    for (int x = 0; x < size * 3; x += 3)
      for (int c = 0; c < 3; ++c) d[x + c] = (p[x + c] - mean[c]) * inv;
  }
  return in;
}

}  // namespace idreg::face
