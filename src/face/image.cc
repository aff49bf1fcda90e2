#include "idreg/face/image.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "idreg/image/decode.h"
#include "idreg/image/gray_image.h"

namespace idreg::face {

namespace {

// libjpeg decodes a truncated JPEG "successfully", filling the missing rows with gray, and the
// detector then finds faces in half a photo. A complete JPEG has an end-of-image marker (FF D9)
// after its last start-of-scan (FF DA); neither byte pair can occur inside entropy-coded data
// (FF is stuffed as FF 00), and an EXIF thumbnail's markers come before the main image's scans.
bool JpegHasEnd(std::span<const uint8_t> b) {
  size_t last_sos = 0, last_eoi = 0;
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    if (b[i] != 0xFF) continue;
    if (b[i + 1] == 0xDA) last_sos = i + 1;
    if (b[i + 1] == 0xD9) last_eoi = i + 1;
  }
  return last_eoi > last_sos;
}

}  // namespace

Result<RgbImage> DecodeRgbImage(std::span<const uint8_t> bytes) {
  IDREG_ASSIGN_OR_RETURN(ImageHeader header, ReadImageHeader(bytes));
  IDREG_RETURN_IF_ERROR(CheckImageSize(header.width, header.height));
  if (header.format == ImageFormat::kJpeg && !JpegHasEnd(bytes))
    return Status::InvalidArgument("jpeg: truncated (no end-of-image marker after the last scan)");
  const std::string name = ImageFormatName(header.format);
  cv::Mat bgr;
  try {
    cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data()));
    bgr = cv::imdecode(raw, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(name + ": the decoder failed: " + e.what());
  }
  if (bgr.empty()) return Status::InvalidArgument(name + ": the pixel data could not be decoded (truncated or corrupt)");
  if (bgr.cols != header.width || bgr.rows != header.height)
    return Status::InvalidArgument(name + ": decoded size differs from the header's");
  if (bgr.depth() != CV_8U) bgr.convertTo(bgr, CV_8U);
  RgbImage img;
  img.width = bgr.cols;
  img.height = bgr.rows;
  img.pixels.resize(static_cast<size_t>(img.width) * img.height * 3);
  cv::Mat rgb(img.height, img.width, CV_8UC3, img.pixels.data());
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return img;
}

Result<RgbImage> ReadRgbImageFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read image file " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto img = DecodeRgbImage(bytes);
  if (!img.ok()) return img.status().WithContext(path);
  return img;
}

}  // namespace idreg::face
