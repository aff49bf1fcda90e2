// Colour images for the face networks (they were trained on RGB), decoded by OpenCV after the
// header's dimensions are checked (idreg/image/decode.h), so a hostile header cannot make idreg
// allocate gigabytes.
#ifndef IDREG_FACE_IMAGE_H_
#define IDREG_FACE_IMAGE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "idreg/core/result.h"

namespace idreg::face {

// 8-bit RGB, interleaved, row-major, no padding.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

// An axis-aligned rectangle in pixels of an image.
struct Box {
  float x = 0, y = 0, width = 0, height = 0;
};

// TIFF, PNG, BMP or JPEG bytes (grayscale is replicated to three channels). InvalidArgument
// naming the format and the problem for anything else, truncated data or an oversized image.
Result<RgbImage> DecodeRgbImage(std::span<const uint8_t> bytes);
Result<RgbImage> ReadRgbImageFile(const std::string& path);

}  // namespace idreg::face

#endif  // IDREG_FACE_IMAGE_H_
