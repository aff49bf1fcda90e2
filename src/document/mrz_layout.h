// Where each field of each MRZ format sits, as tabulated in ICAO Doc 9303 Parts 4 (TD3),
// 5 (TD1), 6 (TD2) and 7 (MRV-A, MRV-B). Private to src/document.
#ifndef IDREG_SRC_DOCUMENT_MRZ_LAYOUT_H_
#define IDREG_SRC_DOCUMENT_MRZ_LAYOUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "idreg/document/mrz.h"

namespace idreg {

// A run of characters in the zone. Line and column are 1-based, as Doc 9303 counts them, so that
// error messages and the tables in the standard read the same. A zero length means "absent".
struct MrzSpan {
  int line = 0;
  int column = 0;
  int length = 0;

  bool present() const { return length > 0; }
};

struct MrzLayout {
  MrzFormat format;
  int line_count;
  int line_length;
  MrzSpan document_code;  // two characters: the document code letter and the type (or '<')
  MrzSpan issuing_state;
  MrzSpan name;
  MrzSpan document_number;
  MrzSpan document_number_check;
  MrzSpan nationality;
  MrzSpan birth_date;
  MrzSpan birth_date_check;
  MrzSpan sex;
  MrzSpan expiry_date;
  MrzSpan expiry_date_check;
  MrzSpan optional_data;
  MrzSpan optional_data_check;            // TD3 only: the personal number's check digit
  MrzSpan optional_data_2;                // TD1 only
  MrzSpan composite_check;                // absent on visas
  std::vector<MrzSpan> composite_fields;  // read in this order, weights running on across them
  std::string_view document_codes;        // the letters allowed in the first position
  // TD1 and TD2 numbers longer than 9 characters continue in the optional data (Part 5 and 6).
  bool long_document_numbers;
};

const MrzLayout& MrzLayoutFor(MrzFormat format);

// The span's characters. The zone's shape is checked before any field is cut, so a span never
// falls outside it; an out-of-range span returns "" rather than reading past the line.
std::string_view MrzCut(const std::vector<std::string>& lines, MrzSpan span);

}  // namespace idreg

#endif  // IDREG_SRC_DOCUMENT_MRZ_LAYOUT_H_
