// Image dimensions from headers alone, for writers that must state them (ANSI/NIST HLL/VLL,
// 19794-5 width/height) without decoding pixels.
#include <cstring>
#include <string>

#include "idreg/image/decode.h"
#include "idreg/image/wsq.h"
#include "idreg/interchange/extract.h"
#include "idreg/interchange/media_image.h"

namespace idreg {

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
    IDREG_ASSIGN_OR_RETURN(auto size, Jpeg2000Size(b));
    return std::make_pair(static_cast<int>(size.first), static_cast<int>(size.second));
  }
  if (format.rfind("image/raw", 0) == 0) {
    int64_t w = MediaTypeParam(format, "width"), h = MediaTypeParam(format, "height");
    if (w <= 0 || h <= 0) return Status::InvalidArgument(format + ": no width and height");
    return std::make_pair(static_cast<int>(w), static_cast<int>(h));
  }
  return Status::InvalidArgument("no image dimensions for format " + format);
}

}  // namespace idreg
