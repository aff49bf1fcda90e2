// Helpers shared by the AN2K reader and writer.
#ifndef IDREG_SRC_INTERCHANGE_AN2K_INTERNAL_H_
#define IDREG_SRC_INTERCHANGE_AN2K_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/interchange/an2k.h"

namespace idreg::an2k {

// A non-negative decimal of 1-9 digits and nothing else; nullopt otherwise.
std::optional<int> ParseDecimal(std::string_view s);

// Bytes before the data of a binary record, LEN included: 18 for Types 3-6, 5 for 7, 12 for 8.
size_t BinaryHeaderSize(int type);

struct ContentEntry {
  int type = 0;
  int idc = 0;
};

// The records field 1.003 lists after Type-1, checked for shape (the first subfield's count
// equals the entries that follow; every item a decimal). Errors name the subfield.
Result<std::vector<ContentEntry>> ReadContentList(const An2kRecord& type1);

// Printable text for error messages: a byte outside ASCII graphics as \xNN.
std::string Quote(std::string_view s, size_t max = 24);

}  // namespace idreg::an2k

#endif  // IDREG_SRC_INTERCHANGE_AN2K_INTERNAL_H_
