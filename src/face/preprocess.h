// Network input from an image region, built as face-api.js builds it from an image tensor
// (NetInput.toBatchTensor): the region is clipped to the image and its origin and size floored
// (Box.clipAtImageBorders), padded with zeros to a square (ops/padToSquare: at the bottom/right, or
// centred with the odd pixel before), resized by tf.image.resizeBilinear with alignCorners and
// halfPixelCenters both false (source = destination x in/out), then normalised per channel as
// (v - mean) / divisor. doc/face.md explains why this path and not the browser canvas one.
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
  float off_x = 0, off_y = 0;  // the centring face-api.js subtracts when mapping points back, network pixels
};

// The integer region face-api.js cuts for `box` (clipped, then x, y, width, height floored); at
// least 1x1 and inside the image.
struct PixelRect {
  int x = 0, y = 0, width = 1, height = 1;
};
PixelRect FaceApiCrop(const RgbImage& image, Box box);

SquareInput ToSquareInput(const RgbImage& image, Box region, int size, bool center, const float mean[3],
                          float divisor);

}  // namespace idreg::face

#endif  // IDREG_SRC_FACE_PREPROCESS_H_
