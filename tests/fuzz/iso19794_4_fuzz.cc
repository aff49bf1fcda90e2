// Fuzzes the 19794-4 reader (both editions): what parses is written back byte-identical and its
// images decode or are refused; errors carry a message.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "idreg/interchange/iso19794_4.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  idreg::Result<idreg::FingerImageRecord> r = idreg::ParseFingerImageRecord(bytes);
  if (!r.ok()) {
    if (r.status().message().empty()) std::abort();
    return 0;
  }
  idreg::Result<idreg::Bytes> w = idreg::WriteFingerImageRecord(*r);
  if (!w.ok()) std::abort();
  if (w->size() != size || !std::equal(w->begin(), w->end(), data)) std::abort();
  for (const idreg::FingerImage& f : r->images) (void)idreg::DecodeFingerImage(f);
  return 0;
}
