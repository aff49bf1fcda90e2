// Splitting of the simple CSV files the DNA tables come in: no quoting, ',' separated, LF or
// CRLF line ends. Internal to the dna module.
#ifndef IDREG_SRC_DNA_CSV_TEXT_H_
#define IDREG_SRC_DNA_CSV_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace idreg::dna::internal {

struct CsvLine {
  size_t number = 0;  // 1-based
  std::vector<std::string_view> cells;
};

// Every line, blank ones included (a trailing newline adds none). Cells are trimmed of spaces.
std::vector<CsvLine> SplitCsv(std::string_view text);

// True when every cell is empty (a padding row).
bool IsBlank(const CsvLine& line);

// "line L, column C", for error messages.
std::string At(size_t line, size_t column);

// A cell as it may appear in a message: at most 40 printable characters.
std::string Shown(std::string_view cell);

}  // namespace idreg::dna::internal

#endif  // IDREG_SRC_DNA_CSV_TEXT_H_
