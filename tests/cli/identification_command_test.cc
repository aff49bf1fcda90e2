// `idreg enroll | identify | verify | watchlist | calibrate` on real data: FVC2002 DB1_B
// fingerprints and NIST 1036 genotypes from ../shared/data, the committed finger calibration.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/cli_run_support.h"
#include "idreg/dna/profile_io.h"
#include "registry/store_test_util.h"

namespace idreg::cli {
namespace {

namespace fs = std::filesystem;

const std::string kShared = std::string(IDREG_SHARED_DIR) + "/data/";
const std::string kCalibration = std::string(IDREG_SOURCE_DIR) + "/data/calibration";

class IdentificationCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& f : {Fvc(101, 1, "tif"), Fvc(101, 2), Fvc(102, 1), Fvc(102, 2), Fvc(101, 3)}) {
      if (!fs::exists(f)) GTEST_SKIP() << "missing " << f;
    }
    freqs_ = kShared + "dna/nist1036_allele_freqs_2017.csv";
    const std::string genotypes = kShared + "dna/nist1036_genotypes_2017.csv";
    if (!fs::exists(freqs_) || !fs::exists(genotypes)) GTEST_SKIP() << "missing " << genotypes;
    if (!fs::exists(kCalibration + "/finger.json")) GTEST_SKIP() << "missing " << kCalibration << "/finger.json";
    std::ifstream g(genotypes);
    std::string text((std::istreambuf_iterator<char>(g)), std::istreambuf_iterator<char>());
    auto people = dna::ParseNist1036Csv(text);
    ASSERT_TRUE(people.ok());
    dna_a_ = Write("a.json", dna::ProfileToJson((*people)[3]));
    dna_b_ = Write("b.json", dna::ProfileToJson((*people)[40]));
    url_ = "sqlite:" + (dir_.path() / "idreg.db").string();
    ASSERT_EQ(Cli({"init"}).code, kExitOk);
  }
  static std::string Fvc(int finger, int impression, const std::string& ext = "iso") {
    return kShared + "fingerprint/fvc2002/DB1_B/" + std::to_string(finger) + "_" + std::to_string(impression) + "." + ext;
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_.path() / name;
    std::ofstream(p) << text;
    return p.string();
  }
  CliRun Cli(std::vector<std::string> args) {
    std::vector<std::string> all{"--store", url_};
    all.insert(all.end(), args.begin(), args.end());
    if (args[0] == "enroll" || args[0] == "identify" || args[0] == "verify") {
      const std::vector<std::string> extra{"--calibration-dir", kCalibration, "--dna-frequencies", freqs_,
                                           "--dna-population", "Cauc", "--json"};
      all.insert(all.end(), extra.begin(), extra.end());
    }
    return RunIdreg(all);
  }

  idreg::testing::TempDir dir_;
  std::string url_, freqs_, dna_a_, dna_b_;
};

