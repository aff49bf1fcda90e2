#include "idreg/dna/allele.h"

#include <cctype>

namespace idreg::dna {

Result<Allele> ParseAllele(std::string_view text) {
  auto bad = [&](const std::string& why) {
    std::string shown(text.substr(0, 20));
    for (char& c : shown) {
      if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
    }
    return Status::InvalidArgument("allele '" + shown + "' is not a repeat number: " + why);
  };
  if (text.empty()) return bad("empty");
  size_t i = 0;
  unsigned whole = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
    if (whole > kMaxAlleleTenths / 10) return bad("larger than 99.9");
    ++i;
  }
  if (i == 0) return bad("expected digits");
  unsigned tenth = 0;
  if (i < text.size()) {
    if (text[i] != '.' || i + 2 != text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      return bad("expected a whole number of repeats and at most one decimal, e.g. 9.3");
    }
    tenth = static_cast<unsigned>(text[i + 1] - '0');
  }
  unsigned tenths = whole * 10 + tenth;
  if (tenths == 0) return bad("zero repeats");
  if (tenths > kMaxAlleleTenths) return bad("larger than 99.9");
  return Allele{static_cast<uint16_t>(tenths)};
}

std::string AlleleToString(Allele a) {
  std::string s = std::to_string(a.tenths / 10);
  if (a.tenths % 10 != 0) {
    s.push_back('.');
    s.push_back(static_cast<char>('0' + a.tenths % 10));
  }
  return s;
}

int RepeatSteps(Allele a, Allele b) {
  if (a.tenths % 10 != b.tenths % 10) return -1;
  int d = static_cast<int>(a.tenths) - static_cast<int>(b.tenths);
  return (d < 0 ? -d : d) / 10;
}

}  // namespace idreg::dna
