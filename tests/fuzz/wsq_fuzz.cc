// Fuzzes the WSQ decoder: any input either decodes to an image of the frame header's size or is
// refused with a message; never a crash, a leak or a hang.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "idreg/image/wsq.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  idreg::Result<idreg::WsqHeader> h = idreg::ReadWsqHeader(bytes);
  idreg::Result<idreg::GrayImage> img = idreg::DecodeWsq(bytes);
  if (!img.ok()) {
    if (img.status().message().empty()) std::abort();
    return 0;
  }
  if (!h.ok() || img->width != h->width || img->height != h->height || !img->Validate().ok()) std::abort();
  return 0;
}
