// Minutia extraction from a fingerprint image: segmentation, orientation, ridge period, Gabor
// enhancement, binarisation, thinning, minutia detection and false-minutia filters (each stage in
// its own file under src/finger/, constants in src/finger/parameters.h).
//
// The quality score (0-100) combines the foreground area, the clarity of the orientation field in
// it and the number of minutiae found; low scores predict genuine-match failures.
#ifndef IDREG_FINGER_EXTRACTOR_H_
#define IDREG_FINGER_EXTRACTOR_H_

#include "idreg/core/result.h"
#include "idreg/finger/minutia.h"
#include "idreg/image/gray_image.h"

namespace idreg::finger {

struct ExtractOptions {
  // The image's resolution when it does not say (GrayImage::ppi == 0); images at another
  // resolution are resampled to 500 ppi first.
  double assumed_ppi = 500;
};

// InvalidArgument when the image is too small or too large for one finger, or holds no usable
// ridge area (blank, uniform, or noise), saying which. Thread-safe.
Result<FingerTemplate> ExtractMinutiae(const GrayImage& image, const ExtractOptions& options = {});

}  // namespace idreg::finger

#endif  // IDREG_FINGER_EXTRACTOR_H_
