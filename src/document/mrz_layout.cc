#include "document/mrz_layout.h"

namespace idreg {
namespace {

// The second line of TD2, TD3 and both visas starts the same way (Doc 9303 Part 4 section 4.2.2,
// Part 6 section 4.2.2, Part 7 section 4.2.2): only what follows column 28 differs.
constexpr MrzSpan kNumber{2, 1, 9}, kNumberCheck{2, 10, 1}, kNationality{2, 11, 3};
constexpr MrzSpan kBirth{2, 14, 6}, kBirthCheck{2, 20, 1}, kSex{2, 21, 1};
constexpr MrzSpan kExpiry{2, 22, 6}, kExpiryCheck{2, 28, 1};
constexpr MrzSpan kCode{1, 1, 2}, kState{1, 3, 3};

// clang-format off: one format per block, fields grouped as in the standard's tables.
const MrzLayout kTd1{.format = MrzFormat::kTD1,
                     .line_count = 3,
                     .line_length = 30,
                     .document_code = kCode,
                     .issuing_state = kState,
                     .name = {3, 1, 30},
                     .document_number = {1, 6, 9},
                     .document_number_check = {1, 15, 1},
                     .nationality = {2, 16, 3},
                     .birth_date = {2, 1, 6},
                     .birth_date_check = {2, 7, 1},
                     .sex = {2, 8, 1},
                     .expiry_date = {2, 9, 6},
                     .expiry_date_check = {2, 15, 1},
                     .optional_data = {1, 16, 15},
                     .optional_data_check = {},
                     .optional_data_2 = {2, 19, 11},
                     .composite_check = {2, 30, 1},
                     .composite_fields = {{1, 6, 25}, {2, 1, 7}, {2, 9, 7}, {2, 19, 11}},
                     .document_codes = "ACI",
                     .long_document_numbers = true};

const MrzLayout kTd2{.format = MrzFormat::kTD2,
                     .line_count = 2,
                     .line_length = 36,
                     .document_code = kCode,
                     .issuing_state = kState,
                     .name = {1, 6, 31},
                     .document_number = kNumber,
                     .document_number_check = kNumberCheck,
                     .nationality = kNationality,
                     .birth_date = kBirth,
                     .birth_date_check = kBirthCheck,
                     .sex = kSex,
                     .expiry_date = kExpiry,
                     .expiry_date_check = kExpiryCheck,
                     .optional_data = {2, 29, 7},
                     .optional_data_check = {},
                     .optional_data_2 = {},
                     .composite_check = {2, 36, 1},
                     .composite_fields = {{2, 1, 10}, {2, 14, 7}, {2, 22, 14}},
                     .document_codes = "ACI",
                     .long_document_numbers = true};

const MrzLayout kTd3{.format = MrzFormat::kTD3,
                     .line_count = 2,
                     .line_length = 44,
                     .document_code = kCode,
                     .issuing_state = kState,
                     .name = {1, 6, 39},
                     .document_number = kNumber,
                     .document_number_check = kNumberCheck,
                     .nationality = kNationality,
                     .birth_date = kBirth,
                     .birth_date_check = kBirthCheck,
                     .sex = kSex,
                     .expiry_date = kExpiry,
                     .expiry_date_check = kExpiryCheck,
                     .optional_data = {2, 29, 14},
                     .optional_data_check = {2, 43, 1},
                     .optional_data_2 = {},
                     .composite_check = {2, 44, 1},
                     .composite_fields = {{2, 1, 10}, {2, 14, 7}, {2, 22, 22}},
                     .document_codes = "P",
                     .long_document_numbers = false};

// Visas carry no composite check digit; their optional data runs to the end of line 2.
const MrzLayout kMrvA{.format = MrzFormat::kMRVA,
                      .line_count = 2,
                      .line_length = 44,
                      .document_code = kCode,
                      .issuing_state = kState,
                      .name = {1, 6, 39},
                      .document_number = kNumber,
                      .document_number_check = kNumberCheck,
                      .nationality = kNationality,
                      .birth_date = kBirth,
                      .birth_date_check = kBirthCheck,
                      .sex = kSex,
                      .expiry_date = kExpiry,
                      .expiry_date_check = kExpiryCheck,
                      .optional_data = {2, 29, 16},
                      .optional_data_check = {},
                      .optional_data_2 = {},
                      .composite_check = {},
                      .composite_fields = {},
                      .document_codes = "V",
                      .long_document_numbers = false};

const MrzLayout kMrvB{.format = MrzFormat::kMRVB,
                      .line_count = 2,
                      .line_length = 36,
                      .document_code = kCode,
                      .issuing_state = kState,
                      .name = {1, 6, 31},
                      .document_number = kNumber,
                      .document_number_check = kNumberCheck,
                      .nationality = kNationality,
                      .birth_date = kBirth,
                      .birth_date_check = kBirthCheck,
                      .sex = kSex,
                      .expiry_date = kExpiry,
                      .expiry_date_check = kExpiryCheck,
                      .optional_data = {2, 29, 8},
                      .optional_data_check = {},
                      .optional_data_2 = {},
                      .composite_check = {},
                      .composite_fields = {},
                      .document_codes = "V",
                      .long_document_numbers = false};

// clang-format on

}  // namespace

const MrzLayout& MrzLayoutFor(MrzFormat format) {
  switch (format) {
    case MrzFormat::kTD1: return kTd1;
    case MrzFormat::kTD2: return kTd2;
    case MrzFormat::kTD3: return kTd3;
    case MrzFormat::kMRVA: return kMrvA;
    case MrzFormat::kMRVB: return kMrvB;
  }
  return kTd3;
}

std::string_view MrzFormatName(MrzFormat f) {
  switch (f) {
    case MrzFormat::kTD1: return "TD1";
    case MrzFormat::kTD2: return "TD2";
    case MrzFormat::kTD3: return "TD3";
    case MrzFormat::kMRVA: return "MRV-A";
    case MrzFormat::kMRVB: return "MRV-B";
  }
  return "unknown";
}

std::string_view MrzCut(const std::vector<std::string>& lines, MrzSpan span) {
  if (span.line < 1 || static_cast<size_t>(span.line) > lines.size() || span.column < 1 || span.length < 0) {
    return {};
  }
  const std::string& line = lines[span.line - 1];
  size_t start = static_cast<size_t>(span.column - 1);
  if (start + static_cast<size_t>(span.length) > line.size()) return {};
  return std::string_view(line).substr(start, static_cast<size_t>(span.length));
}

}  // namespace idreg
