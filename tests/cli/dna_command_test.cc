// `idreg dna rmp|kinship|search|familial|show` and `idreg eval dna`: the JSON keys scripts rely
// on, exit codes, and search over a CSV and over the store (records added by `profile create`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/cli_run_support.h"
#include "registry/store_test_util.h"

namespace idreg::cli {
namespace {

namespace fs = std::filesystem;

class DnaCommandTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_.path() / name;
    std::ofstream(p) << text;
    return p.string();
  }
  void SetUp() override {
    freqs_ = Write("freqs.csv",
                   "population,locus,allele,count,n_alleles,frequency\n"
                   "P,TH01,6,20,200,0.1\nP,TH01,7,40,200,0.2\nP,TH01,8,60,200,0.3\nP,TH01,9,80,200,0.4\n"
                   "P,FGA,20,100,200,0.5\nP,FGA,21,100,200,0.5\n");
    db_ = Write("db.csv",
                "Sample,Pop,TH01,,FGA,\nS1,P,6,7,20,21\nS2,P,6,8,20,20\nS3,P,8,9,21,21\nS4,P,6,7,20,\n");
    probe_ = Write("probe.json", R"({"id": "probe", "loci": {"TH01": ["6", "7"], "FGA": ["20", "21"]}})");
  }
  testing::TempDir dir_;
  std::string freqs_, db_, probe_;
};

