// Field conversions: dates and their century, sex, names, document codes, long document numbers
// and the TD3 personal number. Zones are built here with correct check digits, so that each test
// isolates the one field it is about.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idreg/document/mrz.h"

namespace idreg {
namespace {

std::string Digit(std::string_view field) { return std::to_string(MrzCheckDigit(field)); }

struct Td3Fields {
  std::string code = "P<";
  std::string name = "ERIKSSON<<ANNA<MARIA";
  std::string number = "L898902C3";
  std::string birth = "740812";
  std::string sex = "F";
  std::string expiry = "120415";
  std::string personal = "ZE184226B<<<<<";
  std::string personal_check;  // computed when empty
};

std::string Pad(std::string s, size_t n) {
  s.resize(n, '<');
  return s;
}

std::string Td3(const Td3Fields& f) {
  std::string l1 = Pad(f.code + "UTO" + f.name, 44);
  std::string number = f.number + Digit(f.number);
  std::string birth = f.birth + Digit(f.birth);
  std::string pc = f.personal_check.empty() ? Digit(f.personal) : f.personal_check;
  std::string tail = f.expiry + Digit(f.expiry) + f.personal + pc;
  return l1 + "|" + number + "UTO" + birth + f.sex + tail + Digit(number + birth + tail);
}

// A TD1 whose document number may be longer than 9 characters (Doc 9303 Part 5 note j).
std::string Td1(const std::string& number, const std::string& optional_2 = "") {
  std::string l1 = "I<UTO";
  if (number.size() <= 9) {
    l1 += Pad(number, 9) + Digit(Pad(number, 9));
  } else {
    l1 += number.substr(0, 9) + "<" + number.substr(9) + Digit(number);
  }
  l1 = Pad(l1, 30);
  std::string l2 = "7408122F1204159UTO" + Pad(optional_2, 11);
  l2 += Digit(l1.substr(5) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
  return l1 + "|" + l2 + "|ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
}

Mrz Parse(const std::string& zone, Date today = Date{2026, 11, 30}) {
  MrzOptions o;
  o.today = today;
  auto r = ParseMrz(zone, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << zone;
  return r.ok() ? *r : Mrz{};
}

bool HasError(const Mrz& m, const std::string& text) {
  for (const std::string& e : m.errors) {
    if (e.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(MrzFieldsTest, BuilderMakesTheSpecimen) {
  EXPECT_EQ(Td3({}),
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  EXPECT_EQ(Td1("D23145890"),
            "I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
}

TEST(MrzFieldsTest, BirthCenturyPutsTheDateInThePast) {
  auto birth = [](const std::string& yymmdd) {
    Td3Fields f;
    f.birth = yymmdd;
    Mrz m = Parse(Td3(f));
    EXPECT_TRUE(m.valid()) << yymmdd << ": " << (m.errors.empty() ? "" : m.errors[0]);
    return m.birth_date;
  };
  EXPECT_EQ(birth("740812"), "1974-08-12");
  EXPECT_EQ(birth("400907"), "1940-09-07");
  EXPECT_EQ(birth("261130"), "2026-11-30");  // born today
  EXPECT_EQ(birth("261201"), "1926-12-01");  // tomorrow's date: a century ago
  EXPECT_EQ(birth("000101"), "2000-01-01");
  EXPECT_EQ(birth("991231"), "1999-12-31");
  EXPECT_EQ(birth("000229"), "2000-02-29");
}

TEST(MrzFieldsTest, ExpiryCenturyIsAtMostTwentyYearsAhead) {
  auto expiry = [](const std::string& yymmdd, Date today = Date{2026, 11, 30}) {
    Td3Fields f;
    f.expiry = yymmdd;
    return Parse(Td3(f), today).expiry_date;
  };
  EXPECT_EQ(expiry("120415"), "2012-04-15");
  EXPECT_EQ(expiry("961210"), "1996-12-10");
  EXPECT_EQ(expiry("270101"), "2027-01-01");
  EXPECT_EQ(expiry("461130"), "2046-11-30");  // exactly 20 years ahead
  EXPECT_EQ(expiry("461201"), "1946-12-01");  // one day more
  EXPECT_EQ(expiry("470101"), "1947-01-01");
  // Near a century's end the expiry moves into the next one.
  EXPECT_EQ(expiry("050101", Date{2095, 6, 1}), "2105-01-01");
  EXPECT_EQ(expiry("960101", Date{2095, 6, 1}), "2096-01-01");
}

TEST(MrzFieldsTest, DatesThatAreNotRealKeepTheirDigitsAndNameFieldAndPosition) {
  Td3Fields f;
  f.birth = "740230";
  Mrz m = Parse(Td3(f));
  EXPECT_FALSE(m.valid());
  EXPECT_EQ(m.birth_date, "740230");
  EXPECT_TRUE(HasError(m, "line 2, column 14: birth_date '740230' is not a real calendar date"))
      << m.errors[0];
  // The check digits agree with the digits: only the date is bad.
  for (const MrzCheck& c : m.checks) EXPECT_TRUE(c.valid) << c.name;

  f = {};
  f.expiry = "121301";
  m = Parse(Td3(f));
  EXPECT_EQ(m.expiry_date, "121301");
  EXPECT_TRUE(HasError(m, "line 2, column 22: expiry_date '121301' is not a real calendar date"));

  f = {};
  f.birth = "990229";  // 1999 is no leap year
  EXPECT_TRUE(HasError(Parse(Td3(f)), "birth_date '990229'"));
  f.birth = "7408<<";
  EXPECT_TRUE(HasError(Parse(Td3(f)), "birth_date '7408<<'"));
  f.birth = "740800";
  EXPECT_TRUE(HasError(Parse(Td3(f)), "birth_date '740800'"));

  Mrz td1 =
      Parse("I<UTOD231458907<<<<<<<<<<<<<<<|7402302F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  EXPECT_TRUE(HasError(td1, "line 2, column 1: birth_date '740230'"));
}

TEST(MrzFieldsTest, Sex) {
  Td3Fields f;
  f.sex = "M";
  EXPECT_EQ(Parse(Td3(f)).sex, "M");
  f.sex = "<";
  Mrz x = Parse(Td3(f));
  EXPECT_EQ(x.sex, "X");
  EXPECT_TRUE(x.valid());
  f.sex = "Q";
  Mrz q = Parse(Td3(f));
  EXPECT_FALSE(q.valid());
  EXPECT_TRUE(HasError(q, "line 2, column 21: sex 'Q' must be M, F or '<'"));
  f.sex = "X";  // printed in some visual zones, but not an MRZ value
  EXPECT_FALSE(Parse(Td3(f)).valid());
}

TEST(MrzFieldsTest, Names) {
  Td3Fields f;
  f.name = "VAN<DER<BERG<<JAN<PIETER";
  Mrz m = Parse(Td3(f));
  EXPECT_EQ(m.surname, "VAN DER BERG");
  EXPECT_EQ(m.given_names, "JAN PIETER");
  f.name = "ERIKSSON";
  m = Parse(Td3(f));
  EXPECT_EQ(m.surname, "ERIKSSON");
  EXPECT_EQ(m.given_names, "");
  EXPECT_TRUE(m.valid());
  // A name cut at the zone's end has no trailing filler at all.
  f.name = "ERIKSSON<<ANNA<MARIA<ELISABETH<ROSE<LOUI";
  f.name.resize(39);
  m = Parse(Td3(f));
  EXPECT_EQ(m.given_names, "ANNA MARIA ELISABETH ROSE LOU");
  f.name = "ERIK5SON<<ANNA";
  EXPECT_TRUE(HasError(Parse(Td3(f)), "line 1, column 10: name holds a digit '5'"));
  f.name = "<<ANNA";
  EXPECT_TRUE(HasError(Parse(Td3(f)), "surname is empty"));
}

TEST(MrzFieldsTest, DocumentCodesPerFormat) {
  Td3Fields f;
  f.code = "PM";
  Mrz m = Parse(Td3(f));
  EXPECT_TRUE(m.valid());
  EXPECT_EQ(m.document_type, "PM");
  f.code = "I<";  // an ID card code on a passport-sized zone
  m = Parse(Td3(f));
  EXPECT_EQ(m.format, MrzFormat::kTD3);
  EXPECT_TRUE(HasError(m, "line 1, column 1: document code 'I' is not valid for TD3 (expected P)"));
  f.code = "P1";
  EXPECT_TRUE(HasError(Parse(Td3(f)), "line 1, column 2: document type '1' must be a letter or '<'"));

  Mrz td2 = Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|D231458907UTO7408122F1204159<<<<<<<6");
  EXPECT_TRUE(HasError(td2, "document code 'P' is not valid for TD2 (expected A, C or I)"));
  Mrz ac =
      Parse("ACUTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  EXPECT_EQ(ac.document_type, "AC");
  EXPECT_EQ(ac.issuing_state, "UTO");
  Mrz vtd1 =
      Parse("V<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  EXPECT_EQ(vtd1.format, MrzFormat::kTD1);
  EXPECT_TRUE(HasError(vtd1, "document code 'V' is not valid for TD1"));
}

TEST(MrzFieldsTest, CountryCodes) {
  Mrz d = Parse("P<D<<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36D<<7408122F1204159ZE184226B<<<<<10");
  EXPECT_EQ(d.issuing_state, "D");
  EXPECT_EQ(d.nationality, "D");
  Mrz bad =
      Parse("P<U1OERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  EXPECT_TRUE(HasError(bad, "line 1, column 4: issuing_state 'U1O' must be letters or '<'"));
}

TEST(MrzFieldsTest, LongDocumentNumberTd1) {
  std::string zone = Td1("D23145890734");
  // Doc 9303 Part 5's own example of an extended number, check digit 9 worked out by hand.
  EXPECT_EQ(zone.substr(0, 30), "I<UTOD23145890<7349<<<<<<<<<<<");
  Mrz m = Parse(zone);
  EXPECT_TRUE(m.valid()) << m.errors[0];
  EXPECT_EQ(m.document_number, "D23145890734");
  EXPECT_EQ(m.optional_data, "");
  ASSERT_FALSE(m.checks.empty());
  EXPECT_EQ(m.checks[0].name, "document_number");
  EXPECT_EQ(m.checks[0].line, 1);
  EXPECT_EQ(m.checks[0].column, 19);
  EXPECT_TRUE(m.checks[0].valid);

  std::string broken = zone;
  broken[18] = '8';
  Mrz b = Parse(broken);
  EXPECT_FALSE(b.valid());
  EXPECT_FALSE(b.checks[0].valid);
  EXPECT_TRUE(HasError(b, "line 1, column 19: document_number check digit is '8', computed 9"));

  Mrz longest = Parse(Td1("AB1234567890CDEFGHIJKLM"));  // 23 characters: 9 + 14 in the optional data
  EXPECT_TRUE(longest.valid()) << longest.errors[0];
  EXPECT_EQ(longest.document_number, "AB1234567890CDEFGHIJKLM");
  EXPECT_EQ(longest.checks[0].column, 30);
}

TEST(MrzFieldsTest, LongDocumentNumberTd2) {
  std::string l2 =
      "D23145890<UTO7408122F1204159"
      "7349<<<";
  l2 += Digit(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14));
  Mrz m = Parse("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|" + l2);
  EXPECT_TRUE(m.valid()) << m.errors[0];
  EXPECT_EQ(m.document_number, "D23145890734");
  EXPECT_EQ(m.optional_data, "");
  EXPECT_EQ(m.checks[0].line, 2);
  EXPECT_EQ(m.checks[0].column, 32);
}

TEST(MrzFieldsTest, LongDocumentNumberWithoutContinuationFails) {
  std::string zone = Td1("D23145890");
  zone[14] = '<';  // the check digit position, with nothing in the optional data
  Mrz m = Parse(zone);
  EXPECT_FALSE(m.valid());
  EXPECT_FALSE(m.checks[0].valid);
  EXPECT_EQ(m.document_number, "D23145890");
  EXPECT_TRUE(HasError(m, "line 1, column 15: document_number check digit is '<'"));
}

TEST(MrzFieldsTest, OptionalDataOfTd1) {
  Mrz m = Parse(Td1("D23145890", "AB<12"));
  EXPECT_TRUE(m.valid()) << m.errors[0];
  EXPECT_EQ(m.optional_data_2, "AB<12");
}

TEST(MrzFieldsTest, EmptyPersonalNumberTakesFillerOrZeroAsItsCheckDigit) {
  Td3Fields f;
  f.personal = "<<<<<<<<<<<<<<";
  for (const char* check : {"<", "0"}) {
    f.personal_check = check;
    Mrz m = Parse(Td3(f));
    EXPECT_TRUE(m.valid()) << check << ": " << (m.errors.empty() ? "" : m.errors[0]);
    EXPECT_EQ(m.optional_data, "");
  }
  f.personal_check = "5";
  Mrz m = Parse(Td3(f));
  EXPECT_FALSE(m.valid());
  EXPECT_TRUE(HasError(m, "line 2, column 43: optional_data check digit is '5', computed 0"));
  // A personal number that is present needs its real digit, never '<'.
  f = {};
  f.personal_check = "<";
  EXPECT_TRUE(HasError(Parse(Td3(f)), "line 2, column 43: optional_data check digit is '<', computed 1"));
}

TEST(MrzFieldsTest, EveryProblemIsReportedInOneRun) {
  std::string zone = Td3({.birth = "741312", .sex = "Q"});
  zone[zone.size() - 1] = zone.back() == '9' ? '0' : static_cast<char>(zone.back() + 1);
  Mrz m = Parse(zone);
  EXPECT_EQ(m.errors.size(), 3u);
}

}  // namespace
}  // namespace idreg
