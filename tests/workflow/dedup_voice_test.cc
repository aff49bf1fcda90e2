// Voice through the engine on real recordings (the Debian asterisk prompt packages that
// scripts/voice-eval-set also uses): PrepareSamples enrolls audio with the installed voice model,
// the voice gallery searches with s-norm, the committed voice calibration turns it into an LLR.
// Skips, naming what is missing, when the recordings or a loadable voice model are absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "idreg/match/records.h"
#include "idreg/workflow/dedup.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

namespace fs = std::filesystem;

const std::string kAllison = "/usr/share/asterisk/sounds/en_US_f_Allison/";
const std::string kCalibration = std::string(IDREG_SOURCE_DIR) + "/data/calibration/voice.json";

CapturedSample Voice(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {"voice", "speech", Bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()), path};
}

TEST(DedupVoiceTest, EnrolledSpeakerIsFoundByAnotherRecording) {
  const std::string enroll = kAllison + "agent-alreadyon.wav", probe = kAllison + "agent-incorrect.wav";
  for (const std::string& f : {enroll, probe, kCalibration}) {
    if (!fs::exists(f)) GTEST_SKIP() << "missing " << f;
  }
  if (!fs::exists(voice::DefaultModelPath()))
    GTEST_SKIP() << voice::DefaultModelPath() << " missing: run scripts/train-voice-model";
  // A model that is there but does not load is a failure, not a reason to skip.
  auto model = voice::GmmUbmModel::Load(voice::DefaultModelPath());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  SampleModels models;
  models.voice = std::make_shared<voice::GmmUbmModel>(std::move(*model));

  idreg::testing::TempDir dir;
  StoreOptions so;
  so.master_key = MasterKey::Generate();
  so.create_if_missing = true;
  auto store = Store::Open("sqlite:" + (dir.path() / "idreg.db").string(), so);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::ifstream cf(kCalibration);
  auto cal = match::ParseCalibrationJson(std::string((std::istreambuf_iterator<char>(cf)), std::istreambuf_iterator<char>()));
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  match::EngineOptions eo;
  eo.calibrations["voice"] = *cal;
  const Actor actor = idreg::testing::TestActor("enrollment");
  auto engine = match::Engine::Build(**store, actor, eo);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();

  PreparedSamples first = PrepareSamples({Voice(enroll)}, {}, models);
  ASSERT_TRUE(first.rejected.empty()) << DescribeIssues(first.rejected);
  ASSERT_EQ(first.records.size(), 1u);
  EXPECT_EQ(first.records[0].format, match::kVoiceFormat);
  Enrollment e;
  e.encounter.kind = EncounterKind::kEnrollment;
  auto r = EnrollWithDedup(**store, **engine, e, first, actor);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->outcome, DedupOutcome::kNew);
  EXPECT_EQ((*engine)->voice_gallery().samples(), 1u);

  PreparedSamples again = PrepareSamples({Voice(probe)}, {}, models);
  ASSERT_TRUE(again.rejected.empty()) << DescribeIssues(again.rejected);
  auto found = (*engine)->Identify(again.probes);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_FALSE(found->ranked.empty());
  EXPECT_EQ(found->ranked[0].profile, r->profile);
  EXPECT_GT(found->ranked[0].modality_llr.at("voice"), 0) << "the same speaker should count for, not against";

  // Too little audio is refused with the voice module's reason.
  CapturedSample tiny = Voice(enroll);
  tiny.data.resize(std::min<size_t>(tiny.data.size(), 2000));
  PreparedSamples refused = PrepareSamples({tiny}, {}, models);
  EXPECT_TRUE(refused.records.empty());
  ASSERT_EQ(refused.rejected.size(), 1u);
  EXPECT_FALSE(refused.rejected[0].reason.empty());
}

}  // namespace
}  // namespace idreg
