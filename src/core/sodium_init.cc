#include "core/sodium_init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace idreg {

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fprintf(stderr, "idreg: libsodium failed to initialise\n");
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace idreg
