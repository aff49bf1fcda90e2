// Every specimen zone of ICAO Doc 9303 (shared test data), parsed and compared field by field.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "idreg/document/mrz.h"

namespace idreg {
namespace {

constexpr char kSpecimens[] = IDREG_SHARED_DIR "/data/mrz/icao-specimens.tsv";

std::vector<std::string> SplitTabs(const std::string& row) {
  std::vector<std::string> cells;
  std::stringstream ss(row);
  std::string cell;
  while (std::getline(ss, cell, '\t')) cells.push_back(cell);
  if (!row.empty() && row.back() == '\t') cells.emplace_back();
  return cells;
}

// The expected expansion for today = 2026-11-30, written independently of the parser for the
// specimens' years (none of which sits on a boundary): birth dates before 2027 are this century,
// expiry dates up to 2046.
std::string Expand(const std::string& yymmdd, int last_of_this_century) {
  int yy = std::stoi(yymmdd.substr(0, 2));
  int year = (yy <= last_of_this_century ? 2000 : 1900) + yy;
  return std::to_string(year) + "-" + yymmdd.substr(2, 2) + "-" + yymmdd.substr(4, 2);
}

TEST(MrzSpecimenTest, EveryRowOfTheIcaoSpecimens) {
  std::ifstream in(kSpecimens);
  if (!in) GTEST_SKIP() << kSpecimens << " absent: the shared test data is not on this machine";
  MrzOptions options;
  options.today = Date{2026, 11, 30};
  std::string row;
  int rows = 0;
  while (std::getline(in, row)) {
    if (!row.empty() && row.back() == '\r') row.pop_back();
    if (row.empty() || row[0] == '#' || row.rfind("format\t", 0) == 0) continue;
    std::vector<std::string> c = SplitTabs(row);
    ASSERT_GE(c.size(), 11u) << row;
    c.resize(12);
    SCOPED_TRACE(c[0] + " " + c[1]);
    ++rows;
    Result<Mrz> r = ParseMrz(c[1], options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const Mrz& m = *r;
    EXPECT_EQ(MrzFormatName(m.format), c[0]);
    EXPECT_EQ(m.valid(), c[2] == "yes");
    EXPECT_EQ(m.document_number, c[3]);
    EXPECT_EQ(m.issuing_state, c[4]);
    EXPECT_EQ(m.nationality, c[5]);
    EXPECT_EQ(m.birth_date, Expand(c[6], 26));
    EXPECT_EQ(m.sex, c[7]);
    EXPECT_EQ(m.expiry_date, Expand(c[8], 46));
    EXPECT_EQ(m.surname, c[9]);
    EXPECT_EQ(m.given_names, c[10]);
    EXPECT_EQ(m.optional_data, c[11]);
    if (c[2] == "yes") {
      EXPECT_TRUE(m.errors.empty()) << m.errors[0];
      for (const MrzCheck& check : m.checks) EXPECT_TRUE(check.valid) << check.name;
    }
  }
  EXPECT_GE(rows, 5);
}

// The same zones typed in, so that this suite says something even without the shared data.
TEST(MrzSpecimenTest, TypedSpecimensAndTheirDates) {
  MrzOptions options;
  options.today = Date{2026, 11, 30};
  auto td3 = ParseMrz(
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|"
      "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
      options);
  ASSERT_TRUE(td3.ok());
  EXPECT_TRUE(td3->valid());
  EXPECT_EQ(td3->format, MrzFormat::kTD3);
  EXPECT_EQ(td3->document_type, "P");
  EXPECT_EQ(td3->birth_date, "1974-08-12");
  EXPECT_EQ(td3->expiry_date, "2012-04-15");
  EXPECT_EQ(td3->optional_data, "ZE184226B");
  ASSERT_EQ(td3->checks.size(), 5u);
  EXPECT_EQ(td3->checks[0].name, "document_number");
  EXPECT_EQ(td3->checks[0].line, 2);
  EXPECT_EQ(td3->checks[0].column, 10);
  EXPECT_EQ(td3->checks[3].name, "optional_data");
  EXPECT_EQ(td3->checks[3].column, 43);
  EXPECT_EQ(td3->checks[4].name, "composite");
  EXPECT_EQ(td3->checks[4].column, 44);

  auto td1 = ParseMrz(
      "I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|"
      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
      options);
  ASSERT_TRUE(td1.ok());
  EXPECT_TRUE(td1->valid());
  EXPECT_EQ(td1->format, MrzFormat::kTD1);
  EXPECT_EQ(td1->document_number, "D23145890");
  EXPECT_EQ(td1->optional_data, "");
  EXPECT_EQ(td1->optional_data_2, "");
  EXPECT_EQ(td1->checks.back().line, 2);
  EXPECT_EQ(td1->checks.back().column, 30);

  auto td2 =
      ParseMrz("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6\n", options);
  ASSERT_TRUE(td2.ok()) << td2.status().ToString();
  EXPECT_TRUE(td2->valid());
  EXPECT_EQ(td2->format, MrzFormat::kTD2);
  EXPECT_EQ(td2->lines.size(), 2u);

  auto mrva = ParseMrzLines(
      {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
      options);
  ASSERT_TRUE(mrva.ok());
  EXPECT_TRUE(mrva->valid());
  EXPECT_EQ(mrva->format, MrzFormat::kMRVA);
  EXPECT_EQ(mrva->birth_date, "1940-09-07");
  EXPECT_EQ(mrva->expiry_date, "1996-12-10");
  EXPECT_EQ(mrva->optional_data, "6ZE184226B");
  EXPECT_EQ(mrva->checks.size(), 3u);  // no composite on visas

  auto mrvb = ParseMrz("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|L8988901C4XXX4009078F9612109<<<<<<<<", options);
  ASSERT_TRUE(mrvb.ok());
  EXPECT_TRUE(mrvb->valid());
  EXPECT_EQ(mrvb->format, MrzFormat::kMRVB);
  EXPECT_EQ(mrvb->nationality, "XXX");
  EXPECT_EQ(mrvb->checks.size(), 3u);
}

TEST(MrzSpecimenTest, FormatNames) {
  EXPECT_EQ(MrzFormatName(MrzFormat::kTD1), "TD1");
  EXPECT_EQ(MrzFormatName(MrzFormat::kTD2), "TD2");
  EXPECT_EQ(MrzFormatName(MrzFormat::kTD3), "TD3");
  EXPECT_EQ(MrzFormatName(MrzFormat::kMRVA), "MRV-A");
  EXPECT_EQ(MrzFormatName(MrzFormat::kMRVB), "MRV-B");
}

}  // namespace
}  // namespace idreg
