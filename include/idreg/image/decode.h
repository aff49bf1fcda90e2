// Decoding of TIFF, PNG, BMP and JPEG bytes into a GrayImage, and resampling to a resolution.
// The header's dimensions are read and checked (CheckImageSize) before the decoder allocates, so a
// corrupt or hostile header claiming 50000x50000 pixels is refused cheaply.
#ifndef IDREG_IMAGE_DECODE_H_
#define IDREG_IMAGE_DECODE_H_

#include <cstdint>
#include <span>
#include <string>

#include "idreg/core/result.h"
#include "idreg/image/gray_image.h"

namespace idreg {

enum class ImageFormat { kUnknown, kTiff, kPng, kBmp, kJpeg };

// "tiff", "png", "bmp", "jpeg" or "unknown".
const char* ImageFormatName(ImageFormat format);

struct ImageHeader {
  ImageFormat format = ImageFormat::kUnknown;
  int64_t width = 0;
  int64_t height = 0;
  double ppi = 0;  // from the header when it says (TIFF resolution tags, PNG pHYs, BMP, JFIF); else 0
};

// Identifies the format by its signature and reads the dimensions of the first image, without
// decoding pixels. InvalidArgument naming the format and what is missing or malformed.
Result<ImageHeader> ReadImageHeader(std::span<const uint8_t> bytes);

// Decodes to 8-bit grayscale (colour is converted with the ITU-R BT.601 luma weights, alpha is
// ignored). The dimensions are checked from the header first. ppi is the header's resolution when
// it is one a scanner would use (250-2000), else 0 (unknown): editors write 72 or 96 by default.
Result<GrayImage> DecodeImage(std::span<const uint8_t> bytes);

// Turns off OpenCV's own log lines (its codecs print "[ERROR:...]" for malformed input, which
// idreg reports as a Status instead). Idempotent; every decoder here calls it before decoding.
void SilenceOpenCvLogs();

// Reads and decodes a file; NotFound when it cannot be read.
Result<GrayImage> ReadImageFile(const std::string& path);

// Resamples from `from_ppi` to `to_ppi` (area averaging when shrinking, bilinear when enlarging).
// InvalidArgument when either resolution is not in (0, 10000] or the result is out of bounds.
Result<GrayImage> Resample(const GrayImage& image, double from_ppi, double to_ppi);

}  // namespace idreg

#endif  // IDREG_IMAGE_DECODE_H_
