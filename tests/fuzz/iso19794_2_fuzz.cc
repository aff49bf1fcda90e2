// Fuzzes the ISO/IEC 19794-2:2005 reader. Beyond "no crash": every accepted record writes back to
// exactly the input bytes, and its conversion to a template and back stays writable.
#include <cstdint>
#include <cstdlib>

#include "idreg/finger/iso19794_2.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace idreg::finger;
  auto rec = ParseIso19794_2({data, size});
  if (!rec.ok()) {
    Require(!rec.status().message().empty());
    return 0;
  }
  auto bytes = WriteIso19794_2(*rec);
  Require(bytes.ok());
  Require(*bytes == idreg::Bytes(data, data + size));
  auto t = IsoToTemplate(*rec);
  if (t.ok()) {
    auto back = TemplateToIso(*t);
    Require(back.ok());
    Require(WriteIso19794_2(*back).ok());
  }
  return 0;
}