TEST_F(IdentificationCommandTest, EnrollDedupIdentifyVerifyAndWatchlists) {
  const std::string anna = Td3("ERIKSSON", "ANNA", "L898902C3", "740812");
  // A new person: a real image (extracted) and a DNA profile.
  CliRun a = Cli({"enroll", "--mrz", anna, "--finger", "right_index=" + Fvc(101, 1, "tif"), "--dna", dna_a_});
  ASSERT_EQ(a.code, kExitOk) << a.err << a.out;
  nlohmann::json ja = a.json();
  EXPECT_EQ(ja["outcome"], "new");
  const std::string id_a = ja["profile"];
  CliRun b = Cli({"enroll", "--mrz", Td3("SMITH", "JOHN", "X1234567", "800101"), "--finger",
                  "right_index=" + Fvc(102, 1), "--dna", dna_b_});
  ASSERT_EQ(b.code, kExitOk) << b.err;
  const std::string id_b = b.json()["profile"];
  EXPECT_NE(id_a, id_b);

  // The same person again with the same passport: the encounter joins her profile.
  CliRun again = Cli({"enroll", "--mrz", anna, "--finger", "right_index=" + Fvc(101, 2), "--dna", dna_a_});
  ASSERT_EQ(again.code, kExitOk) << again.err << again.out;
  nlohmann::json jm = again.json();
  EXPECT_EQ(jm["outcome"], "match");
  EXPECT_EQ(jm["profile"], id_a);
  ASSERT_EQ(jm["candidates"].size(), 1u);
  EXPECT_FALSE(jm["candidates"][0]["parts"].empty());
  EXPECT_TRUE(jm.contains("encounter"));

  // The same biometrics under another name and passport: possible fraud, nothing stored.
  CliRun fraud = Cli({"enroll", "--mrz", Td3("DOE", "JANE", "Z9999999", "790101"), "--finger",
                      "right_index=" + Fvc(101, 3), "--dna", dna_a_});
  EXPECT_EQ(fraud.code, kExitInvalid) << fraud.err;
  nlohmann::json jf = fraud.json();
  EXPECT_EQ(jf["outcome"], "possible_fraud");
  EXPECT_EQ(jf["committed"], false);
  EXPECT_EQ(jf["candidates"][0]["profile"], id_a);
  CliRun listing = RunIdreg({"--store", url_, "profile", "list", "--json"});
  ASSERT_EQ(listing.code, kExitOk) << listing.err;
  EXPECT_EQ(listing.json().size(), 2u) << "no third profile was created";

  // No usable sample: refused with the reason.
  const std::string junk = Write("junk.png", "not an image");
  CliRun refused = Cli({"enroll", "--mrz", Td3("ROE", "RICH", "Y7654321", "700101"), "--finger", "right_index=" + junk});
  EXPECT_EQ(refused.code, kExitInvalid);
  EXPECT_NE(refused.err.find("no usable biometric sample"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("junk.png"), std::string::npos) << refused.err;

  // Identify: DNA alone decides; one finger ranks its mate first.
  CliRun byDna = Cli({"identify", "--dna", dna_b_});
  ASSERT_EQ(byDna.code, kExitOk) << byDna.err;
  EXPECT_EQ(byDna.json()["decision"], "match");
  EXPECT_EQ(byDna.json()["decided"][0]["profile"], id_b);
  CliRun byFinger = Cli({"identify", "--finger", Fvc(102, 2)});
  ASSERT_EQ(byFinger.code, kExitOk) << byFinger.err;
  EXPECT_EQ(byFinger.json()["candidates"][0]["profile"], id_b);
  EXPECT_EQ(byFinger.json()["persons_searched"], 2);

  // Watchlists restrict the search.
  ASSERT_EQ(RunIdreg({"--store", url_, "watchlist", "add", "red", id_b, "--reason", "test"}).code, kExitOk);
  CliRun onList = Cli({"identify", "--watchlist", "red", "--finger", Fvc(101, 3)});
  ASSERT_EQ(onList.code, kExitOk) << onList.err;
  const auto listed = onList.json();  // a named copy: ranging over a member of the temporary would dangle
  for (const auto& c : listed["candidates"]) EXPECT_EQ(c["profile"], id_b);
  EXPECT_EQ(onList.json()["persons_searched"], 1);
  CliRun wl = RunIdreg({"--store", url_, "watchlist", "list", "red", "--json"});
  ASSERT_EQ(wl.code, kExitOk);
  ASSERT_EQ(wl.json().size(), 1u);
  EXPECT_EQ(wl.json()[0]["profile"], id_b);
  EXPECT_EQ(RunIdreg({"--store", url_, "watchlist", "remove", "red", id_a}).code, kExitUnusable);
  ASSERT_EQ(RunIdreg({"--store", url_, "watchlist", "remove", "red", id_b}).code, kExitOk);

  // Verify: her DNA is hers and not his.
  CliRun yes = Cli({"verify", id_a, "--dna", dna_a_});
  EXPECT_EQ(yes.code, kExitOk) << yes.err;
  EXPECT_EQ(yes.json()["verified"], true);
  CliRun no = Cli({"verify", id_b, "--dna", dna_a_});
  EXPECT_EQ(no.code, kExitInvalid);
  EXPECT_EQ(no.json()["verified"], false);
}

TEST_F(IdentificationCommandTest, CalibrateFitsScoreFilesAndRefusesBadOnes) {
  std::string csv = "probe,reference,score,genuine\n";
  for (int i = 0; i < 50; ++i) csv += "p,r," + std::to_string(0.03 + 0.002 * i) + ",1\n";
  for (int i = 0; i < 200; ++i) csv += "p,r," + std::to_string(0.001 * (i % 30)) + ",0\n";
  const std::string scores = Write("scores.csv", csv), out = (dir_.path() / "finger.json").string();
  CliRun r = RunIdreg({"calibrate", "--modality", "finger", "--scores", scores, "--out", out});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::ifstream f(out);
  std::string json((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("idreg-calibration-v1"), std::string::npos);
  const std::string bad = Write("bad.csv", "probe,reference,score,genuine\np,r,x,1\n");
  CliRun b = RunIdreg({"calibrate", "--modality", "finger", "--scores", bad});
  EXPECT_EQ(b.code, kExitUnusable);
  EXPECT_NE(b.err.find("line 2"), std::string::npos) << b.err;
}

}  // namespace
}  // namespace idreg::cli
