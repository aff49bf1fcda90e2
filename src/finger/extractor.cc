// The extraction pipeline: a short orchestrator over the stages of stages.h.
#include "idreg/finger/extractor.h"

#include <opencv2/core.hpp>
#include <string>

#include "finger/parameters.h"
#include "finger/stages.h"
#include "idreg/image/decode.h"

namespace idreg::finger {

Result<FingerTemplate> ExtractMinutiae(const GrayImage& input, const ExtractOptions& options) {
  IDREG_RETURN_IF_ERROR(input.Validate());
  const double ppi = input.ppi > 0 ? input.ppi : options.assumed_ppi;
  GrayImage resampled;
  const GrayImage* image = &input;
  if (std::abs(ppi - 500) > 5) {  // FVC's "500 dpi" images are 500 +- 1%
    IDREG_ASSIGN_OR_RETURN(resampled, Resample(input, ppi, 500));
    image = &resampled;
  }
  const int w = image->width, h = image->height;
  if (std::min(w, h) < params::kMinImageSide) {
    return Status::InvalidArgument("fingerprint image of " + std::to_string(w) + "x" + std::to_string(h) +
                                   " is too small (at least " + std::to_string(params::kMinImageSide) +
                                   " pixels per side at 500 ppi)");
  }
  if (std::max(w, h) > params::kMaxImageSide) {
    return Status::InvalidArgument("fingerprint image of " + std::to_string(w) + "x" + std::to_string(h) +
                                   " is too large for one finger (at most " +
                                   std::to_string(params::kMaxImageSide) + " pixels per side at 500 ppi)");
  }
  cv::Mat1b raw(h, w, const_cast<uint8_t*>(image->pixels.data()));
  cv::Mat1f gray;
  raw.convertTo(gray, CV_32F);

  const cv::Mat1b mask = SegmentForeground(gray);
  if (cv::countNonZero(mask) < params::kMinForegroundPixels) {
    return Status::InvalidArgument("no usable fingerprint area: the image is blank, uniform or noise");
  }
  const OrientationField field = EstimateOrientation(gray, mask);
  const double period = EstimateRidgePeriod(gray, field, mask);
  const cv::Mat1f enhanced = EnhanceRidges(gray, field, period, mask);
  cv::Mat1b skeleton = Binarize(enhanced, mask);
  Thin(skeleton);
  std::vector<RawMinutia> raw_minutiae = DetectMinutiae(skeleton, field);

  FingerTemplate t;
  t.width = w;
  t.height = h;
  t.ppi = 500;
  t.minutiae = FilterMinutiae(std::move(raw_minutiae), mask, field);
  t.quality = ScoreQuality(mask, field, t.minutiae.size());
  return t;
}

}  // namespace idreg::finger
