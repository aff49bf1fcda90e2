// EnrollWithDedup without the CLI: a real store in a temporary folder, the engine built from it,
// face samples given as ready descriptor records (so no network runs) and a fixed face
// calibration, so that each outcome is reached on purpose: new, match (same document), review
// (evidence in the band), possible_fraud (same face, other identity; and a reused document), a
// refused enrollment, and a restart that rebuilds the face gallery from the store.
#include "idreg/workflow/dedup.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "idreg/match/records.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

using idreg::testing::TempDir;

face::Descriptor RandomFace(std::mt19937& rng) {
  std::normal_distribution<float> n(0, 0.09f);
  face::Descriptor d;
  for (float& x : d) x = n(rng);
  return d;
}

// A descriptor at exactly `distance` from d.
face::Descriptor At(const face::Descriptor& d, float distance, std::mt19937& rng) {
  face::Descriptor dir = RandomFace(rng);
  double norm = 0;
  for (float x : dir) norm += double(x) * x;
  face::Descriptor out = d;
  for (size_t i = 0; i < d.size(); ++i) out[i] += static_cast<float>(distance * dir[i] / std::sqrt(norm));
  return out;
}

CapturedSample FaceSample(const face::Descriptor& d) {
  match::FaceTemplate t;
  t.descriptor = d;
  return {"face", "frontal", match::EncodeFaceTemplate(t), "test"};
}

Enrollment Person(const std::string& surname, const std::string& number) {
  Enrollment e;
  Provenance doc{Provenance::Kind::kDocument, "P", "UTO", number, "MRZ", ""};
  e.attributes = {{"surname", surname, doc}, {"given_names", "ANNA", doc}, {"birth_date", "1974-08-12", doc}};
  Document d;
  d.document_type = "P";
  d.format = "TD3";
  d.issuing_state = "UTO";
  d.number = number;
  d.mrz_valid = true;
  e.documents.push_back(d);
  e.encounter.kind = EncounterKind::kEnrollment;
  return e;
}

class DedupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = MasterKey::Generate();
    Open(true);
  }
  void Open(bool create = false) {
    engine_.reset();
    store_.reset();
    store_ = testing::OpenSqliteStore(dir_.path() / "idreg.db", key_, create);
    ASSERT_TRUE(store_);
    match::EngineOptions eo;
    // Similarity s = 1 - distance -> LLR = -10 + 20 s in [-10, 20]. One person searched:
    // match at LLR >= ln(1000) = 6.9 (distance <= 0.15), review at >= ln(10) = 2.3 (<= 0.38).
    match::Calibration c;
    c.modality = "face";
    c.transform = "identity";
    c.a = -10;
    c.b = 20;
    c.llr_min = -10;
    c.llr_max = 20;
    eo.calibrations["face"] = c;
    auto e = match::Engine::Build(*store_, actor_, eo);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }
  Result<DedupResult> Enroll(const Enrollment& e, const std::vector<CapturedSample>& samples) {
    return EnrollWithDedup(*store_, *engine_, e, PrepareSamples(samples), actor_);
  }

  TempDir dir_;
  std::shared_ptr<const MasterKey> key_;
  Actor actor_ = idreg::testing::TestActor("enrollment");
  std::unique_ptr<Store> store_;
  std::unique_ptr<match::Engine> engine_;
  std::mt19937 rng_{42};
};

