// Conversions of single MRZ fields to their readable form. Private to src/document.
#ifndef IDREG_SRC_DOCUMENT_MRZ_FIELDS_H_
#define IDREG_SRC_DOCUMENT_MRZ_FIELDS_H_

#include <optional>
#include <string>
#include <string_view>

#include "idreg/core/clock.h"

namespace idreg {

// The field without its trailing '<' fillers. Inner fillers stay: in optional data they may
// separate national sub-fields.
std::string StripMrzFillers(std::string_view field);

// Splits a name field at the first "<<" into the primary identifier (surname) and the secondary
// one (given names). Inside each part every run of '<' becomes one space.
void SplitMrzName(std::string_view field, std::string* surname, std::string* given_names);

// The latest real date with these YYMMDD digits on or before `limit`; nullopt when the six
// characters are not digits or name no real date in that century. `limit` is only compared,
// so it may be a date that does not exist (today plus 20 years from a 29 February).
std::optional<Date> ExpandMrzDate(std::string_view yymmdd, const Date& limit);

}  // namespace idreg

#endif  // IDREG_SRC_DOCUMENT_MRZ_FIELDS_H_
