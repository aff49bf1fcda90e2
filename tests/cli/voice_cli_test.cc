// `idreg voice enroll|match|identify` and `idreg eval voice` on real recordings of the Debian speech
// packages (asterisk prompts of three voice talents), and bad input (empty, not audio, truncated
// header, absurd rate and channel count) refused with a message and no crash. Needs the background
// model (scripts/train-voice-model, run by ./test) and the packages (scripts/install-deps); each test
// skips naming what is missing.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/cli_run_support.h"
#include "idreg/voice/speaker_model.h"
#include "registry/store_test_util.h"

namespace idreg::cli {
namespace {

namespace fs = std::filesystem;

const std::string kSounds = "/usr/share/asterisk/sounds/";
const std::string kAllison = kSounds + "en_US_f_Allison/", kJune = kSounds + "fr_CA_f_June/",
                  kCarlo = kSounds + "it_IT_m_Carlo/";
// About 10 s of speech each, different prompts for enrollment and probe.
const std::vector<std::string> kEnrollPrompts = {"vm-intro", "vm-instructions", "conf-getpin", "vm-options"};
const std::vector<std::string> kProbePrompts = {"vm-tocancelmsg", "agent-loginok", "conf-onlyperson", "vm-goodbye",
                                                "queue-thankyou", "vm-saveoper"};

std::vector<std::string> Files(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(dir + n + ".wav");
  return out;
}

class VoiceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(voice::DefaultModelPath()))
      GTEST_SKIP() << voice::DefaultModelPath() << " missing: run scripts/train-voice-model";
    for (const std::string& d : {kAllison, kJune, kCarlo})
      if (!fs::exists(d + "vm-intro.wav")) GTEST_SKIP() << d << "vm-intro.wav missing: run scripts/install-deps";
  }
  // Enrolls into DIR/name.vtpl and returns the path.
  std::string EnrollTo(const fs::path& dir, const std::string& name, const std::vector<std::string>& files) {
    const std::string out = (dir / (name + ".vtpl")).string();
    std::vector<std::string> args = {"voice", "enroll"};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"--out", out, "--json"});
    CliRun r = RunIdreg(args);
    EXPECT_EQ(r.code, kExitOk) << r.err;
    return out;
  }
  std::string WriteBytes(const std::string& name, const std::vector<uint8_t>& bytes) {
    const fs::path p = dir_.path() / name;
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return p.string();
  }
  testing::TempDir dir_;
};

// A 16-bit PCM WAV header for `rate` and `channels` followed by `frames` frames of a tone.
std::vector<uint8_t> Wav(uint32_t rate, uint16_t channels, uint32_t frames) {
  std::vector<uint8_t> b;
  auto text = [&](const char* s) {
    for (; *s; ++s) b.push_back(uint8_t(*s));
  };
  auto put = [&](uint32_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
  };
  const uint32_t data = frames * channels * 2;
  text("RIFF");
  put(36 + data, 4);
  text("WAVEfmt ");
  put(16, 4);
  put(1, 2);
  put(channels, 2);
  put(rate, 4);
  put(rate * channels * 2, 4);
  put(uint32_t(channels) * 2, 2);
  put(16, 2);
  text("data");
  put(data, 4);
  for (uint32_t i = 0; i < frames * channels; ++i) put(uint32_t(uint16_t(int16_t((i * 37) % 2000 - 1000))), 2);
  return b;
}

TEST_F(VoiceCliTest, EnrollWritesATemplateAndReportsItsSpeech) {
  const std::string out = (dir_.path() / "a.vtpl").string();
  std::vector<std::string> args = {"voice", "enroll"};
  for (const auto& f : Files(kAllison, kEnrollPrompts)) args.push_back(f);
  args.insert(args.end(), {"--out", out, "--json"});
  CliRun r = RunIdreg(args);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const nlohmann::json j = r.json();
  EXPECT_EQ(j["recordings"], 4);
  EXPECT_GT(j["speech_seconds"].get<double>(), 5.0);
  EXPECT_EQ(j["template"], out);
  EXPECT_GT(fs::file_size(out), 1000u);
}

