// `idreg enroll | identify | verify` with faces on real data: bbt-crops (8 identities x 5 face
// crops, ../shared/data/face) with the installed face networks, FVC2002 DB1_B fingers, and the
// committed calibrations. A person enrolled with a face is found by another photo of the same
// identity; a second identity with the same face is possible_fraud.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/cli_run_support.h"
#include "idreg/face/networks.h"
#include "registry/store_test_util.h"

namespace idreg::cli {
namespace {

namespace fs = std::filesystem;

const std::string kSharedDir = std::string(IDREG_SHARED_DIR) + "/data/";
const std::string kCalibrationDir = std::string(IDREG_SOURCE_DIR) + "/data/calibration";

class IdentificationFaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::string f : {Face("amy", 1), Face("amy", 5), Face("sheldon", 2), Finger(101, 1), Finger(101, 3)}) {
      if (f.rfind("crop=", 0) == 0) f = f.substr(5);
      if (!fs::exists(f)) GTEST_SKIP() << "missing " << f;
    }
    const fs::path nets = face::DefaultFaceModelsDir() / "face_recognition_model.bin";
    if (!fs::exists(nets)) GTEST_SKIP() << "missing " << nets.string() << " (scripts/install-face-models)";
    for (const char* m : {"face", "finger"}) {
      if (!fs::exists(kCalibrationDir + "/" + m + ".json")) GTEST_SKIP() << "missing " << kCalibrationDir << "/" << m << ".json";
    }
    url_ = "sqlite:" + (dir_.path() / "idreg.db").string();
    // FPIR 0.05: one face alone can reach match (the committed face calibration, fitted on 700
    // impostor scores, gives at most LLR ln 701 = 6.55, below the default policy's thresholds).
    loose_ = (dir_.path() / "loose.json").string();
    std::ofstream(loose_) << R"({"format": "idreg-decision-policy-v1", "target_fpir": 0.05, "review_fpir": 0.5})";
    ASSERT_EQ(RunIdreg({"--store", url_, "init"}).code, kExitOk);
  }
  static std::string Face(const std::string& who, int i) {
    return "crop=" + kSharedDir + "face/bbt-crops/" + who + "/" + who + std::to_string(i) + ".png";
  }
  static std::string Finger(int finger, int impression) {
    return kSharedDir + "fingerprint/fvc2002/DB1_B/" + std::to_string(finger) + "_" + std::to_string(impression) + ".tif";
  }
  CliRun Cli(std::vector<std::string> args, bool loose = false) {
    std::vector<std::string> all{"--store", url_};
    all.insert(all.end(), args.begin(), args.end());
    const std::vector<std::string> extra{"--calibration-dir", kCalibrationDir, "--json"};
    all.insert(all.end(), extra.begin(), extra.end());
    if (loose) all.insert(all.end(), {"--policy", loose_});
    return RunIdreg(all);
  }

  idreg::testing::TempDir dir_;
  std::string url_, loose_;
};

TEST_F(IdentificationFaceTest, EnrollIdentifyVerifyAndFraudByFace) {
  const std::string anna = Td3("ERIKSSON", "ANNA", "L898902C3", "740812");
  CliRun a = Cli({"enroll", "--mrz", anna, "--face", Face("amy", 1), "--finger", "right_index=" + Finger(101, 1)});
  ASSERT_EQ(a.code, kExitOk) << a.err << a.out;
  ASSERT_EQ(a.json()["outcome"], "new") << a.out;
  const std::string id_a = a.json()["profile"];
  CliRun b = Cli({"enroll", "--mrz", Td3("SMITH", "JOHN", "X1234567", "800101"), "--face", Face("sheldon", 1)});
  ASSERT_EQ(b.code, kExitOk) << b.err << b.out;
  ASSERT_EQ(b.json()["outcome"], "new") << b.out;
  const std::string id_b = b.json()["profile"];

  // The face is stored as a template and the photo is kept beside it.
  CliRun shown = RunIdreg({"--store", url_, "profile", "show", id_b, "--purpose", "testing", "--json"});
  ASSERT_EQ(shown.code, kExitOk) << shown.err;
  EXPECT_NE(shown.out.find("idreg-face-descriptor-v1"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("image/png"), std::string::npos) << shown.out;

  // Another photo of the same person: found first. With the default policy one face is only
  // enough for review; at FPIR 0.05 it is a match.
  CliRun strict = Cli({"identify", "--face", Face("amy", 2)});
  ASSERT_EQ(strict.code, kExitOk) << strict.err;
  EXPECT_EQ(strict.json()["decision"], "review") << strict.out;
  EXPECT_EQ(strict.json()["candidates"][0]["profile"], id_a) << strict.out;
  CliRun found = Cli({"identify", "--face", Face("amy", 2)}, /*loose=*/true);
  ASSERT_EQ(found.code, kExitOk) << found.err;
  EXPECT_EQ(found.json()["decision"], "match") << found.out;
  EXPECT_EQ(found.json()["decided"][0]["profile"], id_a) << found.out;
  EXPECT_EQ(found.json()["decided"][0]["parts"][0]["modality"], "face");

  // Her face under another name: possible fraud, nothing stored. Face alone at FPIR 0.05, and
  // face + finger under the default policy.
  CliRun fraud = Cli({"enroll", "--mrz", Td3("DOE", "JANE", "Z9999999", "790101"), "--face", Face("amy", 3)}, true);
  EXPECT_EQ(fraud.code, kExitInvalid) << fraud.err;
  EXPECT_EQ(fraud.json()["outcome"], "possible_fraud") << fraud.out;
  EXPECT_EQ(fraud.json()["candidates"][0]["profile"], id_a);
  CliRun fraud2 = Cli({"enroll", "--mrz", Td3("ROE", "JANE", "Y7654321", "790101"), "--face", Face("amy", 4), "--finger",
                       "right_index=" + Finger(101, 3)});
  EXPECT_EQ(fraud2.code, kExitInvalid) << fraud2.err;
  EXPECT_EQ(fraud2.json()["outcome"], "possible_fraud") << fraud2.out;
  CliRun listing = RunIdreg({"--store", url_, "profile", "list", "--json"});
  ASSERT_EQ(listing.code, kExitOk) << listing.err;
  EXPECT_EQ(listing.json().size(), 2u) << "no third profile was created";

  // 1:1.
  CliRun yes = Cli({"verify", id_a, "--face", Face("amy", 5)}, true);
  EXPECT_EQ(yes.code, kExitOk) << yes.err << yes.out;
  EXPECT_EQ(yes.json()["verified"], true) << yes.out;
  CliRun no = Cli({"verify", id_a, "--face", Face("sheldon", 2)}, true);
  EXPECT_EQ(no.code, kExitInvalid) << no.err << no.out;
  EXPECT_EQ(no.json()["verified"], false) << no.out;

  // A face the quality checks refuse comes back with the reason.
  const std::string junk = (dir_.path() / "junk.png").string();
  std::ofstream(junk) << "not an image";
  CliRun refused = Cli({"identify", "--face", junk});
  EXPECT_NE(refused.code, kExitOk);
  EXPECT_NE(refused.err.find("junk.png"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace idreg::cli