TEST_F(DnaCommandTest, RmpPrintsPerLocusAndCombinedFigures) {
  CliRun r = RunIdreg({"dna", "rmp", probe_, "--freqs", freqs_, "--population", "P", "--theta", "0", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  nlohmann::json j = r.json();
  ASSERT_EQ(j["loci"].size(), 2u);
  EXPECT_EQ(j["loci"][1]["locus"], "TH01");
  EXPECT_NEAR(j["loci"][1]["rmp"].get<double>(), 2 * 0.1 * 0.2, 1e-12);
  EXPECT_NEAR(j["combined_rmp"].get<double>(), 0.04 * 0.5, 1e-12);
  EXPECT_NEAR(j["one_in"].get<double>(), 50, 1e-9);
  CliRun text = RunIdreg({"dna", "rmp", probe_, "--freqs", freqs_, "--population", "P"});
  EXPECT_NE(text.out.find("(1 in 5"), std::string::npos) << text.out;  // theta 0.01 by default: ~1 in 46
}

TEST_F(DnaCommandTest, KinshipUsesThetaZeroUnlessGiven) {
  std::string child = Write("child.json", R"({"loci": {"TH01": ["6", "8"]}})");
  CliRun r = RunIdreg({"dna", "kinship", probe_, child, "--relation", "parent-child", "--freqs", freqs_, "--population",
                  "P", "--mutation-rate", "0", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  nlohmann::json j = r.json();
  EXPECT_EQ(j["theta"], 0.0);
  EXPECT_NEAR(j["lr"].get<double>(), 1 / (4 * 0.1), 1e-9);
  ASSERT_EQ(j["loci"].size(), 1u);
  CliRun bad = RunIdreg({"dna", "kinship", probe_, child, "--relation", "twin", "--freqs", freqs_, "--population", "P"});
  EXPECT_EQ(bad.code, kExitUnusable);
  EXPECT_NE(bad.err.find("unknown relation 'twin'"), std::string::npos);
}

TEST_F(DnaCommandTest, SearchAtEachStringencyOverACsv) {
  auto ids = [&](const std::string& stringency) {
    CliRun r = RunIdreg({"dna", "search", probe_, "--db", db_, "--stringency", stringency, "--min-loci", "1", "--json"});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    std::vector<std::string> v;
    nlohmann::json j = r.json();
    for (const auto& h : j["hits"]) v.push_back(h["id"]);
    return v;
  };
  EXPECT_EQ(ids("high"), (std::vector<std::string>{"S1"}));
  EXPECT_EQ(ids("moderate"), (std::vector<std::string>{"S1", "S4"}));  // S4 lacks an FGA allele
  EXPECT_EQ(ids("low").size(), 3u);                                     // S2 (6,8) shares only 6 at TH01
  CliRun bad = RunIdreg({"dna", "search", probe_, "--db", db_, "--stringency", "medium"});
  EXPECT_EQ(bad.code, kExitUnusable);
}

TEST_F(DnaCommandTest, SearchAndFamilialOverTheStore) {
  std::string url = "sqlite:" + (dir_.path() / "s.db").string();
  ASSERT_EQ(RunIdreg({"--store", url, "init"}).code, kExitOk);
  std::string same = Write("same.json", R"({"loci": {"TH01": ["6", "7"], "FGA": ["20", "21"]}})");
  std::string other = Write("other.json", R"({"loci": {"TH01": ["8", "9"], "FGA": ["21"]}})");
  CliRun a = RunIdreg({"--store", url, "profile", "create", "--declare", "surname=A", "--sample", "dna=" + same});
  ASSERT_EQ(a.code, kExitOk) << a.err;
  ASSERT_EQ(RunIdreg({"--store", url, "profile", "create", "--declare", "surname=B", "--sample", "dna=" + other}).code,
            kExitOk);
  std::string id = a.out.substr(0, a.out.find('\n'));
  CliRun r = RunIdreg({"dna", "search", probe_, "--db", url, "--stringency", "high", "--min-loci", "2", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  nlohmann::json j = r.json();
  EXPECT_EQ(j["database_size"], 2);
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["id"], id);
  CliRun f = RunIdreg({"dna", "familial", probe_, "--db", url, "--relation", "full-sibling", "--freqs", freqs_,
                  "--population", "P", "--json"});
  ASSERT_EQ(f.code, kExitOk) << f.err;
  EXPECT_EQ(f.json()["hits"][0]["id"], id);
}

TEST_F(DnaCommandTest, BadInputIsReportedNotCrashed) {
  std::string empty = Write("empty.json", R"({"loci": {}})");
  CliRun r = RunIdreg({"dna", "rmp", empty, "--freqs", freqs_, "--population", "P"});
  EXPECT_EQ(r.code, kExitUnusable);
  EXPECT_NE(r.err.find("empty profile"), std::string::npos) << r.err;
  std::string vwa = Write("vwa.json", R"({"loci": {"vWA": ["16"]}})");
  r = RunIdreg({"dna", "rmp", vwa, "--freqs", freqs_, "--population", "P"});
  EXPECT_NE(r.err.find("no locus in common"), std::string::npos) << r.err;
  r = RunIdreg({"dna", "rmp", probe_, "--freqs", freqs_, "--population", "Q"});
  EXPECT_NE(r.err.find("no population 'Q'"), std::string::npos) << r.err;
  r = RunIdreg({"dna", "show", db_});
  EXPECT_NE(r.err.find("holds 4 samples"), std::string::npos) << r.err;
  r = RunIdreg({"dna", "search", probe_, "--db", dir_.path().string() + "/none.csv"});
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
}

TEST(EvalDnaCommandTest, RunsOnASmallRealSubset) {
  std::string shared = std::string(IDREG_SHARED_DIR) + "/data/dna/";
  if (!fs::exists(shared + "nist1036_genotypes_2017.csv") || !fs::exists(shared + "nist1036_allele_freqs_2017.csv")) {
    GTEST_SKIP() << "missing " << shared << "nist1036_genotypes_2017.csv or nist1036_allele_freqs_2017.csv";
  }
  CliRun r = RunIdreg({"eval", "dna", "--genotypes", shared + "nist1036_genotypes_2017.csv", "--freqs",
                  shared + "nist1036_allele_freqs_2017.csv", "--limit", "120", "--families", "10", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  nlohmann::json j = r.json();
  EXPECT_EQ(j["people"], 120);
  EXPECT_GE(j["parent_rank1"].get<double>(), 0.8);
  EXPECT_EQ(j["moderate_false_hits"], 0);
  EXPECT_TRUE(j["log10_lr"].contains("sibling_unrelated"));
}

}  // namespace
}  // namespace idreg::cli
