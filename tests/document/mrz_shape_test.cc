// Inputs that cannot be read as any MRZ: a clear InvalidArgument naming the place, never a crash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idreg/document/mrz.h"

namespace idreg {
namespace {

const std::string kTd3L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kTd3L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const std::string kTd2L1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
const std::string kTd2L2 = "D231458907UTO7408122F1204159<<<<<<<6";
const std::string kTd1L1 = "I<UTOD231458907<<<<<<<<<<<<<<<";
const std::string kTd1L2 = "7408122F1204159UTO<<<<<<<<<<<6";
const std::string kTd1L3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

// The message of the InvalidArgument that parsing `lines` must return.
std::string Unusable(const std::vector<std::string>& lines) {
  MrzOptions o;
  o.today = Date{2026, 11, 30};
  auto r = ParseMrzLines(lines, o);
  if (r.ok()) return "(parsed as " + std::string(MrzFormatName(r->format)) + ")";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

std::string UnusableText(std::string_view text) {
  MrzOptions o;
  o.today = Date{2026, 11, 30};
  auto r = ParseMrz(text, o);
  if (r.ok()) return "(parsed as " + std::string(MrzFormatName(r->format)) + ")";
  return r.status().message();
}

#define EXPECT_HAS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(MrzShapeTest, EmptyAndWrongLineCounts) {
  EXPECT_HAS(Unusable({}), "empty MRZ");
  EXPECT_HAS(UnusableText(""), "empty MRZ");
  EXPECT_HAS(UnusableText("\n"), "empty MRZ");
  EXPECT_HAS(Unusable({kTd3L1}), "got 1");
  EXPECT_HAS(UnusableText(kTd3L1 + kTd3L2), "separate the lines with '|' or a newline");
  EXPECT_HAS(Unusable({kTd1L1, kTd1L2, kTd1L3, kTd1L3}), "got 4");
  EXPECT_HAS(UnusableText("|"), "line 1 is empty");
  EXPECT_HAS(UnusableText(kTd3L1 + "|" + kTd3L2 + "|"), "line 3 is empty");
}

TEST(MrzShapeTest, TruncationsAndAnExtraLine) {
  EXPECT_HAS(Unusable({kTd3L1, kTd3L2.substr(0, 43)}), "line 2 has 43 characters; expected 44 like line 1");
  EXPECT_HAS(Unusable({kTd3L1.substr(0, 40), kTd3L2}), "line 1 has 40 characters");
  EXPECT_HAS(Unusable({kTd2L1, kTd2L2.substr(0, 30)}), "line 2 has 30 characters");
  EXPECT_HAS(Unusable({kTd1L1, kTd1L2}), "TD1 has 3 (a missing line?)");
  EXPECT_HAS(Unusable({kTd1L1, kTd1L2, kTd1L3.substr(0, 29)}), "line 3 has 29 characters");
  EXPECT_HAS(Unusable({kTd3L1, kTd3L2, kTd3L2}), "got 3 lines, but a zone of 44-character lines has 2");
  EXPECT_HAS(Unusable({kTd2L1 + "<", kTd2L2 + "<"}), "line 1 has 37 characters");
}

TEST(MrzShapeTest, CharactersOutsideTheMrzSet) {
  std::string bad = kTd3L2;
  bad[4] = '#';
  EXPECT_EQ(Unusable({kTd3L1, bad}), "line 2, column 5: '#' is not an MRZ character (A-Z, 0-9 and '<' only)");
  bad[4] = '\xc3';
  EXPECT_EQ(Unusable({kTd3L1, bad}),
            "line 2, column 5: byte 0xC3 is not an MRZ character (A-Z, 0-9 and '<' only)");
  bad[4] = '\0';
  EXPECT_HAS(Unusable({kTd3L1, bad}), "line 2, column 5: byte 0x00");
  bad[4] = ' ';
  EXPECT_HAS(Unusable({kTd3L1, bad}), "line 2, column 5: space is not an MRZ character (fillers are '<')");
}

TEST(MrzShapeTest, LowerCase) {
  EXPECT_EQ(Unusable({"P<UTOEriksson<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", kTd3L2}),
            "line 1, column 7: lower case 'r'; the MRZ is upper case only");
}

TEST(MrzShapeTest, TrailingSpacesAndLineEnds) {
  EXPECT_EQ(Unusable({kTd3L1 + " ", kTd3L2}), "line 1, column 45: trailing space");
  EXPECT_EQ(Unusable({kTd3L1, kTd3L2 + "  "}), "line 2, column 45: trailing space");
  EXPECT_EQ(Unusable({kTd3L1, kTd3L2 + "\r"}), "line 2, column 45: trailing carriage return");
  EXPECT_EQ(UnusableText(kTd3L1 + "\r\n" + kTd3L2), "line 1, column 45: trailing carriage return");
  EXPECT_HAS(Unusable({kTd2L1, kTd2L2 + "\t"}), "line 2, column 37: trailing tab");
}

TEST(MrzShapeTest, SwappedLines) {
  EXPECT_HAS(Unusable({kTd3L2, kTd3L1}), "lines in the wrong order");
  EXPECT_HAS(Unusable({kTd2L2, kTd2L1}), "lines in the wrong order");
  EXPECT_HAS(Unusable({"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
                       "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"}),
             "lines in the wrong order");
  EXPECT_HAS(Unusable({kTd1L2, kTd1L1, kTd1L3}),
             "lines in the wrong order: line 2 looks like the first line");
  EXPECT_HAS(Unusable({kTd1L3, kTd1L2, kTd1L1}),
             "lines in the wrong order: line 3 looks like the first line");
  EXPECT_HAS(Unusable({kTd1L1, kTd1L3, kTd1L2}),
             "lines in the wrong order: line 2 looks like the names line");
  // A names line starting with a document code letter ("CARLSSON") still reads as a names line.
  EXPECT_HAS(Unusable({"CARLSSON<<ANNA<<<<<<<<<<<<<<<<", kTd1L2, kTd1L1}),
             "line 3 looks like the first line");
  EXPECT_HAS(Unusable({kTd3L1, kTd3L1}), "line 2 looks like a first line");
}

TEST(MrzShapeTest, FirstCharacterIsNoDocumentCode) {
  EXPECT_EQ(Unusable({"X<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", kTd3L2}),
            "line 1, column 1: 'X' is not a document code (A, C, I, P or V)");
  EXPECT_HAS(Unusable({"1<UTOD231458907<<<<<<<<<<<<<<<", kTd1L2, kTd1L3}),
             "line 1, column 1: '1' is not a document");
  EXPECT_HAS(Unusable({kTd1L1, "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", kTd1L3}), "line 2 holds no digit");
}

TEST(MrzShapeTest, TodayMustBeSet) {
  auto r = ParseMrz(kTd3L1 + "|" + kTd3L2, MrzOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_HAS(r.status().message(), "MrzOptions.today");
}

TEST(MrzShapeTest, SeparatorsAndOneFinalNewline) {
  MrzOptions o;
  o.today = Date{2026, 11, 30};
  EXPECT_TRUE(ParseMrz(kTd3L1 + "\n" + kTd3L2 + "\n", o).ok());
  EXPECT_TRUE(ParseMrz(kTd1L1 + "|" + kTd1L2 + "\n" + kTd1L3, o).ok());
  EXPECT_HAS(UnusableText(kTd3L1 + "\n" + kTd3L2 + "\n\n"), "line 3 is empty");
  // Separators inside a line given as a vector element are just bad characters.
  EXPECT_HAS(Unusable({kTd3L1 + "|", kTd3L2}), "'|' is not an MRZ character");
}

}  // namespace
}  // namespace idreg
