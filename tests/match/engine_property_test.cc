// The property of issue 6: after any interleaving of inserts, deletes and restarts (reopen the
// store, rebuild the engine from it), a search returns exactly what brute force over the store
// returns. Inserts and deletes reach the engine only after the store committed them, as the
// workflow does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "idreg/dna/match_statistics.h"
#include "idreg/finger/matcher.h"
#include "idreg/match/engine.h"
#include "idreg/match/records.h"
#include "match/match_test_support.h"
#include "registry/store_test_util.h"

namespace idreg::match {
namespace {

using idreg::testing::TempDir;


class EnginePropertyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int f = 101; f <= 106; ++f) {
      for (int i = 1; i <= 3; ++i) {
        auto t = testing::FvcTemplate("DB1_B", f, i);
        if (!t) GTEST_SKIP() << "missing " << testing::FvcPath("DB1_B", f, i);
        fingers_.push_back(*t);
      }
    }
    people_ = testing::NistProfiles();
    if (people_.size() < 100) GTEST_SKIP() << "missing " << testing::GenotypesPath();
    freqs_ = std::make_shared<dna::PopulationFrequencies>(
        dna::FrequencyTables::FromProfiles(people_, "all").populations().front());
    people_.resize(100);
    key_ = MasterKey::Generate();
    Reopen(true);
  }

  void Reopen(bool create = false) {
    engine_.reset();
    store_.reset();
    store_ = idreg::testing::OpenSqliteStore(dir_.path() / "idreg.db", key_, create);
    ASSERT_TRUE(store_);
    EngineOptions eo;
    Calibration c;
    c.modality = "finger";
    c.transform = "identity";
    c.b = 100;
    eo.calibrations["finger"] = c;
    eo.dna_frequencies = freqs_;
    eo.finger.threads = 2;
    auto e = Engine::Build(*store_, testing::AdminActor(), eo);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }

  BiometricRecord RandomFinger() {
    static const char* kPositions[] = {"right_index", "left_index", ""};
    auto r = FingerRecord(fingers_[rng_() % fingers_.size()], kPositions[rng_() % 3]);
    EXPECT_TRUE(r.ok());
    return *r;
  }
  // From a pool of 12 faces, so that one face is enrolled under several profiles too.
  BiometricRecord RandomFace() {
    std::mt19937 pick(static_cast<unsigned>(rng_() % 12));
    std::normal_distribution<float> n(0, 0.09f);
    FaceTemplate t;
    for (float& x : t.descriptor) x = n(pick);
    return FaceRecord(t, "frontal", 90);
  }
  // The kept photo beside a face template: stored, never searched.
  static BiometricRecord KeptImage() {
    BiometricRecord r;
    r.id = Id::Random();
    r.modality = "face";
    r.position = "frontal";
    r.format = "image/png";
    r.payload = {0x89, 'P', 'N', 'G'};
    return r;
  }
  dna::StrProfile RandomDna() {
    dna::StrProfile p = people_[rng_() % people_.size()];
    if (rng_() % 2) p.loci.resize(8 + rng_() % 10);  // a partial profile
    return p;
  }

  // Brute force over the store: each profile's best finger score for the probe.
  std::map<ProfileId, double> BruteFinger(const FingerProbeSample& probe) {
    const finger::FingerProbe prepared(probe.tmpl);
    std::map<ProfileId, double> best;
    Status s = store_->ForEachBiometric("finger", testing::AdminActor(), [&](const ProfileId& id, const BiometricRecord& r) {
      if (!probe.position.empty() && !r.position.empty() && r.position != probe.position) return true;
      auto t = FingerTemplateOf(r);
      EXPECT_TRUE(t.ok());
      const double score = prepared.Match(finger::SearchTemplate(*t));
      auto [it, fresh] = best.try_emplace(id, score);
      if (!fresh) it->second = std::max(it->second, score);
      return true;
    });
    EXPECT_TRUE(s.ok());
    return best;
  }
  std::map<ProfileId, double> BruteDna(const dna::StrProfile& probe) {
    std::map<ProfileId, double> best;
    const dna::SearchOptions o;
    Status s = store_->ForEachBiometric("dna", testing::AdminActor(), [&](const ProfileId& id, const BiometricRecord& r) {
      auto p = DnaProfileOf(r);
      EXPECT_TRUE(p.ok());
      const dna::Comparison c = dna::CompareProfiles(probe, *p, o.stringency);
      if (!c.agree || c.loci_compared < o.min_loci) return true;
      const double w = dna::MatchWeightLog10(probe, *p, *freqs_, o.theta);
      auto [it, fresh] = best.try_emplace(id, w);
      if (!fresh) it->second = std::max(it->second, w);
      return true;
    });
    EXPECT_TRUE(s.ok());
    return best;
  }

  std::map<ProfileId, double> BruteFace(const face::Descriptor& probe) {
    std::map<ProfileId, double> best;
    Status s = store_->ForEachBiometric("face", testing::AdminActor(), [&](const ProfileId& id, const BiometricRecord& r) {
      if (!IsFaceTemplateRecord(r)) return true;
      auto t = FaceTemplateOf(r);
      EXPECT_TRUE(t.ok());
      double d = 0;
      for (size_t i = 0; i < probe.size(); ++i) d += double(probe[i] - t->descriptor[i]) * (probe[i] - t->descriptor[i]);
      auto [it, fresh] = best.try_emplace(id, 1.0 - std::sqrt(d));
      if (!fresh) it->second = std::max(it->second, 1.0 - std::sqrt(d));
      return true;
    });
    EXPECT_TRUE(s.ok());
    return best;
  }

  void CheckAgainstBruteForce(int step) {
    SCOPED_TRACE("step " + std::to_string(step));
    static const char* kPositions[] = {"right_index", "left_index", ""};
    std::vector<FingerProbeSample> fp{{fingers_[rng_() % fingers_.size()], kPositions[rng_() % 3]}};
    auto brute = BruteFinger(fp[0]);
    auto all = engine_->finger_gallery().Search(fp, 1000, Selector::Everyone())[0];
    std::map<ProfileId, double> got;
    for (const Candidate& c : all) got[c.profile] = c.score;
    ASSERT_EQ(got.size(), brute.size());
    for (const auto& [id, score] : brute) {
      ASSERT_TRUE(got.count(id));
      EXPECT_FLOAT_EQ(got[id], score);
    }
    // The top 3 are the three best brute-force scores.
    std::vector<double> scores;
    for (const auto& [id, s] : brute) scores.push_back(s);
    std::sort(scores.rbegin(), scores.rend());
    auto top = engine_->finger_gallery().Search(fp, 3, Selector::Everyone())[0];
    ASSERT_EQ(top.size(), std::min<size_t>(3, scores.size()));
    for (size_t i = 0; i < top.size(); ++i) EXPECT_FLOAT_EQ(top[i].score, scores[i]);

    std::vector<dna::StrProfile> dp{RandomDna()};
    auto dbrute = BruteDna(dp[0]);
    auto dgot = engine_->dna_gallery()->Search(dp, 1000, Selector::Everyone())[0];
    ASSERT_EQ(dgot.size(), dbrute.size());
    for (const Candidate& c : dgot) {
      ASSERT_TRUE(dbrute.count(c.profile));
      EXPECT_DOUBLE_EQ(c.score, dbrute[c.profile]);
    }

    auto face_record = FaceTemplateOf(RandomFace());
    ASSERT_TRUE(face_record.ok());
    const std::vector<FaceProbeSample> vp{{face_record->descriptor, "probe"}};
    auto vbrute = BruteFace(vp[0].descriptor);
    auto vgot = engine_->face_gallery().Search(vp, 1000, Selector::Everyone())[0];
    ASSERT_EQ(vgot.size(), vbrute.size());
    for (const Candidate& c : vgot) {
      ASSERT_TRUE(vbrute.count(c.profile));
      EXPECT_NEAR(c.score, vbrute[c.profile], 1e-5);
    }
    std::vector<double> vscores;
    for (const auto& [id, v] : vbrute) vscores.push_back(v);
    std::sort(vscores.rbegin(), vscores.rend());
    auto vtop = engine_->face_gallery().Search(vp, 3, Selector::Everyone())[0];
    ASSERT_EQ(vtop.size(), std::min<size_t>(3, vscores.size()));
    for (size_t i = 0; i < vtop.size(); ++i) EXPECT_NEAR(vtop[i].score, vscores[i], 1e-5);
  }

  TempDir dir_;
  std::shared_ptr<const MasterKey> key_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
  std::vector<finger::FingerTemplate> fingers_;
  std::vector<dna::StrProfile> people_;
  std::shared_ptr<dna::PopulationFrequencies> freqs_;
  std::mt19937 rng_{2026};
};

