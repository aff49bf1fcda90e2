// The extraction pipeline: a short orchestrator over the stages of stages.h.
#include "idreg/finger/extractor.h"

#include <opencv2/core.hpp>
#include <string>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

// The rasters passed between the stages (each stage's own intermediates are in its file).
struct ExtractionBuffers {
  cv::Mat1f gray, enhanced;
  cv::Mat1b mask, skeleton;
  OrientationField field;
};

}  // namespace

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
  const cv::Mat1b raw(h, w, const_cast<uint8_t*>(image->pixels.data()));
  ThreadScratch<ExtractionBuffers> b(raw.size());
  auto& [gray, enhanced, mask, skeleton, field] = *b;
  raw.convertTo(gray, CV_32F);

  SegmentForeground(gray, mask);
  if (cv::countNonZero(mask) < params::kMinForegroundPixels) {
    return Status::InvalidArgument("no usable fingerprint area: the image is blank, uniform or noise");
  }
  EstimateOrientation(gray, mask, field);
  const double period = EstimateRidgePeriod(gray, field, mask);
  EnhanceRidges(gray, field, period, mask, enhanced);
  Binarize(enhanced, mask, skeleton);
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
