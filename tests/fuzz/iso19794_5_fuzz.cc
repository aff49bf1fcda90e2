// Fuzzes the 19794-5 reader (bare records and DG2 wrappers): what parses is written back
// identical and its images decode or are refused; errors carry a message.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "idreg/interchange/iso19794_5.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  idreg::Result<idreg::FaceRecord> r = idreg::ParseFaceRecordOrDg2(bytes);
  if (!r.ok()) {
    if (r.status().message().empty()) std::abort();
    return 0;
  }
  idreg::Result<idreg::Bytes> w = idreg::WriteFaceRecord(*r);
  if (!w.ok()) std::abort();
  idreg::Result<idreg::FaceRecord> again = idreg::ParseFaceRecord(*w);
  if (!again.ok() || again->images.size() != r->images.size()) std::abort();
  if (size >= 4 && std::memcmp(data, "FAC", 4) == 0 && (w->size() != size || !std::equal(w->begin(), w->end(), data))) std::abort();
  for (const idreg::FaceImage& f : r->images) (void)idreg::DecodeFaceImage(f);
  return 0;
}
