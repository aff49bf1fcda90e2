// Fuzzes the two voice file parsers: templates (*.vtpl) and the background model (ubm.bin).
// Beyond "no crash": an accepted template is unit length and re-encodes to the same bytes.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "idreg/voice/speaker_model.h"
#include "idreg/voice/voice_template.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto t = idreg::voice::DecodeTemplate({data, size});
  if (t.ok()) {
    const auto again = idreg::voice::EncodeTemplate(*t);
    Require(again.size() == size && std::equal(again.begin(), again.end(), data));
  } else {
    Require(!t.status().message().empty());
  }
  auto m = idreg::voice::GmmUbmModel::Parse({data, size});
  if (m.ok()) {
    Require(m->ubm().components > 0 && m->embedding_dim() > 0);
    Require(m->Serialize().size() == size);
  } else {
    Require(!m.status().message().empty());
  }
  return 0;
}
