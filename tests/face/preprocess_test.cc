// The network input built as face-api.js builds it from a tensor: Box.clipAtImageBorders's crop,
// padToSquare's placement and tf.image.resizeBilinear's grid (alignCorners and halfPixelCenters
// false), each checked on small images with values worked out by hand.
#include "face/preprocess.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace idreg::face {
namespace {

const float kZeroMean[3] = {0, 0, 0};

// Pixel (x, y) has value 10 * y + x + 1 in every channel.
RgbImage Ramp(int w, int h) {
  RgbImage img;
  img.width = w;
  img.height = h;
  img.pixels.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) img.pixels[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>(10 * y + x + 1);
  return img;
}

float At(const SquareInput& in, int y, int x) { return in.map.at(y, x, 0); }

TEST(FaceApiCrop, FloorsOriginAndSizeSeparately) {
  const RgbImage img = Ramp(100, 100);
  const PixelRect r = FaceApiCrop(img, {10.7f, 5.2f, 20.6f, 30.9f});
  EXPECT_EQ(r.x, 10);
  EXPECT_EQ(r.y, 5);
  EXPECT_EQ(r.width, 20);  // floor(20.6), so the right edge is 30, not floor(31.3) = 31
  EXPECT_EQ(r.height, 30);
}

TEST(FaceApiCrop, ClipsAtTheBordersBeforeFlooring) {
  const RgbImage img = Ramp(50, 40);
  PixelRect r = FaceApiCrop(img, {-3.5f, -2.0f, 20.0f, 10.0f});
  EXPECT_EQ(r.x, 0);
  EXPECT_EQ(r.y, 0);
  EXPECT_EQ(r.width, 16);  // -3.5 + 20 - 0
  EXPECT_EQ(r.height, 8);
  r = FaceApiCrop(img, {45.2f, 30.0f, 20.0f, 20.0f});
  EXPECT_EQ(r.x, 45);
  EXPECT_EQ(r.width, 4);  // floor(50 - 45.2)
  EXPECT_EQ(r.height, 10);
}

TEST(FaceApiCrop, DegenerateBoxesGiveAPixelInsideTheImage) {
  const RgbImage img = Ramp(8, 6);
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (Box b : {Box{nan, nan, nan, nan}, Box{inf, -inf, inf, inf}, Box{1e30f, 1e30f, 5, 5}, Box{2, 2, 0, 0}}) {
    const PixelRect r = FaceApiCrop(img, b);
    EXPECT_GE(r.x, 0);
    EXPECT_GE(r.y, 0);
    EXPECT_GE(r.width, 1);
    EXPECT_GE(r.height, 1);
    EXPECT_LE(r.x + r.width, img.width);
    EXPECT_LE(r.y + r.height, img.height);
  }
}

TEST(ToSquareInput, CentredPaddingPutsTheOddColumnBefore) {
  // 2 wide, 5 tall: 3 columns of padding, Math.round(1.5) = 2 after and 1 before.
  const RgbImage img = Ramp(2, 5);
  const SquareInput in = ToSquareInput(img, {0, 0, 2, 5}, 5, /*center=*/true, kZeroMean, 1.0f);
  for (int y = 0; y < 5; ++y) {
    EXPECT_EQ(At(in, y, 0), 0);
    EXPECT_EQ(At(in, y, 1), 10 * y + 1);
    EXPECT_EQ(At(in, y, 2), 10 * y + 2);
    EXPECT_EQ(At(in, y, 3), 0);
    EXPECT_EQ(At(in, y, 4), 0);
  }
  // Points are mapped back with half the difference (1.5), as face-api.js's postProcess does.
  EXPECT_FLOAT_EQ(in.off_x, 1.5f);
  EXPECT_FLOAT_EQ(in.off_y, 0.0f);
}

TEST(ToSquareInput, UncentredPaddingGoesAfter) {
  const RgbImage img = Ramp(4, 2);
  const SquareInput in = ToSquareInput(img, {0, 0, 4, 2}, 4, /*center=*/false, kZeroMean, 1.0f);
  for (int x = 0; x < 4; ++x) {
    EXPECT_EQ(At(in, 0, x), x + 1);
    EXPECT_EQ(At(in, 1, x), 11 + x);
    EXPECT_EQ(At(in, 2, x), 0);
    EXPECT_EQ(At(in, 3, x), 0);
  }
  EXPECT_EQ(in.off_x, 0);
  EXPECT_EQ(in.off_y, 0);
}

TEST(ToSquareInput, ResizeSamplesSourceAtDestinationTimesRatio) {
  // 6x6 to 4x4: ratio 1.5; destination i samples 1.5 i (0, 1.5, 3, 4.5), neighbours floor and
  // min(5, ceil); the values are linear in x and y, so bilinear interpolation is exact.
  const RgbImage img = Ramp(6, 6);
  const float mean[3] = {1, 1, 1};
  const SquareInput in = ToSquareInput(img, {0, 0, 6, 6}, 4, /*center=*/true, mean, 2.0f);
  for (int oy = 0; oy < 4; ++oy)
    for (int ox = 0; ox < 4; ++ox) EXPECT_FLOAT_EQ(At(in, oy, ox), (10 * 1.5f * oy + 1.5f * ox + 1 - 1) / 2) << oy << "," << ox;
  EXPECT_FLOAT_EQ(in.scale, 4.0f / 6);
}

TEST(ToSquareInput, ResizeMixesThePaddingLikeTensorflow) {
  // 1 wide, 3 tall, padded to 3x3 (one zero column each side), resized to 2x2: ratio 1.5, so
  // column 1 of the output samples source column 1.5, halfway between the image and the padding.
  const RgbImage img = Ramp(1, 3);
  const SquareInput in = ToSquareInput(img, {0, 0, 1, 3}, 2, /*center=*/true, kZeroMean, 1.0f);
  EXPECT_FLOAT_EQ(At(in, 0, 0), 0);          // source (0, 0): padding
  EXPECT_FLOAT_EQ(At(in, 0, 1), 0.5f * 1);   // source (0, 1.5): half of pixel (0, 0) = 1
  EXPECT_FLOAT_EQ(At(in, 1, 1), 0.5f * 16);  // source (1.5, 1.5): half of rows 1 and 2 (11, 21)
}

}  // namespace
}  // namespace idreg::face
