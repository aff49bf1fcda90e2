// Image dimensions from headers alone, for writers that must state them (ANSI/NIST HLL/VLL,
// 19794-5 width/height) without decoding pixels.
#include <cstring>
#include <string>

#include "idreg/image/decode.h"
#include "idreg/image/wsq.h"
#include "idreg/interchange/extract.h"

namespace idreg {
namespace {

uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

int Param(const std::string& format, const std::string& name) {
  size_t at = format.find(";" + name + "=");
  if (at == std::string::npos) return 0;
  return std::atoi(format.c_str() + at + name.size() + 2);
}

}  // namespace

Result<std::pair<int, int>> ImagePayloadSize(const std::string& format, std::span<const uint8_t> b) {
  if (format == "image/wsq") {
    IDREG_ASSIGN_OR_RETURN(WsqHeader h, ReadWsqHeader(b));
    return std::make_pair(h.width, h.height);
  }
  if (format == "image/png" || format == "image/jpeg") {
    IDREG_ASSIGN_OR_RETURN(ImageHeader h, ReadImageHeader(b));
    return std::make_pair(static_cast<int>(h.width), static_cast<int>(h.height));
  }
  if (format == "image/jp2") {
    static const uint8_t kJp2[] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A};
    if (b.size() >= 12 && std::memcmp(b.data(), kJp2, 12) == 0) {
      for (size_t i = 12; i + 12 <= b.size(); ++i) {
        if (std::memcmp(b.data() + i, "ihdr", 4) == 0) {
          return std::make_pair(static_cast<int>(Be32(&b[i + 8])), static_cast<int>(Be32(&b[i + 4])));
        }
      }
    }
    if (b.size() >= 24 && b[0] == 0xFF && b[1] == 0x4F && b[2] == 0xFF && b[3] == 0x51) {
      return std::make_pair(static_cast<int>(Be32(&b[8]) - Be32(&b[16])), static_cast<int>(Be32(&b[12]) - Be32(&b[20])));
    }
    return Status::InvalidArgument("image/jp2: no JP2 image header or J2K size segment");
  }
  if (format.rfind("image/raw", 0) == 0) {
    int w = Param(format, "width"), h = Param(format, "height");
    if (w <= 0 || h <= 0) return Status::InvalidArgument(format + ": no width and height");
    return std::make_pair(w, h);
  }
  return Status::InvalidArgument("no image dimensions for format " + format);
}

}  // namespace idreg