TEST_F(DedupTest, NewMatchReviewPossibleFraudAndRestart) {
  const face::Descriptor anna = RandomFace(rng_);
  auto first = Enroll(Person("ERIKSSON", "L898902C3"), {FaceSample(anna)});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->outcome, DedupOutcome::kNew);
  EXPECT_TRUE(first->committed);
  const ProfileId anna_id = first->profile;
  EXPECT_EQ(engine_->persons(), 1u);

  // The same person, same passport, a slightly different photo: the encounter joins her profile.
  auto again = Enroll(Person("ERIKSSON", "L898902C3"), {FaceSample(At(anna, 0.05f, rng_))});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->outcome, DedupOutcome::kMatch);
  EXPECT_TRUE(again->committed);
  EXPECT_EQ(again->profile, anna_id);
  EXPECT_FALSE(again->encounter.empty());
  ASSERT_EQ(again->search.decision.candidates.size(), 1u);
  EXPECT_EQ(again->search.decision.candidates[0].parts.at(0).modality, "face");
  EXPECT_EQ(engine_->face_gallery().samples(), 2u);

  // Her face under another name and passport: possible fraud, nothing stored.
  auto fraud = Enroll(Person("DOE", "Z9999999"), {FaceSample(At(anna, 0.08f, rng_))});
  ASSERT_TRUE(fraud.ok()) << fraud.status().ToString();
  EXPECT_EQ(fraud->outcome, DedupOutcome::kPossibleFraud);
  EXPECT_FALSE(fraud->committed);
  EXPECT_TRUE(fraud->profile.empty());
  EXPECT_NE(fraud->reason.find(anna_id.ToString()), std::string::npos) << fraud->reason;
  EXPECT_EQ(engine_->persons(), 1u);

  // A face in the review band (distance 0.3: LLR 4): nothing stored, the candidate returned.
  auto review = Enroll(Person("ROE", "Y7654321"), {FaceSample(At(anna, 0.3f, rng_))});
  ASSERT_TRUE(review.ok()) << review.status().ToString();
  EXPECT_EQ(review->outcome, DedupOutcome::kReview);
  EXPECT_FALSE(review->committed);
  ASSERT_EQ(review->search.decision.candidates.size(), 1u);
  EXPECT_EQ(review->search.decision.candidates[0].profile, anna_id);
  EXPECT_NEAR(review->search.decision.candidates[0].llr, 4.0, 1e-3);

  // A stranger: new.
  auto bob = Enroll(Person("SMITH", "X1234567"), {FaceSample(RandomFace(rng_))});
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->outcome, DedupOutcome::kNew);
  EXPECT_EQ(engine_->persons(), 2u);

  // A new face with Anna's passport: document reuse.
  auto reuse = Enroll(Person("ERIKSSON", "L898902C3"), {FaceSample(RandomFace(rng_))});
  ASSERT_TRUE(reuse.ok());
  EXPECT_EQ(reuse->outcome, DedupOutcome::kPossibleFraud);
  EXPECT_FALSE(reuse->committed);
  EXPECT_NE(reuse->reason.find("document"), std::string::npos) << reuse->reason;

  // No usable sample: refused with the reason, nothing stored.
  match::FaceTemplate broken;
  Bytes bad = match::EncodeFaceTemplate(broken);
  bad.resize(100);
  auto refused = Enroll(Person("POE", "W1111111"), {{"face", "frontal", bad, "broken.ifd"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("broken.ifd"), std::string::npos) << refused.status().ToString();

  // Restart: the face gallery is rebuilt from the store (Anna's two faces, Bob's one).
  Open();
  EXPECT_EQ(engine_->persons(), 2u);
  EXPECT_EQ(engine_->face_gallery().samples(), 3u);
  match::ProbeSet probe;
  probe.faces.push_back({At(anna, 0.02f, rng_), "probe"});
  auto found = engine_->Identify(probe);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->decision.outcome, match::Outcome::kMatch);
  EXPECT_EQ(found->decision.candidates[0].profile, anna_id);
}

TEST_F(DedupTest, FaceProbeWithoutCalibrationIsRefused) {
  match::EngineOptions eo;  // no face calibration
  auto e = match::Engine::Build(*store_, actor_, eo);
  ASSERT_TRUE(e.ok());
  match::ProbeSet probe;
  probe.faces.push_back({RandomFace(rng_), "probe"});
  auto r = (*e)->Identify(probe);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("face calibration"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace idreg
