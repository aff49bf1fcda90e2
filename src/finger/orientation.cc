// Orientation field from the smoothed structure tensor (Bazen & Gerez 2002), then smoothed again
// as a doubled-angle vector field so that scars and noise take the orientation of their context.
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

struct OrientationBuffers {
  cv::Mat1f blurred, gx, gy, m, gxx, gyy, gxy, c, s, norm, energy;
};

}  // namespace

float OrientationField::Angle(int x, int y) const { return DoubledAngleToAngle(cos2(y, x), sin2(y, x)); }

void EstimateOrientation(const cv::Mat1f& image, const cv::Mat1b& mask, OrientationField& f) {
  using namespace params;
  ThreadScratch<OrientationBuffers> b(image.size());
  auto& [blurred, gx, gy, m, gxx, gyy, gxy, c, s, norm, energy] = *b;
  cv::GaussianBlur(image, blurred, cv::Size(), kGradientSigma);
  cv::Sobel(blurred, gx, CV_32F, 1, 0, 3);
  cv::Sobel(blurred, gy, CV_32F, 0, 1, 3);
  mask.convertTo(m, CV_32F, 1.0 / 255);
  cv::multiply(gx, gx, gxx);
  cv::multiply(gxx, m, gxx);
  cv::multiply(gy, gy, gyy);
  cv::multiply(gyy, m, gyy);
  cv::multiply(gx, gy, gxy);
  cv::multiply(gxy, m, gxy);
  cv::GaussianBlur(gxx, gxx, cv::Size(), kOrientationSigma);
  cv::GaussianBlur(gyy, gyy, cv::Size(), kOrientationSigma);
  cv::GaussianBlur(gxy, gxy, cv::Size(), kOrientationSigma);
  // The gradient is perpendicular to the ridges: the ridge's doubled angle is the gradient's + pi.
  cv::subtract(gyy, gxx, c);
  gxy.convertTo(s, CV_32F, -2);
  cv::magnitude(c, s, norm);
  energy = gxx + gyy + 1e-3f;
  cv::divide(norm, energy, f.coherence);
  // Weighting by coherence lets clear regions dominate the smoothing of unclear ones.
  cv::GaussianBlur(c, c, cv::Size(), kOrientationSmoothSigma);
  cv::GaussianBlur(s, s, cv::Size(), kOrientationSmoothSigma);
  cv::magnitude(c, s, norm);
  norm += 1e-6f;
  cv::divide(c, norm, f.cos2);
  cv::divide(s, norm, f.sin2);
}

}  // namespace idreg::finger
