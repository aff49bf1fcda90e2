// ICAO Doc 9303 machine-readable zones: TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44) and
// MRV-B (2x36). ParseMrz splits every field, verifies every check digit and converts dates; it
// never throws, whatever the input.
#ifndef IDREG_DOCUMENT_MRZ_H_
#define IDREG_DOCUMENT_MRZ_H_

#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/clock.h"
#include "idreg/core/result.h"

namespace idreg {

enum class MrzFormat { kTD1, kTD2, kTD3, kMRVA, kMRVB };

// "TD1", "TD2", "TD3", "MRV-A", "MRV-B".
std::string_view MrzFormatName(MrzFormat f);

// One check digit of the zone: which field it guards, where it sits, and whether it holds.
struct MrzCheck {
  std::string name;  // "document_number", "birth_date", "expiry_date", "optional_data", "composite"
  int line = 0;      // 1-based
  int column = 0;    // 1-based position of the check digit
  bool valid = false;
};

struct Mrz {
  MrzFormat format = MrzFormat::kTD3;
  std::vector<std::string> lines;  // the zone as given
  std::string document_type;       // e.g. "P", "I", "V", "AC" (fillers removed)
  std::string issuing_state;       // three letters, fillers removed ("D" for Germany)
  std::string document_number;     // fillers removed; long numbers joined from the optional data
  std::string nationality;
  std::string birth_date;          // YYYY-MM-DD; the raw YYMMDD if it is not a real date
  std::string sex;                 // "M", "F" or "X" ('<' in the zone)
  std::string expiry_date;         // YYYY-MM-DD; the raw YYMMDD if it is not a real date
  std::string surname;             // '<' inside a name part becomes a space
  std::string given_names;
  std::string optional_data;       // fillers removed; for TD1 the first line's (columns 16-30)
  std::string optional_data_2;     // TD1 only: the second line's (columns 19-29), fillers removed
  std::vector<MrzCheck> checks;
  std::vector<std::string> errors;  // every failed check or invalid field, naming field and position

  // True only when every check digit holds and no field is invalid.
  bool valid() const { return errors.empty(); }
};

struct MrzOptions {
  // Two-digit years are expanded against this date: a birth date to the century that puts it in
  // the past, an expiry date to the century that puts it no more than 20 years ahead.
  Date today;
};

// Lines may be given one per element, or as one string joined by '|' or '\n'. Returns an error
// (InvalidArgument, naming line and position) when the input cannot be read as any MRZ format:
// wrong line count or lengths, characters outside A-Z 0-9 '<', lower case, trailing spaces,
// lines in the wrong order. A zone that parses but fails a check digit is returned with
// valid() false and the failures in errors.
Result<Mrz> ParseMrz(std::string_view text, const MrzOptions& options);
Result<Mrz> ParseMrzLines(const std::vector<std::string>& lines, const MrzOptions& options);

// The 7-3-1 check digit of a field ('<' = 0, A = 10 .. Z = 35); -1 for a character outside
// A-Z 0-9 '<'.
int MrzCheckDigit(std::string_view field);

}  // namespace idreg

#endif  // IDREG_DOCUMENT_MRZ_H_
