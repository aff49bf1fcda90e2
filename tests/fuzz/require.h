// The fuzz targets' one assertion: beyond "no crash", a broken property (a round trip that
// changes bytes, an error without a message) must stop the fuzzer, in release builds too, so it
// cannot be assert().
#ifndef IDREG_TESTS_FUZZ_REQUIRE_H_
#define IDREG_TESTS_FUZZ_REQUIRE_H_

#include <cstdlib>

inline void Require(bool condition) {
  if (!condition) std::abort();
}

#endif  // IDREG_TESTS_FUZZ_REQUIRE_H_
