// Pixel decoding through OpenCV's codecs, after the header check of image_header.cc.
#include <cstring>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <mutex>

#include "idreg/image/decode.h"

namespace idreg {
namespace {

constexpr double kMinPlausiblePpi = 250;  // the lowest resolution of ISO/IEC 19794-4 finger images
constexpr double kMaxPlausiblePpi = 2000;

GrayImage FromMat(const cv::Mat& gray, double ppi) {
  GrayImage img;
  img.width = gray.cols;
  img.height = gray.rows;
  img.ppi = ppi;
  img.pixels.resize(static_cast<size_t>(gray.cols) * gray.rows);
  for (int y = 0; y < gray.rows; ++y) {
    std::memcpy(img.pixels.data() + static_cast<size_t>(y) * gray.cols, gray.ptr<uint8_t>(y), gray.cols);
  }
  return img;
}

}  // namespace

void SilenceOpenCvLogs() {
  static std::once_flag once;
  std::call_once(once, [] { cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT); });
}

Result<GrayImage> DecodeImage(std::span<const uint8_t> bytes) {
  IDREG_ASSIGN_OR_RETURN(ImageHeader header, ReadImageHeader(bytes));
  SilenceOpenCvLogs();
  const char* name = ImageFormatName(header.format);
  cv::Mat gray;
  try {
    // OpenCV takes a non-const Mat header over the caller's bytes; imdecode does not write to it.
    cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data()));
    gray = cv::imdecode(raw, cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string(name) + ": the decoder failed: " + e.what());
  }
  if (gray.empty()) {
    return Status::InvalidArgument(std::string(name) +
                                   ": the pixel data could not be decoded (truncated or corrupt)");
  }
  if (gray.cols != header.width || gray.rows != header.height) {
    return Status::InvalidArgument(std::string(name) + ": decoded size differs from the header's");
  }
  if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U);
  // Editors write 72 or 96 dpi by default: only a resolution a fingerprint scanner would use is
  // believed; otherwise the resolution is unknown (0) and callers assume their modality's default.
  const bool plausible = header.ppi >= kMinPlausiblePpi && header.ppi <= kMaxPlausiblePpi;
  return FromMat(gray, plausible ? header.ppi : 0);
}

Result<GrayImage> ReadImageFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read image file " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<GrayImage> img = DecodeImage(bytes);
  if (!img.ok()) return img.status().WithContext(path);
  return img;
}

Result<GrayImage> Resample(const GrayImage& image, double from_ppi, double to_ppi) {
  IDREG_RETURN_IF_ERROR(image.Validate());
  if (!(from_ppi > 0 && from_ppi <= 10000 && to_ppi > 0 && to_ppi <= 10000)) {
    return Status::InvalidArgument("resolution must be in (0, 10000] ppi");
  }
  const double scale = to_ppi / from_ppi;
  const int64_t w = static_cast<int64_t>(image.width * scale + 0.5);
  const int64_t h = static_cast<int64_t>(image.height * scale + 0.5);
  Status size = CheckImageSize(w, h);
  if (!size.ok()) return size.WithContext("resampling to " + std::to_string(to_ppi) + " ppi");
  cv::Mat src(image.height, image.width, CV_8U, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat dst;
  cv::resize(src, dst, cv::Size(static_cast<int>(w), static_cast<int>(h)), 0, 0,
             scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  return FromMat(dst, to_ppi);
}

}  // namespace idreg
