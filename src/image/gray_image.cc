#include "idreg/image/gray_image.h"

#include <string>

namespace idreg {

Status CheckImageSize(int64_t width, int64_t height) {
  if (width <= 0 || height <= 0) {
    return Status::InvalidArgument("image is empty (" + std::to_string(width) + "x" + std::to_string(height) + ")");
  }
  if (width > GrayImage::kMaxSide || height > GrayImage::kMaxSide || width * height > GrayImage::kMaxPixels) {
    return Status::InvalidArgument("image of " + std::to_string(width) + "x" + std::to_string(height) +
                                   " pixels is larger than idreg accepts (" + std::to_string(GrayImage::kMaxSide) +
                                   " per side, " + std::to_string(GrayImage::kMaxPixels) + " in all)");
  }
  return Status::Ok();
}

Result<GrayImage> GrayImage::Create(int width, int height, uint8_t value, double ppi) {
  IDREG_RETURN_IF_ERROR(CheckImageSize(width, height));
  GrayImage img;
  img.width = width;
  img.height = height;
  img.ppi = ppi;
  img.pixels.assign(static_cast<size_t>(width) * static_cast<size_t>(height), value);
  return img;
}

Status GrayImage::Validate() const {
  IDREG_RETURN_IF_ERROR(CheckImageSize(width, height));
  if (pixels.size() != static_cast<size_t>(width) * static_cast<size_t>(height)) {
    return Status::InvalidArgument("image holds " + std::to_string(pixels.size()) + " pixels, expected " +
                                   std::to_string(static_cast<int64_t>(width) * height));
  }
  return Status::Ok();
}

}  // namespace idreg
