// `idreg face detect|embed|match|identify` and `idreg eval face` (--dataset and --lfw) on the
// shared face data, and the bad inputs of the face issue: each gives a message and an exit code.
// Skipped when the face models are not installed (scripts/install-face-models).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/cli_run_support.h"
#include "idreg/face/networks.h"
#include "registry/store_test_util.h"
#include "test_files.h"

namespace idreg::cli {
namespace {

namespace fs = std::filesystem;

const std::string kGolden = std::string(IDREG_SHARED_DIR) + "/data/face/faceapi-golden/";
const std::string kBbt = std::string(IDREG_SHARED_DIR) + "/data/face/bbt-crops/";

uint32_t Crc32(const std::vector<uint8_t>& bytes, size_t from) {
  uint32_t c = 0xffffffffu;
  for (size_t i = from; i < bytes.size(); ++i) {
    c ^= bytes[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
  }
  return ~c;
}

void PutBe32(std::vector<uint8_t>& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}

void Chunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& data) {
  PutBe32(png, static_cast<uint32_t>(data.size()));
  const size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  PutBe32(png, Crc32(png, start));
}

// A valid 8-bit gray PNG of w x h pixels of one value, declared as decl_w x decl_h in its header
// (to forge huge dimensions); pixel data stored uncompressed in one zlib stored block.
std::vector<uint8_t> GrayPng(uint32_t w, uint32_t h, uint8_t value, uint32_t decl_w = 0, uint32_t decl_h = 0) {
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr;
  PutBe32(ihdr, decl_w ? decl_w : w);
  PutBe32(ihdr, decl_h ? decl_h : h);
  ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});
  Chunk(png, "IHDR", ihdr);
  std::vector<uint8_t> raw;
  for (uint32_t y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    raw.insert(raw.end(), w, value);
  }
  uint32_t a = 1, b = 0;
  for (uint8_t v : raw) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  // zlib header, one stored block (final, LEN, ~LEN), the bytes, Adler-32. Sized up front: GCC 12
  // reports a false -Warray-bounds for an insert into a short initialised vector.
  std::vector<uint8_t> z(7 + raw.size());
  const uint8_t head[7] = {0x78, 0x01, 0x01, static_cast<uint8_t>(raw.size()), static_cast<uint8_t>(raw.size() >> 8),
                           static_cast<uint8_t>(~raw.size()), static_cast<uint8_t>(~raw.size() >> 8)};
  std::copy(head, head + 7, z.begin());
  std::copy(raw.begin(), raw.end(), z.begin() + 7);
  PutBe32(z, (b << 16) | a);
  Chunk(png, "IDAT", z);
  Chunk(png, "IEND", {});
  return png;
}

class FaceCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!face::FaceNetworks::LoadDefault().ok()) GTEST_SKIP() << "face models not installed (scripts/install-face-models)";
    if (!fs::exists(kGolden + "faces.jpg")) GTEST_SKIP() << "missing " << kGolden << "faces.jpg";
    if (!fs::exists(kBbt + "amy")) GTEST_SKIP() << "missing " << kBbt << "amy";
  }
  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    const fs::path p = dir_.path() / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return p.string();
  }
  // The i-th (0-based, sorted) crop of a bbt-crops identity.
  static std::string Crop(const std::string& who, size_t i) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(kBbt + who)) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files.at(i);
  }
  testing::TempDir dir_;
};

