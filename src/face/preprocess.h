// Network input from an image region, the way face-api.js builds it: the region (clipped to the
// image) is scaled so that its longer side is `size`, drawn on a black square (at the top left,
// or centred), then normalised per channel as (v - mean) / divisor.
#ifndef IDREG_SRC_FACE_PREPROCESS_H_
#define IDREG_SRC_FACE_PREPROCESS_H_

#include "idreg/face/image.h"
#include "idreg/face/kernels.h"

namespace idreg::face {

struct SquareInput {
  FeatureMap map;
  int x0 = 0, y0 = 0;   // the clipped region's origin in the image
  int region_w = 0, region_h = 0;
  float scale = 1;      // network pixels per image pixel
  float off_x = 0, off_y = 0;  // where the region sits in the square, network pixels
};

SquareInput ToSquareInput(const RgbImage& image, Box region, int size, bool center, const float mean[3],
                          float divisor);

}  // namespace idreg::face

#endif  // IDREG_SRC_FACE_PREPROCESS_H_
