// Face images out of 19794-5 records: finding the record inside an ePassport DG2 (BER-TLV), and
// decoding its JPEG or JPEG 2000 image to grayscale. The image's own header gives the size,
// which is checked (CheckImageSize) before OpenCV allocates anything.
#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "idreg/image/decode.h"
#include "idreg/interchange/iso19794_5.h"

namespace idreg {
namespace {

uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

// Width and height from a JP2 file's image header box or a raw J2K codestream's SIZ segment.
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

// BER-TLV: reads one tag and length at `at`; false when malformed or past the end.
bool ReadTlv(std::span<const uint8_t> b, size_t& at, uint32_t& tag, size_t& length) {
  if (at >= b.size()) return false;
  tag = b[at++];
  if ((tag & 0x1F) == 0x1F) {
    do {
      if (at >= b.size() || tag > 0xFFFFFF) return false;
      tag = (tag << 8) | b[at];
    } while (b[at++] & 0x80);
  }
  if (at >= b.size()) return false;
  uint8_t first = b[at++];
  if (first < 0x80) {
    length = first;
  } else {
    int n = first & 0x7F;
    if (n == 0 || n > 4 || at + n > b.size()) return false;
    length = 0;
    for (int i = 0; i < n; ++i) length = (length << 8) | b[at++];
  }
  return length <= b.size() - at;
}

// Depth-first search for the biometric data block (5F2E, or 7F2E when constructed).
std::optional<std::span<const uint8_t>> FindBdb(std::span<const uint8_t> b, int depth) {
  if (depth > 8) return std::nullopt;
  size_t at = 0;
  while (at < b.size()) {
    uint32_t tag;
    size_t length;
    if (!ReadTlv(b, at, tag, length)) return std::nullopt;
    std::span<const uint8_t> value = b.subspan(at, length);
    if (tag == 0x5F2E || tag == 0x7F2E) return value;
    uint8_t first = static_cast<uint8_t>(tag >> (8 * ((tag > 0xFFFF) ? 2 : (tag > 0xFF ? 1 : 0))));
    if (first & 0x20) {  // constructed: look inside
      if (auto found = FindBdb(value, depth + 1)) return found;
    }
    at += length;
  }
  return std::nullopt;
}

}  // namespace

Result<FaceRecord> ParseFaceRecordOrDg2(std::span<const uint8_t> bytes) {
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), "FAC", 4) == 0) return ParseFaceRecord(bytes);
  std::optional<std::span<const uint8_t>> bdb = FindBdb(bytes, 0);
  if (!bdb) {
    return Status::InvalidArgument("neither a 19794-5 record (\"FAC\\0\") nor a DG2 holding one (no biometric data "
                                   "block 5F2E/7F2E in its BER-TLV structure)");
  }
  Result<FaceRecord> r = ParseFaceRecord(*bdb);
  if (!r.ok()) return r.status().WithContext("DG2 biometric data block");
  return r;
}

Result<GrayImage> DecodeFaceImage(const FaceImage& image) {
  std::span<const uint8_t> b(image.image);
  const char* name = image.data_type == FaceImageDataType::kJpeg2000 ? "JPEG 2000" : "JPEG";
  if (image.data_type == FaceImageDataType::kJpeg2000) {
    IDREG_ASSIGN_OR_RETURN(auto size, Jpeg2000Size(b));
    IDREG_RETURN_IF_ERROR(CheckImageSize(size.first, size.second).WithContext(name));
  } else {
    IDREG_ASSIGN_OR_RETURN(ImageHeader h, ReadImageHeader(b));
    if (h.format != ImageFormat::kJpeg) return Status::InvalidArgument("19794-5 says JPEG, the image is not a JPEG");
    IDREG_RETURN_IF_ERROR(CheckImageSize(h.width, h.height).WithContext(name));
  }
  cv::Mat gray;
  try {
    cv::Mat raw(1, static_cast<int>(b.size()), CV_8U, const_cast<uint8_t*>(b.data()));
    gray = cv::imdecode(raw, cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string(name) + ": the decoder failed: " + e.what());
  }
  if (gray.empty()) return Status::InvalidArgument(std::string(name) + ": the image could not be decoded");
  if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U);
  IDREG_ASSIGN_OR_RETURN(GrayImage out, GrayImage::Create(gray.cols, gray.rows));
  for (int y = 0; y < gray.rows; ++y) {
    std::memcpy(out.pixels.data() + static_cast<size_t>(y) * gray.cols, gray.ptr<uint8_t>(y), gray.cols);
  }
  return out;
}

}  // namespace idreg