TEST_F(FaceCommandTest, DetectFindsTheSixFacesOfTheGroupPhoto) {
  CliRun r = RunIdreg({"face", "detect", kGolden + "faces.jpg", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto j = r.json();
  ASSERT_EQ(j["faces"].size(), 6u) << r.out;
  for (const auto& f : j["faces"]) {
    EXPECT_EQ(f["landmarks"].size(), 68u);
    EXPECT_GT(f["score"].get<double>(), 0.5);
    EXPECT_GT(f["box"]["width"].get<double>(), 10);
    EXPECT_TRUE(f["quality"].contains("acceptable"));
  }
  CliRun text = RunIdreg({"face", "detect", kGolden + "faces.jpg"});
  EXPECT_NE(text.out.find("6 face(s)"), std::string::npos) << text.out;
}

TEST_F(FaceCommandTest, EmbedMatchAndIdentifyOnRealFaces) {
  CliRun e = RunIdreg({"face", "embed", kGolden + "face1.png", "--no-detect", "--json"});  // a tight crop
  ASSERT_EQ(e.code, kExitOk) << e.err;
  const auto d = e.json()["descriptor"];
  ASSERT_EQ(d.size(), 128u);
  double norm = 0;
  for (const auto& v : d) norm += v.get<double>() * v.get<double>();
  EXPECT_GT(norm, 0.5);  // the network's descriptors have length about 1.4

  CliRun same = RunIdreg({"face", "match", Crop("amy", 0), Crop("amy", 1), "--no-detect", "--json"});
  ASSERT_EQ(same.code, kExitOk) << same.err;
  EXPECT_EQ(same.json()["match"], true) << same.out;
  CliRun diff = RunIdreg({"face", "match", Crop("amy", 0), Crop("sheldon", 0), "--no-detect", "--json"});
  ASSERT_EQ(diff.code, kExitOk) << diff.err;
  EXPECT_EQ(diff.json()["match"], false) << diff.out;
  EXPECT_GT(diff.json()["distance"].get<double>(), same.json()["distance"].get<double>());

  // The gallery: every crop but the probe; the best candidate is another crop of the same person.
  for (const char* who : {"amy", "howard", "penny", "sheldon"})
    for (size_t i = 0; i < 5; ++i)
      if (std::string(who) != "penny" || i != 2) Write(std::string("gallery/") + who + "/" + std::to_string(i) + ".png", test::ReadFileBytes(Crop(who, i)));
  CliRun id = RunIdreg({"face", "identify", Crop("penny", 2), "--gallery", (dir_.path() / "gallery").string(), "--no-detect",
                   "--top", "3", "--json"});
  ASSERT_EQ(id.code, kExitOk) << id.err;
  const auto j = id.json();
  EXPECT_EQ(j["gallery_size"], 19);
  ASSERT_EQ(j["candidates"].size(), 3u);
  EXPECT_NE(j["candidates"][0]["reference"].get<std::string>().find("/penny/"), std::string::npos) << id.out;
  EXPECT_EQ(j["candidates"][0]["match"], true);
}

TEST_F(FaceCommandTest, EvalOnBbtCropsFindsEveryoneAtRankOne) {
  CliRun r = RunIdreg({"eval", "face", "--dataset", kBbt, "--no-detect", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto j = r.json();
  EXPECT_EQ(j["identities"], 8);
  EXPECT_EQ(j["images"], 40);
  EXPECT_EQ(j["genuine"], 80);
  EXPECT_EQ(j["impostor"], 700);
  EXPECT_EQ(j["failures_to_enroll"], 0);
  EXPECT_DOUBLE_EQ(j["rank1"].get<double>(), 1.0);
  EXPECT_LT(j["eer"].get<double>(), 0.02);
}

TEST_F(FaceCommandTest, LfwProtocolOnAnLfwLayoutTree) {
  // An LFW-style tree (NAME/NAME_0001.jpg) from bbt-crops, and a 4-fold pairs file: per fold 3
  // same pairs and 3 different pairs.
  const std::vector<std::string> people = {"amy", "bernadette", "howard", "leonard", "penny", "raj", "sheldon", "stuart"};
  for (const std::string& p : people)
    for (size_t i = 0; i < 5; ++i) Write("lfw/" + p + "/" + p + "_000" + std::to_string(i + 1) + ".jpg", test::ReadFileBytes(Crop(p, i)));
  std::string pairs = "4\t3\n";
  for (int f = 0; f < 4; ++f) {
    for (int k = 0; k < 3; ++k) {
      const std::string& p = people[(f * 3 + k) % 8];
      pairs += p + "\t" + std::to_string(1 + k) + "\t" + std::to_string(2 + k + f % 2) + "\n";
    }
    for (int k = 0; k < 3; ++k)
      pairs += people[(f + k) % 8] + "\t" + std::to_string(1 + f) + "\t" + people[(f + k + 3) % 8] + "\t" + std::to_string(5 - k) + "\n";
  }
  const std::string pairs_path = Write("pairs.txt", std::vector<uint8_t>(pairs.begin(), pairs.end()));
  const std::string lfw = (dir_.path() / "lfw").string();
  CliRun r = RunIdreg({"eval", "face", "--lfw", lfw, "--pairs", pairs_path, "--no-detect", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto j = r.json();
  EXPECT_EQ(j["folds"], 4);
  EXPECT_EQ(j["pairs"], 24);
  EXPECT_EQ(j["failures_to_enroll"], 0);
  ASSERT_EQ(j["fold_results"].size(), 4u);
  EXPECT_DOUBLE_EQ(j["mean_accuracy"].get<double>(), 1.0) << r.out;  // bbt-crops separate at 0.57 / 0.62
  EXPECT_DOUBLE_EQ(j["standard_error"].get<double>(), 0.0);
  for (const auto& f : j["fold_results"]) {
    EXPECT_GT(f["threshold_distance"].get<double>(), 0.2);
    EXPECT_LT(f["threshold_distance"].get<double>(), 1.0);
  }
  CliRun text = RunIdreg({"eval", "face", "--lfw", lfw, "--pairs", pairs_path, "--no-detect"});
  EXPECT_NE(text.out.find("accuracy:            100.00%"), std::string::npos) << text.out;

  // A malformed pairs file is refused naming the line; a missing image is named.
  const std::string bad = Write("bad.txt", {'1', ' ', '1', '\n', 'a', 'm', 'y', ' ', '1', '\n', 'x', ' ', '1', ' ', 'y', ' ', '1', '\n'});
  CliRun b = RunIdreg({"eval", "face", "--lfw", lfw, "--pairs", bad});
  EXPECT_EQ(b.code, kExitUnusable);
  EXPECT_NE(b.err.find("line 2"), std::string::npos) << b.err;
  const std::string missing = Write("missing.txt", {'1', ' ', '1', '\n', 'a', 'm', 'y', ' ', '1', ' ', '9', '\n', 'a', 'm', 'y', ' ', '1', ' ', 'r', 'a', 'j', ' ', '1', '\n'});
  CliRun m = RunIdreg({"eval", "face", "--lfw", lfw, "--pairs", missing});
  EXPECT_EQ(m.code, kExitUnusable);
  EXPECT_NE(m.err.find("amy_0009.jpg"), std::string::npos) << m.err;
  EXPECT_EQ(RunIdreg({"eval", "face", "--lfw", lfw}).code, kExitUnusable);  // --pairs missing
}

TEST_F(FaceCommandTest, BadImagesGiveAMessageAndAnExitCode) {
  const auto jpeg = test::ReadFileBytes(kGolden + "faces.jpg");
  const auto png = test::ReadFileBytes(kGolden + "face1.png");
  ASSERT_GT(jpeg.size(), 1000u);
  ASSERT_GT(png.size(), 1000u);
  struct Case {
    std::string name;
    std::vector<uint8_t> bytes;
  };
  const std::vector<Case> cases = {
      {"text.jpg", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e', '\n'}},
      {"empty.png", {}},
      {"truncated.jpg", std::vector<uint8_t>(jpeg.begin(), jpeg.begin() + jpeg.size() / 3)},
      {"truncated.png", std::vector<uint8_t>(png.begin(), png.begin() + png.size() / 3)},
      {"header_only.png", std::vector<uint8_t>(png.begin(), png.begin() + 40)},
      {"huge.png", GrayPng(4, 4, 128, 20000, 20000)},
  };
  for (const Case& c : cases) {
    const std::string path = Write(c.name, c.bytes);
    for (const char* cmd : {"detect", "embed"}) {
      CliRun r = RunIdreg({"face", cmd, path});
      EXPECT_EQ(r.code, kExitUnusable) << c.name << " " << cmd << ": " << r.out;
      EXPECT_NE(r.err.find("idreg: "), std::string::npos) << c.name;
      EXPECT_NE(r.err.find(c.name), std::string::npos) << c.name << ": the message names the file: " << r.err;
    }
  }
  CliRun huge = RunIdreg({"face", "detect", Write("huge2.png", GrayPng(4, 4, 128, 20000, 20000))});
  EXPECT_NE(huge.err.find("20000"), std::string::npos) << huge.err;
  // Images that decode but hold no face: detect reports none (exit 0); enrolment refuses.
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::vector<uint8_t>>>{
           {"one_pixel.png", GrayPng(1, 1, 128)}, {"gray.png", GrayPng(200, 150, 90)}}) {
    const std::string path = Write(name, bytes);
    CliRun d = RunIdreg({"face", "detect", path, "--json"});
    ASSERT_EQ(d.code, kExitOk) << name << ": " << d.err;
    EXPECT_TRUE(d.json()["faces"].empty()) << name;
    CliRun e = RunIdreg({"face", "embed", path});
    EXPECT_EQ(e.code, kExitUnusable) << name;
    EXPECT_NE(e.err.find("no face found"), std::string::npos) << name << ": " << e.err;
    CliRun m = RunIdreg({"face", "match", path, kGolden + "face1.png"});
    EXPECT_EQ(m.code, kExitUnusable) << name;
  }
  EXPECT_EQ(RunIdreg({"face", "embed", (dir_.path() / "absent.png").string()}).code, kExitUnusable);
}

}  // namespace
}  // namespace idreg::cli
