// Fuzzes the finger gallery's persistent form (gallery.h). Beyond "no crash": every accepted input
// serialises back to exactly the same bytes, and a search over it runs.
#include <cstdint>
#include <cstdlib>

#include "idreg/finger/gallery.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace idreg::finger;
  auto g = ParseGallery({data, size});
  if (!g.ok()) {
    Require(!g.status().message().empty());
    return 0;
  }
  Require(SerializeGallery(*g) == idreg::Bytes(data, data + size));
  if (g->size() > 0 && g->size() <= 64) {
    FingerGallery::SearchOptions o;
    o.shortlist = 2;
    o.threads = 1;
    (void)g->Search(g->Template(0), o);
  }
  return 0;
}
