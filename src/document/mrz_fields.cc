#include "document/mrz_fields.h"

namespace idreg {
namespace {

std::string NamePart(std::string_view part) {
  std::string out;
  bool pending_space = false;
  for (char c : part) {
    if (c == '<') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string StripMrzFillers(std::string_view field) {
  size_t end = field.find_last_not_of('<');
  return std::string(end == std::string_view::npos ? std::string_view() : field.substr(0, end + 1));
}

void SplitMrzName(std::string_view field, std::string* surname, std::string* given_names) {
  size_t split = field.find("<<");
  if (split == std::string_view::npos) {
    *surname = NamePart(field);
    given_names->clear();
    return;
  }
  *surname = NamePart(field.substr(0, split));
  *given_names = NamePart(field.substr(split + 2));
}

std::optional<Date> ExpandMrzDate(std::string_view yymmdd, const Date& limit) {
  if (yymmdd.size() != 6 || !AllDigits(yymmdd)) return std::nullopt;
  int yy = (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
  Date d{0, (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0'), (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0')};
  // Start in the limit's century and step back one century if that lands after the limit.
  int century = limit.year - ((limit.year % 100) + 100) % 100;
  d.year = century + yy;
  if (d > limit) d.year -= 100;
  if (!d.IsValid()) return std::nullopt;
  return d;
}

}  // namespace idreg