TEST_F(EnginePropertyTest, RandomInsertsDeletesAndRestartsMatchBruteForce) {
  std::vector<ProfileId> alive;
  int restarts = 0, erasures = 0;
  for (int step = 0; step < 36; ++step) {
    const unsigned op = alive.empty() ? 0 : rng_() % 10;
    if (op <= 4) {
      Enrollment e;
      e.encounter.kind = EncounterKind::kEnrollment;
      e.biometrics.push_back(RandomFinger());
      // The same person's DNA may be enrolled more than once under different profiles: the
      // gallery must keep them apart.
      if (rng_() % 2) e.biometrics.push_back(DnaRecord(RandomDna()));
      if (rng_() % 2) {
        e.biometrics.push_back(RandomFace());
        if (rng_() % 2) e.biometrics.push_back(KeptImage());
      }
      auto id = store_->Enroll(e, testing::AdminActor());
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      ASSERT_TRUE(engine_->Add(*id, e.biometrics).ok());  // after the commit
      alive.push_back(*id);
    } else if (op <= 6) {
      const ProfileId id = alive[rng_() % alive.size()];
      const unsigned kind = rng_() % 4;
      BiometricRecord r = kind == 0 ? DnaRecord(RandomDna()) : kind == 1 ? RandomFace() : RandomFinger();
      ASSERT_TRUE(store_->AddBiometric(id, r, testing::AdminActor()).ok());
      ASSERT_TRUE(engine_->Add(id, {r}).ok());
    } else if (op <= 8) {
      const size_t i = rng_() % alive.size();
      ASSERT_TRUE(store_->EraseProfile(alive[i], "test", testing::AdminActor()).ok());
      ASSERT_TRUE(engine_->Remove(alive[i]).ok());
      EXPECT_EQ(engine_->Remove(alive[i]).code(), StatusCode::kNotFound);
      alive.erase(alive.begin() + static_cast<std::ptrdiff_t>(i));
      ++erasures;
    } else {
      Reopen();
      ++restarts;
    }
    EXPECT_EQ(engine_->persons(), alive.size());
    CheckAgainstBruteForce(step);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(restarts, 0);
  EXPECT_GT(erasures, 0);
}

}  // namespace
}  // namespace idreg::match
