// One decoder entry point for every image media type idreg stores: the formats OpenCV reads
// (through image/decode.h, plus JPEG 2000 via OpenCV's OpenJPEG build), WSQ through idreg's own
// decoder, and raw 8-bit rasters whose size travels in the media type's parameters.
#include "idreg/interchange/media_image.h"

#include <cstdlib>
#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "idreg/image/decode.h"
#include "idreg/image/wsq.h"

namespace idreg {
namespace {

uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

int64_t MediaTypeParam(std::string_view type, std::string_view name) {
  std::string key(1, ';');  // built by appends: GCC 12 warns falsely (-Wrestrict) on "x" + string
  key.append(name).push_back('=');
  size_t at = type.find(key);
  if (at == std::string_view::npos) return -1;
  std::string digits;
  for (size_t i = at + key.size(); i < type.size() && type[i] >= '0' && type[i] <= '9' && digits.size() < 9; ++i) {
    digits.push_back(type[i]);
  }
  return digits.empty() ? -1 : std::atoll(digits.c_str());
}

namespace {

Result<GrayImage> DecodeRaw(std::string_view type, std::span<const uint8_t> b) {
  int64_t w = MediaTypeParam(type, "width"), h = MediaTypeParam(type, "height");
  if (w <= 0 || h <= 0) return Status::InvalidArgument(std::string(type) + ": a raw image needs ;width= and ;height=");
  IDREG_RETURN_IF_ERROR(CheckImageSize(w, h).WithContext("raw image"));
  if (static_cast<uint64_t>(w * h) != b.size()) {
    return Status::InvalidArgument("raw image: " + std::to_string(w) + "x" + std::to_string(h) + " needs " +
                                   std::to_string(w * h) + " bytes at 8 bits per pixel, the payload has " +
                                   std::to_string(b.size()));
  }
  IDREG_ASSIGN_OR_RETURN(GrayImage out, GrayImage::Create(static_cast<int>(w), static_cast<int>(h)));
  std::memcpy(out.pixels.data(), b.data(), b.size());
  return out;
}

Result<GrayImage> DecodeJpeg2000(std::span<const uint8_t> b) {
  IDREG_ASSIGN_OR_RETURN(auto size, Jpeg2000Size(b));
  IDREG_RETURN_IF_ERROR(CheckImageSize(size.first, size.second).WithContext("JPEG 2000"));
  SilenceOpenCvLogs();
  cv::Mat gray;
  try {
    cv::Mat raw(1, static_cast<int>(b.size()), CV_8U, const_cast<uint8_t*>(b.data()));
    gray = cv::imdecode(raw, cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string("JPEG 2000: the decoder failed: ") + e.what());
  }
  if (gray.empty()) return Status::InvalidArgument("JPEG 2000: the image could not be decoded");
  if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U, gray.depth() == CV_16U ? 1.0 / 257 : 1.0);
  IDREG_ASSIGN_OR_RETURN(GrayImage out, GrayImage::Create(gray.cols, gray.rows));
  for (int y = 0; y < gray.rows; ++y) {
    std::memcpy(out.pixels.data() + static_cast<size_t>(y) * gray.cols, gray.ptr<uint8_t>(y), gray.cols);
  }
  return out;
}

}  // namespace

bool IsDecodableImageType(std::string_view t) {
  return t == "image/png" || t == "image/jpeg" || t == "image/tiff" || t == "image/bmp" || t == "image/wsq" ||
         t == "image/jp2" || StartsWith(t, "image/raw");
}

Result<std::pair<int64_t, int64_t>> Jpeg2000Size(std::span<const uint8_t> b) {
  static const uint8_t kJp2[] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A};
  if (b.size() >= 12 && std::memcmp(b.data(), kJp2, 12) == 0) {
    for (size_t i = 12; i + 12 <= b.size(); ++i) {
      if (std::memcmp(b.data() + i, "ihdr", 4) == 0) return std::make_pair<int64_t, int64_t>(Be32(&b[i + 8]), Be32(&b[i + 4]));
    }
    return Status::InvalidArgument("JPEG 2000: the JP2 file has no image header box (ihdr)");
  }
  if (b.size() >= 24 && b[0] == 0xFF && b[1] == 0x4F && b[2] == 0xFF && b[3] == 0x51) {
    int64_t w = int64_t{Be32(&b[8])} - Be32(&b[16]);
    int64_t h = int64_t{Be32(&b[12])} - Be32(&b[20]);
    return std::make_pair(w, h);
  }
  return Status::InvalidArgument("JPEG 2000: neither a JP2 signature box nor a J2K codestream (FF4F FF51)");
}

Result<GrayImage> DecodeMediaImage(std::string_view type, std::span<const uint8_t> b) {
  if (type == "image/wsq") return DecodeWsq(b);
  if (type == "image/jp2") return DecodeJpeg2000(b);
  if (StartsWith(type, "image/raw")) return DecodeRaw(type, b);
  if (type == "image/png" || type == "image/jpeg" || type == "image/tiff" || type == "image/bmp") {
    IDREG_ASSIGN_OR_RETURN(ImageHeader h, ReadImageHeader(b));
    std::string expected(type.substr(6));
    if (ImageFormatName(h.format) != expected) {
      return Status::InvalidArgument("the payload says " + std::string(type) + " but holds " +
                                     ImageFormatName(h.format) + " data");
    }
    return DecodeImage(b);
  }
  std::string message(1, '\'');
  message.append(type).append("' is not an image type idreg decodes (image/png, image/jpeg, image/tiff, image/bmp, "
                              "image/wsq, image/jp2, image/raw;width=;height=)");
  return Status::InvalidArgument(message);
}

}  // namespace idreg
