#include "document/mrz_shape.h"

#include <cstdio>

namespace idreg {
namespace {

constexpr std::string_view kTwoLineFormats = "2 lines (TD2, TD3, MRV-A, MRV-B) or 3 lines (TD1)";

std::string At(size_t line, size_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
}

bool IsMrzChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
bool HasDigit(std::string_view s) { return s.find_first_of("0123456789") != std::string_view::npos; }

std::string SpaceName(char c) {
  switch (c) {
    case ' ': return "space";
    case '\t': return "tab";
    case '\r': return "carriage return";
    default: return DescribeMrzChar(c);
  }
}

Status CheckCount(const std::vector<std::string>& lines) {
  if (lines.empty()) return Status::InvalidArgument("empty MRZ: expected " + std::string(kTwoLineFormats));
  if (lines.size() == 2 || lines.size() == 3) return Status::Ok();
  std::string m = "expected " + std::string(kTwoLineFormats) + ", got " + std::to_string(lines.size());
  size_t n = lines[0].size();
  // A whole zone pasted as one string is the usual way to get here.
  if (lines.size() == 1 && (n == 72 || n == 88 || n == 90)) m += "; separate the lines with '|' or a newline";
  return Status::InvalidArgument(m);
}

Status CheckCharacters(const std::string& line, size_t number) {
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (IsMrzChar(c)) continue;
    if (c >= 'a' && c <= 'z') {
      return Status::InvalidArgument(At(number, i + 1) + "lower case " + DescribeMrzChar(c) +
                                     "; the MRZ is upper case only");
    }
    if (IsSpace(c)) {
      bool trailing = line.find_first_not_of(" \t\r\v\f", i) == std::string::npos;
      if (trailing) return Status::InvalidArgument(At(number, i + 1) + "trailing " + SpaceName(c));
      return Status::InvalidArgument(At(number, i + 1) + SpaceName(c) +
                                     " is not an MRZ character (fillers are '<')");
    }
    return Status::InvalidArgument(At(number, i + 1) + DescribeMrzChar(c) +
                                   " is not an MRZ character (A-Z, 0-9 and '<' only)");
  }
  return Status::Ok();
}

Status CheckLengths(const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) return Status::InvalidArgument("line " + std::to_string(i + 1) + " is empty");
  }
  size_t n = lines[0].size();
  if (lines.size() == 3 && n != 30) {
    if (n == 36 || n == 44) {
      return Status::InvalidArgument("got 3 lines, but a zone of " + std::to_string(n) +
                                     "-character lines has 2 (an extra line?)");
    }
    return Status::InvalidArgument("line 1 has " + std::to_string(n) +
                                   " characters; a 3-line zone (TD1) has 30 per line");
  }
  if (lines.size() == 2 && n != 36 && n != 44) {
    if (n == 30) {
      return Status::InvalidArgument("got 2 lines of 30 characters, but TD1 has 3 (a missing line?)");
    }
    return Status::InvalidArgument("line 1 has " + std::to_string(n) +
                                   " characters; a 2-line zone has 36 (TD2, MRV-B) or 44 (TD3, MRV-A)");
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].size() != n) {
      return Status::InvalidArgument("line " + std::to_string(i + 1) + " has " +
                                     std::to_string(lines[i].size()) + " characters; expected " +
                                     std::to_string(n) + " like line 1");
    }
  }
  return Status::Ok();
}

// The first line starts with a document code letter, a type letter or '<', and the issuing state.
bool LooksLikeFirstLine(std::string_view line) {
  if (line.size() < 5 || std::string_view("ACIPV").find(line[0]) == std::string_view::npos) return false;
  for (size_t i = 1; i < 5; ++i) {
    if (line[i] != '<' && (line[i] < 'A' || line[i] > 'Z')) return false;
  }
  return true;
}

// Only the second line of a 2-line zone holds dates and check digits; the first holds no digit.
Status CheckTwoLineOrder(const std::vector<std::string>& lines) {
  bool first_ok = LooksLikeFirstLine(lines[0]);
  bool second_is_first = LooksLikeFirstLine(lines[1]) && !HasDigit(lines[1]);
  if (!first_ok && second_is_first) {
    return Status::InvalidArgument(
        "lines in the wrong order: line 2 looks like the first line "
        "(document code and names), line 1 like the second");
  }
  if (std::string_view("ACIPV").find(lines[0][0]) == std::string_view::npos) {
    return Status::InvalidArgument(At(1, 1) + DescribeMrzChar(lines[0][0]) +
                                   " is not a document code (A, C, I, P or V)");
  }
  if (second_is_first) {
    return Status::InvalidArgument(
        "line 2 looks like a first line (document code and names, no digit): "
        "lines repeated or in the wrong order");
  }
  return Status::Ok();
}

// TD1: document code and number, then dates, then names. Names hold no digit; dates do, and a
// dates line starts with a digit, so it never looks like a first line.
Status CheckThreeLineOrder(const std::vector<std::string>& lines) {
  bool first_has_code = std::string_view("ACIPV").find(lines[0][0]) != std::string_view::npos;
  if (!first_has_code || !HasDigit(lines[0])) {
    for (size_t i = 1; i < 3; ++i) {
      if (LooksLikeFirstLine(lines[i]) && HasDigit(lines[i])) {
        return Status::InvalidArgument("lines in the wrong order: line " + std::to_string(i + 1) +
                                       " looks like the first line (document code and number)");
      }
    }
  }
  if (!first_has_code) {
    return Status::InvalidArgument(At(1, 1) + DescribeMrzChar(lines[0][0]) +
                                   " is not a document code (A, C, I, P or V)");
  }
  if (!HasDigit(lines[1])) {
    if (HasDigit(lines[2])) {
      return Status::InvalidArgument(
          "lines in the wrong order: line 2 looks like the names line "
          "and line 3 like the dates line");
    }
    return Status::InvalidArgument("line 2 holds no digit, but a TD1 second line holds the dates");
  }
  return Status::Ok();
}

}  // namespace

std::string DescribeMrzChar(char c) {
  if (c > ' ' && c < 0x7f) {
    if (c == '\'') return "\"'\"";
    return std::string("'") + c + "'";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return buf;
}

std::vector<std::string> SplitMrzText(std::string_view text) {
  std::vector<std::string> lines;
  if (text.empty()) return lines;
  if (text.back() == '\n') text.remove_suffix(1);
  if (text.empty()) return lines;
  size_t start = 0;
  while (true) {
    size_t end = text.find_first_of("|\n", start);
    lines.emplace_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

Result<MrzFormat> ClassifyMrz(const std::vector<std::string>& lines) {
  IDREG_RETURN_IF_ERROR(CheckCount(lines));
  for (size_t i = 0; i < lines.size(); ++i) IDREG_RETURN_IF_ERROR(CheckCharacters(lines[i], i + 1));
  IDREG_RETURN_IF_ERROR(CheckLengths(lines));
  if (lines.size() == 3) {
    IDREG_RETURN_IF_ERROR(CheckThreeLineOrder(lines));
    return MrzFormat::kTD1;
  }
  IDREG_RETURN_IF_ERROR(CheckTwoLineOrder(lines));
  bool visa = lines[0][0] == 'V';
  if (lines[0].size() == 44) return visa ? MrzFormat::kMRVA : MrzFormat::kTD3;
  return visa ? MrzFormat::kMRVB : MrzFormat::kTD2;
}

}  // namespace idreg
