// The small text parsers every edge uses: profile ids, base64 (IDREG_MASTER_KEY, payloads),
// hex, dates and master-key text. None may crash, and what parses must round-trip.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "idreg/core/bytes.h"
#include "idreg/core/clock.h"
#include "idreg/core/id.h"
#include "idreg/registry/master_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto id = idreg::Id::Parse(text); id.ok()) {
    auto again = idreg::Id::Parse(id->ToString());
    if (!again.ok() || *again != *id) std::abort();
  }
  if (auto b = idreg::Base64Decode(text); b.ok()) {
    auto again = idreg::Base64Decode(idreg::Base64Encode(*b));
    if (!again.ok() || *again != *b) std::abort();
  }
  if (auto h = idreg::HexDecode(text); h.ok()) {
    if (idreg::HexEncode(*h).size() != text.size()) std::abort();
  }
  if (auto d = idreg::ParseDate(text); d.ok()) {
    if (!d->IsValid() || d->ToString() != text) std::abort();
  }
  (void)idreg::MasterKey::FromBase64(text);
  return 0;
}