TEST_F(VoiceCliTest, MatchCallsTheSameVoiceAMatchAndAnotherNot) {
  const std::string a1 = EnrollTo(dir_.path(), "a1", Files(kAllison, kEnrollPrompts));
  const std::string a2 = EnrollTo(dir_.path(), "a2", Files(kAllison, kProbePrompts));
  const std::string j2 = EnrollTo(dir_.path(), "j2", Files(kJune, kProbePrompts));
  CliRun same = RunIdreg({"voice", "match", a1, a2, "--json"});
  ASSERT_EQ(same.code, kExitOk) << same.err;
  CliRun other = RunIdreg({"voice", "match", a1, j2, "--json"});
  ASSERT_EQ(other.code, kExitOk) << other.err;
  const nlohmann::json s = same.json(), o = other.json();
  EXPECT_TRUE(s["match"].get<bool>()) << s.dump();
  EXPECT_FALSE(o["match"].get<bool>()) << o.dump();
  EXPECT_GT(s["score"].get<double>(), o["score"].get<double>() + 2.0);
  // A recording is enrolled on the fly when given instead of a template.
  CliRun raw = RunIdreg({"voice", "match", a1, kAllison + "vm-tocancelmsg.wav", "--json"});
  ASSERT_EQ(raw.code, kExitOk) << raw.err;
  EXPECT_GT(raw.json()["score"].get<double>(), o["score"].get<double>());
}

