// Each check digit of each format broken in turn: exactly that check (and the composite that
// covers it) fails, valid() is false, and the error names the check and its position.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idreg/document/mrz.h"

namespace idreg {
namespace {

struct Specimen {
  const char* format;
  std::vector<std::string> lines;
  std::vector<std::string> check_names;
};

const std::vector<Specimen>& Specimens() {
  static const std::vector<Specimen> kSpecimens = {
      {"TD1",
       {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
       {"document_number", "birth_date", "expiry_date", "composite"}},
      {"TD2",
       {"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"},
       {"document_number", "birth_date", "expiry_date", "composite"}},
      {"TD3",
       {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
       {"document_number", "birth_date", "expiry_date", "optional_data", "composite"}},
      {"MRV-A",
       {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
       {"document_number", "birth_date", "expiry_date"}},
      {"MRV-B",
       {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"},
       {"document_number", "birth_date", "expiry_date"}},
  };
  return kSpecimens;
}

MrzOptions Today() {
  MrzOptions o;
  o.today = Date{2026, 11, 30};
  return o;
}

TEST(MrzCheckFailureTest, EachCheckDigitBrokenInTurnForEveryFormat) {
  for (const Specimen& s : Specimens()) {
    SCOPED_TRACE(s.format);
    auto good = ParseMrzLines(s.lines, Today());
    ASSERT_TRUE(good.ok()) << good.status().ToString();
    ASSERT_TRUE(good->valid());
    ASSERT_EQ(good->checks.size(), s.check_names.size());
    for (size_t i = 0; i < good->checks.size(); ++i) {
      const MrzCheck& target = good->checks[i];
      SCOPED_TRACE(target.name);
      EXPECT_EQ(target.name, s.check_names[i]);
      std::vector<std::string> broken = s.lines;
      char& digit = broken[target.line - 1][target.column - 1];
      ASSERT_TRUE(digit >= '0' && digit <= '9');
      digit = static_cast<char>('0' + (digit - '0' + 1) % 10);

      auto r = ParseMrzLines(broken, Today());
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_FALSE(r->valid());
      ASSERT_EQ(r->checks.size(), good->checks.size());
      for (const MrzCheck& c : r->checks) {
        if (c.name == target.name) {
          EXPECT_FALSE(c.valid);
        } else if (c.name != "composite") {
          EXPECT_TRUE(c.valid) << c.name;
        }
      }
      // Every check digit but the composite's own is covered by the composite.
      for (const MrzCheck& c : r->checks) {
        if (c.name == "composite" && target.name != "composite") {
          EXPECT_FALSE(c.valid);
        }
      }
      std::string where = "line " + std::to_string(target.line) + ", column " +
                          std::to_string(target.column) + ": " + target.name + " check digit";
      bool named = false;
      for (const std::string& e : r->errors) named = named || e.find(where) == 0;
      EXPECT_TRUE(named) << "no error starting with '" << where << "'; first: " << r->errors[0];
      // The fields themselves still read as before.
      EXPECT_EQ(r->document_number, good->document_number);
      EXPECT_EQ(r->birth_date, good->birth_date);
    }
  }
}

TEST(MrzCheckFailureTest, ALetterOrFillerInACheckDigitPositionFails) {
  auto r = ParseMrz(
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C3AUTO7408122F1204159ZE184226B<<<<<10", Today());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->valid());
  EXPECT_FALSE(r->checks[0].valid);
  EXPECT_EQ(r->errors[0], "line 2, column 10: document_number check digit is 'A', computed 6");

  // A TD3 has no long document numbers: '<' there is simply a wrong check digit.
  auto f = ParseMrz(
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C3<UTO7408122F1204159ZE184226B<<<<<10", Today());
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->checks[0].valid);
  EXPECT_EQ(f->document_number, "L898902C3");
}

TEST(MrzCheckFailureTest, ASwappedFieldBreaksItsCheck) {
  // Two digits of the birth date transposed (1974 -> 1947): the 7-3-1 weights catch it.
  auto r = ParseMrz(
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO4708122F1204159ZE184226B<<<<<10", Today());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->valid());
  EXPECT_FALSE(r->checks[1].valid);
  EXPECT_EQ(r->checks[1].name, "birth_date");
}

}  // namespace
}  // namespace idreg
