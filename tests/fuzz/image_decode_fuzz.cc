// Fuzzes header reading and decoding of TIFF, PNG, BMP and JPEG bytes. Beyond "no crash": an
// accepted image is valid and within the size limits, and the header agrees with the decoder.
#include <cstdint>
#include <cstdlib>

#include "idreg/image/decode.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto header = idreg::ReadImageHeader({data, size});
  auto img = idreg::DecodeImage({data, size});
  if (!img.ok()) {
    Require(!img.status().message().empty());
    return 0;
  }
  Require(header.ok());
  Require(img->Validate().ok());
  Require(img->width == header->width && img->height == header->height);
  return 0;
}
