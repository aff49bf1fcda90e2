// Fuzzes the per-template coarse form (gallery.h ParseCoarse). Beyond "no crash": every accepted
// input serialises back to exactly the same bytes, and a gallery takes it and searches it.
#include <cstdint>
#include <cstdlib>

#include "idreg/finger/gallery.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace idreg::finger;
  auto p = ParseCoarse({data, size});
  if (!p.ok()) {
    Require(!p.status().message().empty());
    return 0;
  }
  Require(SerializeCoarse(p->coarse, p->minutiae) == idreg::Bytes(data, data + size));
  FingerTemplate t;
  t.width = t.height = 300;
  for (int i = 0; i < p->minutiae; ++i) {
    t.minutiae.push_back({.x = 20 + (i * 37) % 260, .y = 20 + (i * 53) % 260, .direction = 0.1f * static_cast<float>(i)});
  }
  FingerGallery g;
  g.Add(t, p->coarse, 0);
  (void)g.CoarseShortlist(p->coarse, 1, 1);
  return 0;
}
