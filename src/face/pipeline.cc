#include "idreg/face/pipeline.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "idreg/face/parameters.h"

namespace idreg::face {
namespace {

constexpr double kPi = 3.14159265358979323846;

Point Mean(const Landmarks68& lm, int from, int to) {
  Point p;
  for (int i = from; i < to; ++i) {
    p.x += lm[i].x;
    p.y += lm[i].y;
  }
  p.x /= static_cast<float>(to - from);
  p.y /= static_cast<float>(to - from);
  return p;
}

struct AlignFrame {
  Point ref;       // reference point: mean of the eye centres and the mouth centre
  float side = 0;  // side of the square in image pixels
  float angle = 0;  // radians, eye line against the horizontal
};

AlignFrame Frame(const Landmarks68& lm) {
  const Point le = Mean(lm, 36, 42), re = Mean(lm, 42, 48), mouth = Mean(lm, 48, 68);
  const float d = (std::hypot(mouth.x - le.x, mouth.y - le.y) + std::hypot(mouth.x - re.x, mouth.y - re.y)) / 2;
  AlignFrame f;
  f.ref = {(le.x + re.x + mouth.x) / 3, (le.y + re.y + mouth.y) / 3};
  f.side = std::max(1.0f, d / kAlignScale);
  f.angle = std::atan2(re.y - le.y, re.x - le.x);
  return f;
}

std::string Fmt(const char* what, double value, const char* op, double limit) {
  std::ostringstream s;
  s.precision(3);
  s << what << " " << value << " " << op << " " << limit;
  return s.str();
}

}  // namespace

RgbImage AlignedCrop(const RgbImage& image, const Landmarks68& landmarks, AlignMode mode, int size) {
  const AlignFrame f = Frame(landmarks);
  const double a = mode == AlignMode::kEyesLevelled ? f.angle : 0.0;
  const double s = f.side / size;  // image pixels per crop pixel
  const double c = std::cos(a) * s, n = std::sin(a) * s;
  // Crop pixel (u, v) -> image point ref + R(a) * (u*s - relX*side, v*s - relY*side).
  const double ux = -kAlignRelX * size, vy = -kAlignRelY * size;
  cv::Matx23d m(c, -n, f.ref.x + c * ux - n * vy, n, c, f.ref.y + n * ux + c * vy);
  const cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat from = src;
  if (s > 2) {
    // Shrinking much: smooth first so the bilinear warp does not alias.
    cv::GaussianBlur(src, from, cv::Size(), s / 2.5);
  }
  RgbImage out;
  out.width = out.height = size;
  out.pixels.assign(static_cast<size_t>(size) * size * 3, 0);
  cv::Mat dst(size, size, CV_8UC3, out.pixels.data());
  cv::warpAffine(from, dst, m, dst.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT);
  return out;
}

FaceQuality AssessQuality(const RgbImage& crop, const Landmarks68& lm, const Detection& det) {
  FaceQuality q;
  q.face_side_px = std::min(det.box.width, det.box.height);
  q.detector_score = det.score;
  const cv::Mat rgb(crop.height, crop.width, CV_8UC3, const_cast<uint8_t*>(crop.pixels.data()));
  cv::Mat gray, lap;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::Laplacian(gray, lap, CV_64F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(lap, mean, stddev);
  q.sharpness = stddev[0] * stddev[0];
  q.mean_luma = cv::mean(gray)[0];
  const int clipped = cv::countNonZero(gray <= 5) + cv::countNonZero(gray >= 250);
  q.clipped_fraction = static_cast<double>(clipped) / (gray.rows * gray.cols);

  const Point le = Mean(lm, 36, 42), re = Mean(lm, 42, 48), mouth = Mean(lm, 48, 68), nose = lm[30];
  const float angle = std::atan2(re.y - le.y, re.x - le.x);
  q.roll_deg = static_cast<float>(angle * 180 / kPi);
  // Pose in the eye-levelled frame, relative to the eyes' midpoint.
  const float c = std::cos(-angle), s = std::sin(-angle);
  auto level = [&](Point p) {
    const float dx = p.x - (le.x + re.x) / 2, dy = p.y - (le.y + re.y) / 2;
    return Point{c * dx - s * dy, s * dx + c * dy};
  };
  const float eye_dist = std::max(1e-3f, std::hypot(re.x - le.x, re.y - le.y));
  const Point ln = level(nose), lmouth = level(mouth);
  q.yaw_ratio = ln.x / eye_dist;
  q.pitch_ratio = lmouth.y > 1e-3f ? ln.y / lmouth.y : 0;

  if (q.face_side_px < kMinFaceSidePx) q.rejections.push_back(Fmt("face too small:", q.face_side_px, "<", kMinFaceSidePx));
  if (q.detector_score < kMinDetectorScore)
    q.rejections.push_back(Fmt("detector score", q.detector_score, "<", kMinDetectorScore));
  if (q.sharpness < kMinSharpness) q.rejections.push_back(Fmt("too blurred: sharpness", q.sharpness, "<", kMinSharpness));
  if (std::abs(q.yaw_ratio) > kMaxYawRatio)
    q.rejections.push_back(Fmt("head turned: |yaw ratio|", std::abs(q.yaw_ratio), ">", kMaxYawRatio));
  if (std::abs(q.roll_deg) > kMaxRollDeg)
    q.rejections.push_back(Fmt("head tilted: |roll|", std::abs(q.roll_deg), "> (deg)", kMaxRollDeg));
  if (q.pitch_ratio < kMinPitchRatio || q.pitch_ratio > kMaxPitchRatio)
    q.rejections.push_back(Fmt("head pitched: pitch ratio", q.pitch_ratio, "outside", kMinPitchRatio) + "-" +
                           std::to_string(kMaxPitchRatio).substr(0, 4));
  if (q.mean_luma < kMinMeanLuma) q.rejections.push_back(Fmt("too dark: mean luma", q.mean_luma, "<", kMinMeanLuma));
  if (q.mean_luma > kMaxMeanLuma) q.rejections.push_back(Fmt("too bright: mean luma", q.mean_luma, ">", kMaxMeanLuma));
  if (q.clipped_fraction > kMaxClippedFraction)
    q.rejections.push_back(Fmt("over/under-exposed: clipped share", q.clipped_fraction, ">", kMaxClippedFraction));
  return q;
}

namespace {

AnalyzedFace Analyze(const FaceNetworks& nets, const RgbImage& image, const Detection& det, AlignMode mode) {
  AnalyzedFace f;
  f.detection = det;
  // face-api.js cuts the detector box as Box.clipAtImageBorders does (Landmarks does the same).
  f.landmarks = nets.Landmarks(image, det.box);
  const RgbImage crop = AlignedCrop(image, f.landmarks, mode);
  f.descriptor = nets.EmbedCrop(crop);
  f.quality = AssessQuality(crop, f.landmarks, det);
  return f;
}

}  // namespace

std::vector<AnalyzedFace> AnalyzeFaces(const FaceNetworks& nets, const RgbImage& image, AlignMode mode) {
  std::vector<Detection> dets = nets.Detect(image);
  std::sort(dets.begin(), dets.end(), [](const Detection& a, const Detection& b) {
    return a.box.width * a.box.height > b.box.width * b.box.height;
  });
  std::vector<AnalyzedFace> out;
  for (const Detection& d : dets) out.push_back(Analyze(nets, image, d, mode));
  return out;
}

AnalyzedFace AnalyzeCrop(const FaceNetworks& nets, const RgbImage& crop, AlignMode mode) {
  const Detection whole{{0, 0, static_cast<float>(crop.width), static_cast<float>(crop.height)}, 1.0f};
  return Analyze(nets, crop, whole, mode);
}

Result<AnalyzedFace> EnrollmentFace(const FaceNetworks& nets, const RgbImage& image, bool check_quality) {
  std::vector<AnalyzedFace> faces = AnalyzeFaces(nets, image);
  if (faces.empty()) return Status::NotFound("no face found in the image");
  AnalyzedFace& f = faces.front();
  if (check_quality && !f.quality.acceptable()) {
    std::string why;
    for (const std::string& r : f.quality.rejections) why += (why.empty() ? "" : "; ") + r;
    return Status::InvalidArgument("face rejected for enrollment: " + why);
  }
  return std::move(f);
}

}  // namespace idreg::face