TEST_F(VoiceCliTest, IdentifyRanksTheEnrolledSpeakerFirst) {
  const fs::path gallery = dir_.path() / "gallery";
  fs::create_directories(gallery);
  EnrollTo(gallery, "allison", Files(kAllison, kEnrollPrompts));
  EnrollTo(gallery, "june", Files(kJune, kEnrollPrompts));
  EnrollTo(gallery, "carlo", Files(kCarlo, kEnrollPrompts));
  for (const auto& [dir, id] : {std::pair{kAllison, "allison"}, {kJune, "june"}, {kCarlo, "carlo"}}) {
    const std::string probe = EnrollTo(dir_.path(), std::string("probe-") + id, Files(dir, kProbePrompts));
    CliRun r = RunIdreg({"voice", "identify", probe, "--gallery", gallery.string(), "--json"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const nlohmann::json j = r.json();
    EXPECT_EQ(j["gallery"], 3);
    ASSERT_EQ(j["candidates"].size(), 3u);
    EXPECT_EQ(j["candidates"][0]["id"], id) << j.dump();
  }
  const fs::path nothing = dir_.path() / "empty";
  fs::create_directories(nothing);
  CliRun empty = RunIdreg({"voice", "identify", kAllison + "vm-intro.wav", "--gallery", nothing.string()});
  EXPECT_NE(empty.code, kExitOk);
  EXPECT_NE(empty.err.find("no *.vtpl"), std::string::npos) << empty.err;
}

TEST_F(VoiceCliTest, EvalReportsTheFiguresAndWritesEveryTrial) {
  // Three speakers, 4 s of enrollment and 2 s probes from a few dozen prompts each.
  const fs::path data = dir_.path() / "eval";
  for (const auto& [dir, id] : {std::pair{kAllison, "allison"}, {kJune, "june"}, {kCarlo, "carlo"}}) {
    fs::create_directories(data / id);
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".wav" || n >= 12) continue;
      fs::create_symlink(e.path(), data / id / e.path().filename());
      ++n;
    }
  }
  const std::string scores = (dir_.path() / "scores.csv").string();
  CliRun r = RunIdreg({"eval", "voice", "--dataset", data.string(), "--enroll-seconds", "4", "--segment-seconds", "2",
                       "--max-probes", "3", "--scores", scores, "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const nlohmann::json j = r.json();
  for (const char* key : {"speakers", "trials", "eer", "fnmr_at_fmr_1e-2", "rank1"}) EXPECT_TRUE(j.contains(key)) << key;
  ASSERT_EQ(j["speakers"], 3);
  const size_t trials = j["trials"].get<size_t>();
  EXPECT_EQ(trials, j["probes"].get<size_t>() * 3);
  EXPECT_GE(j["rank1"].get<double>(), 0.5);
  std::ifstream in(scores);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "probe,reference,score,genuine");
  size_t rows = 0;
  while (std::getline(in, line)) rows += !line.empty();
  EXPECT_EQ(rows, trials);
}

TEST_F(VoiceCliTest, EvalRefusesTheBackgroundModelsSpeakers) {
  auto model = voice::GmmUbmModel::Load(voice::DefaultModelPath());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_FALSE(model->training_speakers().empty());
  const fs::path data = dir_.path() / "overlap";
  for (const std::string& id : {model->training_speakers().front(), std::string("allison")}) {
    fs::create_directories(data / id);
    fs::create_symlink(kAllison + "vm-intro.wav", data / id / "vm-intro.wav");
  }
  CliRun r = RunIdreg({"eval", "voice", "--dataset", data.string(), "--json"});
  EXPECT_EQ(r.code, kExitUnusable);
  EXPECT_NE(r.err.find("shares speakers"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(model->training_speakers().front()), std::string::npos) << r.err;
}

TEST_F(VoiceCliTest, BadInputIsRefusedWithTheReason) {
  struct Case {
    std::string name;
    std::vector<uint8_t> bytes;
    std::string expect;  // in the error message
  };
  const std::string text = "this is not audio, just some text that is long enough to look like a file\n";
  std::vector<uint8_t> truncated = Wav(16000, 1, 16000);
  truncated.resize(30);  // inside the fmt chunk
  const std::vector<Case> cases = {
      {"empty.wav", {}, "empty"},
      {"text.wav", std::vector<uint8_t>(text.begin(), text.end()), "decod"},
      {"truncated.wav", truncated, "decod"},
      {"rate.wav", Wav(1000000, 1, 1000000), "rate"},
      {"slow.wav", Wav(100, 1, 1000), "rate"},
      {"channels.wav", Wav(16000, 16, 16000), "channels"},
  };
  for (const Case& c : cases) {
    const std::string path = WriteBytes(c.name, c.bytes);
    CliRun r = RunIdreg({"voice", "enroll", path, "--json"});
    EXPECT_NE(r.code, kExitOk) << c.name;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
    CliRun m = RunIdreg({"voice", "match", path, kAllison + "vm-intro.wav"});
    EXPECT_NE(m.code, kExitOk) << c.name;
    EXPECT_NE(m.err.find(c.expect), std::string::npos) << c.name << ": " << m.err;
  }
  // Decodable but unusable: a second of silence, and a damaged template.
  const std::string silent = WriteBytes("silent.wav", std::vector<uint8_t>(Wav(8000, 1, 0)));
  CliRun s = RunIdreg({"voice", "enroll", silent});
  EXPECT_NE(s.code, kExitOk);
  const std::string tpl = WriteBytes("bad.vtpl", {'I', 'D', 'R', 'G', 'V', 'T', 'P', 'L', 9, 0, 0, 0});
  CliRun t = RunIdreg({"voice", "match", tpl, kAllison + "vm-intro.wav"});
  EXPECT_NE(t.code, kExitOk);
  EXPECT_NE(t.err.find("version"), std::string::npos) << t.err;
  CliRun missing = RunIdreg({"voice", "enroll", (dir_.path() / "none.wav").string()});
  EXPECT_NE(missing.code, kExitOk);
  EXPECT_FALSE(missing.err.empty());
}

}  // namespace
}  // namespace idreg::cli
