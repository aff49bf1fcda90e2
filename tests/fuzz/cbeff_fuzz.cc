// Fuzzes the CBEFF XML reader (and through it the small XML reader): what parses is written and
// read back with the same BIRs.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "idreg/interchange/cbeff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  idreg::Result<idreg::CbeffDocument> d = idreg::ParseCbeffXml(text);
  if (!d.ok()) {
    if (d.status().message().empty()) std::abort();
    return 0;
  }
  idreg::Result<idreg::CbeffDocument> again = idreg::ParseCbeffXml(idreg::WriteCbeffXml(*d));
  if (!again.ok() || again->birs.size() != d->birs.size()) std::abort();
  for (size_t i = 0; i < d->birs.size(); ++i) {
    if (again->birs[i].bdb != d->birs[i].bdb || again->birs[i].quality != d->birs[i].quality) std::abort();
  }
  return 0;
}
