// ParseMrz: decide the format from the zone's shape, then read every field at the positions
// its layout gives and verify every check digit. Field problems are collected, not returned
// early, so that one run reports everything wrong with a document.
#include <string>

#include "document/mrz_fields.h"
#include "document/mrz_layout.h"
#include "document/mrz_shape.h"
#include "idreg/document/mrz.h"

namespace idreg {
namespace {

class ZoneReader {
 public:
  ZoneReader(const MrzLayout& layout, const MrzOptions& options, Mrz* mrz)
      : layout_(layout), options_(options), mrz_(*mrz) {}

  void Read() {
    ReadDocumentCode();
    mrz_.issuing_state = Country("issuing_state", layout_.issuing_state);
    ReadName();
    bool long_number = ReadDocumentNumber();
    mrz_.nationality = Country("nationality", layout_.nationality);
    mrz_.birth_date = DateField("birth_date", layout_.birth_date, options_.today);
    Verify("birth_date", Cut(layout_.birth_date), layout_.birth_date_check);
    ReadSex();
    const Date& t = options_.today;
    mrz_.expiry_date = DateField("expiry_date", layout_.expiry_date, Date{t.year + 20, t.month, t.day});
    Verify("expiry_date", Cut(layout_.expiry_date), layout_.expiry_date_check);
    if (!long_number) mrz_.optional_data = StripMrzFillers(Cut(layout_.optional_data));
    if (layout_.optional_data_check.present()) {
      Verify("optional_data", Cut(layout_.optional_data), layout_.optional_data_check, /*filler_ok=*/true);
    }
    if (layout_.optional_data_2.present()) {
      mrz_.optional_data_2 = StripMrzFillers(Cut(layout_.optional_data_2));
    }
    if (layout_.composite_check.present()) {
      std::string composite;
      for (const MrzSpan& s : layout_.composite_fields) composite += Cut(s);
      Verify("composite", composite, layout_.composite_check);
    }
  }

 private:
  std::string_view Cut(MrzSpan s) const { return MrzCut(mrz_.lines, s); }

  void Error(MrzSpan at, const std::string& message) {
    mrz_.errors.push_back("line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ": " +
                          message);
  }

  // Doc 9303 lets an unused personal number carry '<' or '0' as its check digit (Part 4, 4.2.2).
  void Verify(const std::string& name, std::string_view field, MrzSpan digit, bool filler_ok = false) {
    char c = Cut(digit).empty() ? '<' : Cut(digit)[0];
    int expected = MrzCheckDigit(field);
    bool ok = expected >= 0 && c == '0' + expected;
    if (!ok && filler_ok && c == '<') ok = field.find_first_not_of('<') == std::string_view::npos;
    mrz_.checks.push_back(MrzCheck{name, digit.line, digit.column, ok});
    if (!ok) {
      Error(digit, name + " check digit is " + DescribeMrzChar(c) + ", computed " + std::to_string(expected));
    }
  }

  void ReadDocumentCode() {
    std::string_view code = Cut(layout_.document_code);
    mrz_.document_type = StripMrzFillers(code);
    if (layout_.document_codes.find(code[0]) == std::string_view::npos) {
      std::string_view codes = layout_.document_codes;
      std::string allowed;
      for (size_t i = 0; i < codes.size(); ++i) {
        if (i > 0) allowed += i + 1 == codes.size() ? " or " : ", ";
        allowed += codes[i];
      }
      Error(layout_.document_code, "document code " + DescribeMrzChar(code[0]) + " is not valid for " +
                                       std::string(MrzFormatName(layout_.format)) + " (expected " + allowed +
                                       ")");
    }
    if (code[1] != '<' && (code[1] < 'A' || code[1] > 'Z')) {
      Error({layout_.document_code.line, layout_.document_code.column + 1, 1},
            "document type " + DescribeMrzChar(code[1]) + " must be a letter or '<'");
    }
  }

  std::string Country(const std::string& name, MrzSpan span) {
    std::string_view code = Cut(span);
    for (size_t i = 0; i < code.size(); ++i) {
      if (code[i] >= '0' && code[i] <= '9') {
        Error({span.line, span.column + static_cast<int>(i), 1},
              name + " '" + std::string(code) + "' must be letters or '<'");
        break;
      }
    }
    return StripMrzFillers(code);
  }

  void ReadName() {
    std::string_view field = Cut(layout_.name);
    size_t digit = field.find_first_of("0123456789");
    if (digit != std::string_view::npos) {
      Error({layout_.name.line, layout_.name.column + static_cast<int>(digit), 1},
            "name holds a digit " + DescribeMrzChar(field[digit]));
    }
    SplitMrzName(field, &mrz_.surname, &mrz_.given_names);
    if (mrz_.surname.empty()) Error(layout_.name, "surname is empty (the name must not start with '<')");
  }

  // Returns true when the number is a long one, which consumes the optional data.
  bool ReadDocumentNumber() {
    std::string_view number = Cut(layout_.document_number);
    MrzSpan check = layout_.document_number_check;
    if (!layout_.long_document_numbers || Cut(check) != "<") {
      mrz_.document_number = StripMrzFillers(number);
      Verify("document_number", number, check);
      return false;
    }
    // Doc 9303 Part 5 note j / Part 6 note j: the number's check-digit position holds '<', the
    // number's remaining characters fill the optional data, and its check digit follows them.
    std::string_view optional = Cut(layout_.optional_data);
    size_t last = optional.find_last_not_of('<');
    if (last == std::string_view::npos) {
      mrz_.document_number = StripMrzFillers(number);
      mrz_.checks.push_back(MrzCheck{"document_number", check.line, check.column, false});
      Error(
          check,
          "document_number check digit is '<' and the optional data holds no continuation of a long number");
      return false;
    }
    std::string whole = std::string(number) + std::string(optional.substr(0, last));
    mrz_.document_number = StripMrzFillers(whole);
    mrz_.optional_data = StripMrzFillers(optional.substr(last + 1));
    Verify("document_number", whole,
           {layout_.optional_data.line, layout_.optional_data.column + static_cast<int>(last), 1});
    return true;
  }

  std::string DateField(const std::string& name, MrzSpan span, const Date& limit) {
    std::string_view raw = Cut(span);
    std::optional<Date> d = ExpandMrzDate(raw, limit);
    if (!d) {
      Error(span, name + " '" + std::string(raw) + "' is not a real calendar date (YYMMDD)");
      return std::string(raw);
    }
    return d->ToString();
  }

  void ReadSex() {
    char c = Cut(layout_.sex)[0];
    mrz_.sex = std::string(1, c == '<' ? 'X' : c);
    if (c != 'M' && c != 'F' && c != '<') {
      Error(layout_.sex, "sex " + DescribeMrzChar(c) + " must be M, F or '<'");
    }
  }

  const MrzLayout& layout_;
  const MrzOptions& options_;
  Mrz& mrz_;
};

}  // namespace

Result<Mrz> ParseMrzLines(const std::vector<std::string>& lines, const MrzOptions& options) {
  if (!options.today.IsValid()) {
    return Status::InvalidArgument("MrzOptions.today must be a real date, got " + options.today.ToString());
  }
  IDREG_ASSIGN_OR_RETURN(MrzFormat format, ClassifyMrz(lines));
  Mrz mrz;
  mrz.format = format;
  mrz.lines = lines;
  ZoneReader(MrzLayoutFor(format), options, &mrz).Read();
  return mrz;
}

Result<Mrz> ParseMrz(std::string_view text, const MrzOptions& options) {
  return ParseMrzLines(SplitMrzText(text), options);
}

}  // namespace idreg
