// What tests of every module share: a whole-file reader (for records and images under ../shared).
#ifndef IDREG_TESTS_TEST_FILES_H_
#define IDREG_TESTS_TEST_FILES_H_

#include <fstream>
#include <iterator>
#include <string>

#include "idreg/core/bytes.h"

namespace idreg::test {

// The file's bytes; empty when it cannot be read (tests check existence first and skip).
inline Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace idreg::test

#endif  // IDREG_TESTS_TEST_FILES_H_
