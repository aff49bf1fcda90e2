#include "dna/csv_text.h"

#include <cctype>

namespace idreg::dna::internal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<CsvLine> SplitCsv(std::string_view text) {
  std::vector<CsvLine> lines;
  size_t number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view row = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    CsvLine line;
    line.number = ++number;
    size_t start = 0;
    while (true) {
      size_t comma = row.find(',', start);
      line.cells.push_back(Trim(row.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                   : comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

bool IsBlank(const CsvLine& line) {
  for (std::string_view c : line.cells) {
    if (!c.empty()) return false;
  }
  return true;
}

std::string Shown(std::string_view cell) {
  std::string s(cell.substr(0, 40));
  for (char& c : s) {
    if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return s;
}

std::string At(size_t line, size_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace idreg::dna::internal
