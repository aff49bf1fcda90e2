// Tuning constants of the face modality, in one place. The network constants are the ones the
// pretrained weights were trained with (face-api.js sources); the quality thresholds and the
// decision threshold are idreg's choices, with the reasons in doc/face.md.
#ifndef IDREG_FACE_PARAMETERS_H_
#define IDREG_FACE_PARAMETERS_H_

namespace idreg::face {

// Tiny face detector.
inline constexpr int kDetectorInputSize = 416;  // a multiple of 32; face-api.js's default
inline constexpr float kDetectorMeanRgb[3] = {117.001f, 114.697f, 97.404f};
inline constexpr float kDetectorScoreThreshold = 0.5f;
inline constexpr float kDetectorIouThreshold = 0.4f;
inline constexpr float kDetectorAnchors[5][2] = {
    {1.603231f, 2.094468f}, {6.041143f, 7.080126f}, {2.882459f, 3.518061f}, {4.266906f, 5.178857f}, {9.041765f, 10.66308f}};

// 68-point landmark net and 128-d recognition net (dlib's ResNet).
inline constexpr int kLandmarkInputSize = 112;
inline constexpr int kRecognitionInputSize = 150;
inline constexpr float kFaceMeanRgb[3] = {122.782f, 117.001f, 104.298f};

// Every network's input is (v - mean) / kInputDivisor, as @vladmandic/face-api 1.7.15 does for all
// three (the original face-api.js divided the detector's and the recognition net's by 256; the
// golden descriptors lie within 0.036-0.042 either way, doc/face.md).
inline constexpr float kInputDivisor = 255.0f;

// face-api.js alignment: the square's side is the mean eye-to-mouth distance / 0.45, its
// reference point (mean of eye centres and mouth centre) at 0.5 / 0.43 of the side.
inline constexpr float kAlignScale = 0.45f;
inline constexpr float kAlignRelX = 0.5f;
inline constexpr float kAlignRelY = 0.43f;

// Verification: Euclidean distance between descriptors; same person at or below the threshold.
// 0.6 is dlib's published operating point for this network (99.38% on LFW); similarity for
// score files and DET curves is 1 - distance.
inline constexpr float kMatchDistanceThreshold = 0.6f;

// Quality (enrollment gate). A face below any of these is rejected with the reason.
inline constexpr float kMinFaceSidePx = 48;        // detector box, shorter side
inline constexpr float kMinDetectorScore = 0.6f;   // stricter than detection's 0.5
inline constexpr double kMinSharpness = 10.0;      // variance of the Laplacian of the 150x150 gray crop
inline constexpr float kMaxYawRatio = 0.35f;       // |nose offset from the eyes' midline| / eye distance
inline constexpr float kMaxRollDeg = 30.0f;        // eye line against the horizontal
inline constexpr float kMinPitchRatio = 0.25f;     // (nose tip - eye line) / (mouth - eye line)
inline constexpr float kMaxPitchRatio = 0.85f;
inline constexpr double kMinMeanLuma = 40.0;       // crop too dark
inline constexpr double kMaxMeanLuma = 220.0;      // crop too bright
inline constexpr double kMaxClippedFraction = 0.25;  // share of crop pixels at <= 5 or >= 250

}  // namespace idreg::face

#endif  // IDREG_FACE_PARAMETERS_H_
