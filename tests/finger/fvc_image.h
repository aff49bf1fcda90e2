// An FVC2002 image from ../shared/data as the extraction stages take it (float gray levels), for
// the stage tests; tests skip, naming the file, when it is absent.
#ifndef IDREG_TESTS_FINGER_FVC_IMAGE_H_
#define IDREG_TESTS_FINGER_FVC_IMAGE_H_

#include <string>

#include <opencv2/core.hpp>

#include "idreg/image/decode.h"

namespace idreg::finger::testing {

// name: "DB3_B/101_1.tif".
inline std::string FvcImagePath(const std::string& name) {
  return std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/" + name;
}

// The image as CV_32F gray levels; empty when it cannot be read.
inline cv::Mat1f FvcGray(const std::string& path) {
  auto img = ReadImageFile(path);
  if (!img.ok()) return {};
  cv::Mat1b raw(img->height, img->width, img->pixels.data());
  cv::Mat1f gray;
  raw.convertTo(gray, CV_32F);
  return gray;
}

}  // namespace idreg::finger::testing

#endif  // IDREG_TESTS_FINGER_FVC_IMAGE_H_
