// Decoding of a stored or imported image payload by its media type, the way samples travel
// through idreg (BiometricRecord::format, InterchangeSample::format): "image/png", "image/jpeg",
// "image/tiff", "image/bmp", "image/wsq", "image/jp2" and "image/raw;width=W;height=H" (8-bit).
// Every path reads the dimensions from the header and checks them (CheckImageSize) before
// anything is allocated.
#ifndef IDREG_INTERCHANGE_MEDIA_IMAGE_H_
#define IDREG_INTERCHANGE_MEDIA_IMAGE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "idreg/core/result.h"
#include "idreg/image/gray_image.h"

namespace idreg {

// True for the media types DecodeMediaImage reads.
bool IsDecodableImageType(std::string_view media_type);

// Decodes to 8-bit grayscale. ppi is what the image itself states (0 when it does not); callers
// that know it from elsewhere (an ANSI/NIST record, a 19794-4 header) set it afterwards.
// InvalidArgument naming the media type and what is wrong.
Result<GrayImage> DecodeMediaImage(std::string_view media_type, std::span<const uint8_t> bytes);

// The value of the ";name=" parameter of a media type (e.g. "width" of
// "image/raw;width=500;height=600"): up to 9 digits; -1 when absent or not a number.
int64_t MediaTypeParam(std::string_view media_type, std::string_view name);

// Width and height of a JPEG 2000 stream (a JP2 file's ihdr box or a J2K codestream's SIZ
// segment), without decoding it.
Result<std::pair<int64_t, int64_t>> Jpeg2000Size(std::span<const uint8_t> bytes);

}  // namespace idreg

#endif  // IDREG_INTERCHANGE_MEDIA_IMAGE_H_
