// The three pretrained face networks of @vladmandic/face-api, run in C++: the tiny face detector,
// the 68-point landmark net and the 128-d recognition net (dlib's ResNet). Load once, then use
// from any number of threads (every method is const and allocates its own buffers).
#ifndef IDREG_FACE_NETWORKS_H_
#define IDREG_FACE_NETWORKS_H_

#include <array>
#include <filesystem>
#include <memory>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/face/image.h"

namespace idreg::face {

struct Point {
  float x = 0, y = 0;
};

struct Detection {
  Box box;  // in image pixels
  float score = 0;
};

using Landmarks68 = std::array<Point, 68>;  // dlib/iBUG order: jaw 0-16, brows 17-26, nose 27-35,
                                            // eyes 36-41 / 42-47, mouth 48-67
using Descriptor = std::array<float, 128>;

// The folder the installing script puts the weights in: ModelsDir() / "face-api".
std::filesystem::path DefaultFaceModelsDir();

class FaceNetworks {
 public:
  // Loads the three networks from `dir`. NotFound naming scripts/install-face-models when a file
  // is missing; InvalidArgument/Corruption when a manifest or bin file is malformed.
  static Result<std::shared_ptr<const FaceNetworks>> Load(const std::filesystem::path& dir);
  static Result<std::shared_ptr<const FaceNetworks>> LoadDefault();  // DefaultFaceModelsDir()

  ~FaceNetworks();

  // Every face with score > kDetectorScoreThreshold after non-maximum suppression, best first.
  std::vector<Detection> Detect(const RgbImage& image, int input_size = 0) const;

  // The 68 points of the face in `region` (clipped to the image), in image pixels.
  Landmarks68 Landmarks(const RgbImage& image, Box region) const;

  // The descriptor of the face in `region` (clipped to the image; padded to a centred square).
  Descriptor Embed(const RgbImage& image, Box region) const;
  // The descriptor of an image that already is the face crop (e.g. an aligned 150x150 crop).
  Descriptor EmbedCrop(const RgbImage& crop) const;

  struct Impl;

 private:
  explicit FaceNetworks(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Euclidean distance between descriptors (the score scale of this network: same person <= 0.6).
float DescriptorDistance(const Descriptor& a, const Descriptor& b);

}  // namespace idreg::face

#endif  // IDREG_FACE_NETWORKS_H_
