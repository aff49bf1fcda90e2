// `idreg finger extract|match|identify` and `idreg eval finger` on the shared FVC2002 data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "cli/cli_run_support.h"

namespace idreg::cli {
namespace {

const std::string kData = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/";

#define SKIP_IF_MISSING(path) \
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path

TEST(FingerCommandTest, ExtractWritesIsoThatMatchesTheImage) {
  const std::string img = kData + "sourceafis/probe.png";
  SKIP_IF_MISSING(img);
  const std::string iso = (std::filesystem::temp_directory_path() / "idreg_finger_cli_test.iso").string();
  CliRun r = RunIdreg({"finger", "extract", img, "--out", iso, "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["minutiae"].size(), 10u);
  EXPECT_TRUE(j.contains("quality"));
  CliRun m = RunIdreg({"finger", "match", img, iso, "--json"});
  ASSERT_EQ(m.code, kExitOk) << m.err;
  EXPECT_EQ(nlohmann::json::parse(m.out)["match"], true);
  CliRun n = RunIdreg({"finger", "match", kData + "sourceafis/nonmatching.png", iso, "--json"});
  EXPECT_EQ(nlohmann::json::parse(n.out)["match"], false);
  std::filesystem::remove(iso);
}

TEST(FingerCommandTest, BadInputFailsWithExitTwo) {
  const std::string path = (std::filesystem::temp_directory_path() / "idreg_finger_cli_bad.tif").string();
  { std::ofstream(path) << "II*\0garbage"; }
  CliRun r = RunIdreg({"finger", "extract", path});
  EXPECT_EQ(r.code, kExitUnusable);
  EXPECT_NE(r.err.find("idreg: invalid argument"), std::string::npos) << r.err;
  std::filesystem::remove(path);
  EXPECT_EQ(RunIdreg({"finger", "extract", "/nonexistent.png"}).code, kExitUnusable);
}

TEST(FingerCommandTest, EvalFvcProtocolReportsTheFigures) {
  const std::string dir = kData + "fvc2002/DB4_B";
  SKIP_IF_MISSING(dir + "/101_1.tif");
  const std::string det = (std::filesystem::temp_directory_path() / "idreg_det_test.svg").string();
  const std::string scores = (std::filesystem::temp_directory_path() / "idreg_scores_test.csv").string();
  CliRun r = RunIdreg(
      {"eval", "finger", "--dataset", dir, "--protocol", "fvc", "--json", "--det", det, "--scores", scores});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["genuine"], 280);
  EXPECT_EQ(j["impostor"], 45);
  EXPECT_LT(j["eer"].get<double>(), 0.15);
  for (const char* key : {"fmr100", "fmr1000", "failures_to_extract", "extract_ms_median", "compare_per_s"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  std::ifstream csv(scores);
  std::string line;
  int rows = -1;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 325);
  EXPECT_TRUE(std::filesystem::file_size(det) > 1000);
  std::filesystem::remove(det);
  std::filesystem::remove(scores);
}

// Closed-set 1:N within a database (each image against the others): DB3's small prints are where the
// coarse stage is weakest. Three fingers (24 images) keep the test quick under ASan.
TEST(FingerCommandTest, EvalIdentifyReportsExhaustiveAndShortlistRankOne) {
  const std::string src = kData + "fvc2002/DB3_B";
  SKIP_IF_MISSING(src + "/101_1.tif");
  const auto dir = std::filesystem::temp_directory_path() / "idreg_finger_identify_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (int f = 101; f <= 103; ++f) {
    for (int i = 1; i <= 8; ++i) {
      const std::string name = std::to_string(f) + "_" + std::to_string(i) + ".tif";
      std::filesystem::copy_file(src + "/" + name, dir / name);
    }
  }
  CliRun r = RunIdreg({"eval", "finger", "--dataset", dir.string(), "--identify", "--shortlist", "10", "50", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto id = nlohmann::json::parse(r.out)["identification"];
  EXPECT_EQ(id["probes"], 24);
  EXPECT_GE(id["rank1_exhaustive"].get<double>(), 0.95);
  ASSERT_EQ(id["shortlists"].size(), 2u);
  EXPECT_EQ(id["shortlists"][1]["shortlist"], 12);  // 50% of the 23 others, rounded
  // A mate of every probe is among the coarse stage's best few, so half the gallery loses nothing.
  EXPECT_LE(id["coarse_first_mate_rank_max"].get<int>(), 5);
  EXPECT_EQ(id["shortlists"][1]["rank1"], id["rank1_exhaustive"]);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace idreg::cli
