// From a photo to descriptors: detect every face, find its 68 landmarks, cut the aligned crop the
// recognition net expects, embed it, and measure its quality. Enrollment takes the largest face
// and refuses one whose quality is below the thresholds of parameters.h, with the reasons.
#ifndef IDREG_FACE_PIPELINE_H_
#define IDREG_FACE_PIPELINE_H_

#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/face/networks.h"

namespace idreg::face {

// kAxisAligned: face-api.js's square from the landmarks. kEyesLevelled: the same square rotated
// about its reference point so that the eyes are level. doc/face.md has the measurement that
// chose the default.
enum class AlignMode { kAxisAligned, kEyesLevelled };
inline constexpr AlignMode kDefaultAlignMode = AlignMode::kEyesLevelled;

struct FaceQuality {
  float face_side_px = 0;      // shorter side of the detector box (the crop's for --no-detect)
  float detector_score = 0;    // 1 for a given crop
  double sharpness = 0;        // variance of the Laplacian of the 150x150 gray aligned crop
  float yaw_ratio = 0;         // nose offset from the eyes' midline / eye distance (0 = frontal)
  float roll_deg = 0;          // eye line against the horizontal
  float pitch_ratio = 0;       // (nose tip - eye line) / (mouth - eye line), about 0.5 frontal
  double mean_luma = 0;        // of the aligned crop, 0-255
  double clipped_fraction = 0;  // share of the crop at <= 5 or >= 250
  std::vector<std::string> rejections;  // empty: good enough to enroll

  bool acceptable() const { return rejections.empty(); }
};

struct AnalyzedFace {
  Detection detection;
  Landmarks68 landmarks{};
  Descriptor descriptor{};
  FaceQuality quality;
};

// The 150x150 crop of the face described by `landmarks` (zeros beyond the image).
RgbImage AlignedCrop(const RgbImage& image, const Landmarks68& landmarks, AlignMode mode, int size = 150);

// Every detected face, largest first.
std::vector<AnalyzedFace> AnalyzeFaces(const FaceNetworks& nets, const RgbImage& image,
                                       AlignMode mode = kDefaultAlignMode);

// An image that already is a face crop (no detection): landmarks on the whole image, then the
// same alignment and embedding.
AnalyzedFace AnalyzeCrop(const FaceNetworks& nets, const RgbImage& crop, AlignMode mode = kDefaultAlignMode);

// The face to enroll: the largest; NotFound when there is none, InvalidArgument listing the
// quality rejections when it is unusable (unless `check_quality` is false).
Result<AnalyzedFace> EnrollmentFace(const FaceNetworks& nets, const RgbImage& image, bool check_quality = true);

// Fills the quality figures and rejections of a face from its aligned crop and landmarks.
FaceQuality AssessQuality(const RgbImage& aligned_crop, const Landmarks68& landmarks, const Detection& detection);

}  // namespace idreg::face

#endif  // IDREG_FACE_PIPELINE_H_
