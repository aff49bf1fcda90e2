// `idreg mrz parse`: exit codes 0/1/2, the JSON keys scripts rely on, the summary, and stdin.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/cli_run_support.h"

namespace idreg::cli {
namespace {

const std::string kTd3 =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const std::string kTd3BadComposite =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<11";
const std::string kTd1 =
    "I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

nlohmann::json Json(const CliRun& r) {
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

TEST(MrzCommandTest, ValidZoneAsJsonExitsZero) {
  CliRun r = RunIdreg({"mrz", "parse", kTd3, "--json"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  nlohmann::json j = Json(r);
  for (const char* key :
       {"format", "document_type", "issuing_state", "document_number", "nationality", "birth_date", "sex",
        "expiry_date", "surname", "given_names", "optional_data", "valid", "checks", "errors"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_FALSE(j.contains("optional_data_2"));  // TD1 only
  EXPECT_EQ(j["format"], "TD3");
  EXPECT_EQ(j["document_number"], "L898902C3");
  EXPECT_EQ(j["birth_date"], "1974-08-12");
  EXPECT_EQ(j["expiry_date"], "2012-04-15");
  EXPECT_EQ(j["given_names"], "ANNA MARIA");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["errors"], nlohmann::json::array());
  ASSERT_TRUE(j["checks"].is_object());
  EXPECT_EQ(j["checks"].size(), 5u);
  for (const char* check : {"document_number", "birth_date", "expiry_date", "optional_data", "composite"}) {
    EXPECT_EQ(j["checks"][check], true) << check;
  }
}

TEST(MrzCommandTest, Td1JsonHasTheSecondOptionalData) {
  CliRun r = RunIdreg({"mrz", "parse", "--json", kTd1});
  EXPECT_EQ(r.code, kExitOk);
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["format"], "TD1");
  EXPECT_TRUE(j.contains("optional_data_2"));
  EXPECT_EQ(j["checks"].size(), 4u);
}

TEST(MrzCommandTest, FailedCheckDigitExitsOne) {
  CliRun r = RunIdreg({"mrz", "parse", kTd3BadComposite, "--json"});
  EXPECT_EQ(r.code, kExitInvalid);
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["checks"]["composite"], false);
  EXPECT_EQ(j["checks"]["document_number"], true);
  ASSERT_EQ(j["errors"].size(), 1u);
  EXPECT_EQ(j["errors"][0], "line 2, column 44: composite check digit is '1', computed 0");
}

TEST(MrzCommandTest, UnusableInputExitsTwoWithJsonOnStdoutAndTheReasonOnStderr) {
  CliRun r = RunIdreg({"mrz", "parse", "P<UTOERIKSSON|L898902C3", "--json"});
  EXPECT_EQ(r.code, kExitUnusable);
  EXPECT_EQ(r.err.rfind("idreg: invalid argument: ", 0), 0u) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["valid"], false);
  ASSERT_EQ(j["errors"].size(), 1u);
  EXPECT_NE(r.err.find(j["errors"][0].get<std::string>()), std::string::npos);

  CliRun text = RunIdreg({"mrz", "parse", "p<utoeriksson|l898902c3"});
  EXPECT_EQ(text.code, kExitUnusable);
  EXPECT_EQ(text.out, "");
  EXPECT_NE(text.err.find("lower case"), std::string::npos) << text.err;
}

TEST(MrzCommandTest, SummaryIsAlignedAndEndsWithTheVerdict) {
  CliRun ok = RunIdreg({"mrz", "parse", kTd3});
  EXPECT_EQ(ok.code, kExitOk);
  EXPECT_NE(ok.out.find("format:          TD3\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("document_number: L898902C3\n"), std::string::npos);
  EXPECT_NE(ok.out.find("given_names:     ANNA MARIA\n"), std::string::npos);
  EXPECT_EQ(ok.out.substr(ok.out.size() - 6), "valid\n");

  CliRun bad = RunIdreg({"mrz", "parse", kTd3BadComposite});
  EXPECT_EQ(bad.code, kExitInvalid);
  EXPECT_NE(bad.out.find("invalid:\n  line 2, column 44: composite check digit"), std::string::npos)
      << bad.out;
}

TEST(MrzCommandTest, ReadsStdinOnePerLineOrJoined) {
  std::string l1 = kTd3.substr(0, 44), l2 = kTd3.substr(45);
  EXPECT_EQ(RunIdreg({"mrz", "parse", "--json"}, l1 + "\n" + l2 + "\n").code, kExitOk);
  EXPECT_EQ(RunIdreg({"mrz", "parse"}, l1 + "\r\n" + l2 + "\r\n").code, kExitOk);
  EXPECT_EQ(RunIdreg({"mrz", "parse"}, l1 + "\n" + l2).code, kExitOk);
  EXPECT_EQ(RunIdreg({"mrz", "parse"}, kTd3 + "\n").code, kExitOk);
  EXPECT_EQ(RunIdreg({"mrz", "parse"}, kTd1.substr(0, 30) + "\n" + kTd1.substr(31) + "\n").code, kExitOk);

  CliRun spaces = RunIdreg({"mrz", "parse"}, l1 + " \n" + l2 + "\n");
  EXPECT_EQ(spaces.code, kExitUnusable);
  EXPECT_NE(spaces.err.find("line 1, column 45: trailing space"), std::string::npos) << spaces.err;
  CliRun blank = RunIdreg({"mrz", "parse"}, l1 + "\n" + l2 + "\n\n");
  EXPECT_EQ(blank.code, kExitUnusable);
  EXPECT_NE(blank.err.find("line 3 is empty"), std::string::npos) << blank.err;
  CliRun empty = RunIdreg({"mrz", "parse", "--json"}, "");
  EXPECT_EQ(empty.code, kExitUnusable);
  EXPECT_EQ(Json(empty)["valid"], false);
}

TEST(MrzCommandTest, MrzWithoutASubcommandIsAUsageError) {
  EXPECT_EQ(RunIdreg({"mrz"}).code, kExitUnusable);
  EXPECT_EQ(RunIdreg({"mrz", "parse", kTd3, "extra"}).code, kExitUnusable);
}

}  // namespace
}  // namespace idreg::cli
