// The extraction stages, one file each, in pipeline order; extractor.cc chains them. Internal:
// rasters are OpenCV matrices at 500 ppi. Stages write their rasters into the caller's matrices
// (reallocated only when the size changes), so that a thread extracting one image after another
// reuses its memory (scratch.h says why).
#ifndef IDREG_SRC_FINGER_STAGES_H_
#define IDREG_SRC_FINGER_STAGES_H_

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <vector>

#include "idreg/finger/minutia.h"

namespace idreg::finger {

// Foreground mask (255 = finger) from block gradient energy, smoothed, largest region, holes filled.
void SegmentForeground(const cv::Mat1f& image, cv::Mat1b& mask);

// The direction in [0, pi) of a doubled-angle vector (c, s): 0.5 * atan2(s, c), through an
// arctangent polynomial (Abramowitz & Stegun 4.4.49, |error| <= 2e-8 rad before float rounding)
// that compilers vectorise, unlike std::atan2: the Gabor stage needs one per foreground pixel,
// which with std::atan2 took 3 ms of a DB2_B image's 37.
inline float DoubledAngleToAngle(float c, float s) {
  constexpr float kHalfPi = 1.57079632679489662f, kFullPi = 3.14159265358979324f;
  const float ax = std::fabs(c), ay = std::fabs(s);
  const float hi = std::max(ax, ay), lo = std::min(ax, ay);
  const float t = hi > 0 ? lo / hi : 0.0f;  // in [0, 1]
  const float t2 = t * t;
  float p = 0.0028662257f;
  p = p * t2 - 0.0161657367f;
  p = p * t2 + 0.0429096138f;
  p = p * t2 - 0.0752896400f;
  p = p * t2 + 0.1065626393f;
  p = p * t2 - 0.1420889944f;
  p = p * t2 + 0.1999355085f;
  p = p * t2 - 0.3333314528f;
  p = p * t2 + 1.0f;
  float a = t * p;                   // atan(lo / hi), [0, pi/4]
  a = ay > ax ? kHalfPi - a : a;     // atan2(|s|, |c|), [0, pi/2]
  a = c < 0 ? kFullPi - a : a;       // atan2(|s|, c), [0, pi]
  const float half = 0.5f * (s < 0 ? -a : a);
  return half < 0 ? half + kFullPi : half;
}

// Pixel-wise ridge orientation as the doubled-angle vector (cos 2t, sin 2t) of the ridge
// direction t (image axes, y down), plus the gradient coherence in [0, 1].
struct OrientationField {
  cv::Mat1f cos2;
  cv::Mat1f sin2;
  cv::Mat1f coherence;
  float Angle(int x, int y) const;  // ridge direction in [0, pi), image axes
};
void EstimateOrientation(const cv::Mat1f& image, const cv::Mat1b& mask, OrientationField& field);

// The ridge period (pixels) of the whole foreground: the median of local x-signature estimates.
double EstimateRidgePeriod(const cv::Mat1f& image, const OrientationField& field, const cv::Mat1b& mask);

// Oriented Gabor filtering tuned to the ridge period; ridges come out positive. Only the bounding
// box of `mask` is filtered; the rest of `enhanced` is 0.
void EnhanceRidges(const cv::Mat1f& image, const OrientationField& field, double period, const cv::Mat1b& mask,
                   cv::Mat1f& enhanced);

// Ridge pixels (1) where the enhanced image is positive inside the mask, with small blobs of
// ridge or valley removed.
void Binarize(const cv::Mat1f& enhanced, const cv::Mat1b& mask, cv::Mat1b& ridges);

// One-pixel-wide, 8-connected ridge skeleton (Zhang-Suen thinning), values 0/1, in place.
void Thin(cv::Mat1b& ridges);

// Candidate minutia with what the filters need: where its ridge leads.
struct RawMinutia {
  int x = 0;
  int y = 0;
  float direction = 0;  // ISO convention (y up), radians
  MinutiaType type = MinutiaType::kOther;
  // For each traced branch (1 for an ending, 3 for a bifurcation): the index of the minutia the
  // trace reached (-1 when none) and the trace length in pixels.
  int reached[3] = {-1, -1, -1};
  int reached_length[3] = {0, 0, 0};
  float quality = 0;  // 0-1
  bool removed = false;
};

// Crossing-number detection on the skeleton and ridge tracing for directions and links.
std::vector<RawMinutia> DetectMinutiae(const cv::Mat1b& skeleton, const OrientationField& field);

// The false-minutia filters (border, fragments, spurs, bridges, breaks, clusters, unclear areas)
// and the final count cap; returns the survivors.
std::vector<Minutia> FilterMinutiae(std::vector<RawMinutia> raw, const cv::Mat1b& mask,
                                    const OrientationField& field);

// Image quality 0-100 from the foreground area, orientation clarity and minutia count.
int ScoreQuality(const cv::Mat1b& mask, const OrientationField& field, size_t minutiae);

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_STAGES_H_
