// Face images out of 19794-5 records: finding the record inside an ePassport DG2 (BER-TLV), and
// decoding its JPEG or JPEG 2000 image to grayscale. The image's own header gives the size,
// which is checked (CheckImageSize) before OpenCV allocates anything.
#include <cstring>
#include <string>

#include "idreg/interchange/iso19794_5.h"
#include "idreg/interchange/media_image.h"

namespace idreg {
namespace {

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
  Result<GrayImage> r = DecodeMediaImage(image.MediaType(), image.image);
  if (!r.ok()) return r.status().WithContext("19794-5 image");
  return r;
}

}  // namespace idreg
