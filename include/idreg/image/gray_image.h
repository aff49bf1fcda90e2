// GrayImage: an 8-bit grayscale raster, the form every biometric image takes inside idreg
// (fingerprints after decoding, face crops before embedding). Row-major, no padding.
#ifndef IDREG_IMAGE_GRAY_IMAGE_H_
#define IDREG_IMAGE_GRAY_IMAGE_H_

#include <cstdint>
#include <vector>

#include "idreg/core/result.h"

namespace idreg {

struct GrayImage {
  // Larger images are refused before any allocation: a corrupt or hostile header must not make
  // idreg allocate gigabytes (a 500 ppi ten-print slap is about 3200x2000).
  static constexpr int64_t kMaxPixels = 64LL * 1024 * 1024;
  static constexpr int kMaxSide = 32768;

  int width = 0;
  int height = 0;
  double ppi = 0;  // pixels per inch; 0 when unknown
  std::vector<uint8_t> pixels;

  // An image of the given size filled with `value`; InvalidArgument naming the size when it is
  // empty or too large.
  static Result<GrayImage> Create(int width, int height, uint8_t value = 0, double ppi = 0);

  // InvalidArgument when width x height is empty, too large, or does not match pixels.size().
  Status Validate() const;

  uint8_t at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
  uint8_t& at(int x, int y) { return pixels[static_cast<size_t>(y) * width + x]; }
};

// The dimension check alone, for decoders to call with header values before allocating.
Status CheckImageSize(int64_t width, int64_t height);

}  // namespace idreg

#endif  // IDREG_IMAGE_GRAY_IMAGE_H_
