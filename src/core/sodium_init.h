// libsodium must be initialised once before use; every module that calls it goes through here.
#ifndef IDREG_SRC_CORE_SODIUM_INIT_H_
#define IDREG_SRC_CORE_SODIUM_INIT_H_

namespace idreg {

// Initialises libsodium on first call (thread-safe); aborts if it cannot, since no random
// number or key can be trusted without it.
void EnsureSodium();

}  // namespace idreg

#endif  // IDREG_SRC_CORE_SODIUM_INIT_H_
