// Fuzzes the ANSI/NIST-ITL reader. Beyond "no crash": whatever parses is written back
// byte-identical, every record's accessors work, and errors carry a message.
#include <cstdint>
#include <cstdlib>

#include "idreg/interchange/an2k.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  idreg::Result<idreg::An2kTransaction> t = idreg::ParseAn2k(data, size);
  if (!t.ok()) {
    if (t.status().message().empty()) std::abort();
    return 0;
  }
  for (const idreg::An2kRecord& r : t->records) {
    (void)r.Idc();
    (void)r.ImageHeader();
    for (const idreg::An2kField& f : r.fields) (void)f.Subfields();
  }
  idreg::Result<idreg::Bytes> again = idreg::SerializeAn2k(*t);
  if (!again.ok() || again->size() != size || !std::equal(again->begin(), again->end(), data)) std::abort();
  return 0;
}
