// The review queue: cases persist sealed, decisions commit with their effect and only then reach
// the engine, a decided case cannot be decided again, and its waiting copy is destroyed.
#include "idreg/workflow/review.h"

#include <gtest/gtest.h>

#include "idreg/finger/synthetic.h"
#include "idreg/match/records.h"
#include "registry/enrollment_codec.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

class ReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.master_key = MasterKey::Generate();
    o.create_if_missing = true;
    auto s = Store::Open("sqlite:" + (dir_.path() / "idreg.db").string(), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto e = match::Engine::Build(*store_, actor_, {});
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }
  // A dedup result as EnrollWithDedup returns it for a biometric hit on `candidate`.
  DedupResult Fraud(const ProfileId& candidate) {
    DedupResult r;
    r.outcome = DedupOutcome::kPossibleFraud;
    r.reason = "the biometrics match profile " + candidate.ToString();
    match::FusedCandidate c;
    c.profile = candidate;
    c.llr = 12.5;
    c.modality_llr["finger"] = 12.5;
    r.search.decision.candidates.push_back(c);
    return r;
  }
  PreparedSamples Samples(uint64_t finger) {
    PreparedSamples p;
    auto rec = match::FingerRecord(fingers_.Impression(finger, 0), "right_index");
    EXPECT_TRUE(rec.ok());
    rec->id = Id::Random();
    p.records.push_back(*rec);
    return p;
  }
  Enrollment Pending(const std::string& surname) {
    Enrollment e = idreg::testing::SampleEnrollment(surname, ToBytes("unused"));
    e.biometrics.clear();
    e.documents[0].number = "Z" + surname.substr(0, 7);
    return e;
  }

  idreg::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<match::Engine> engine_;
  finger::SyntheticFingers fingers_{7};
  Actor actor_{"adjudicator-1", "adjudicator", "adjudication"};
};

TEST(EnrollmentCodecTest, RoundTripsAndRejectsDamage) {
  Enrollment e = idreg::testing::SampleEnrollment("ERIKSSON", ToBytes("payload bytes"));
  e.biometrics[0].id = Id::Random();
  Bytes coded = EncodeEnrollment(e);
  auto back = DecodeEnrollment(coded);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeEnrollment(*back), coded);
  EXPECT_EQ(back->attributes.size(), e.attributes.size());
  EXPECT_EQ(back->attributes[4].provenance.kind, Provenance::Kind::kDeclaration);
  EXPECT_EQ(back->documents[0].number, "L898902C3");
  EXPECT_EQ(back->biometrics[1].payload, e.biometrics[1].payload);
  EXPECT_EQ(back->biometrics[0].id, e.biometrics[0].id);
  EXPECT_DOUBLE_EQ(back->biometrics[0].quality, 87.5);
  for (size_t cut : {size_t{0}, size_t{5}, size_t{20}, coded.size() - 1}) {
    Bytes truncated(coded.begin(), coded.begin() + static_cast<std::ptrdiff_t>(cut));
    auto r = DecodeEnrollment(truncated);
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << cut;
  }
  Bytes trailing = coded;
  trailing.push_back(0);
  EXPECT_NE(DecodeEnrollment(trailing).status().message().find("trailing"), std::string::npos);
  Bytes huge = coded;
  huge[7] = 0xff;  // the attribute count
  EXPECT_EQ(DecodeEnrollment(huge).status().code(), StatusCode::kCorruption);
}

TEST_F(ReviewTest, CasesWaitSealedAndDecisionsCommitBeforeTheEngineChanges) {
  // A person already enrolled, and an attempt that hits them.
  Enrollment existing = Pending("HOLDER");
  existing.biometrics = Samples(1).records;
  auto holder = store_->Enroll(existing, actor_);
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE(engine_->Add(*holder, existing.biometrics).ok());

  auto case_id = OpenReviewCase(*store_, Fraud(*holder), Pending("IMPOSTORA"), Samples(2), actor_);
  ASSERT_TRUE(case_id.ok()) << case_id.status().ToString();
  EXPECT_FALSE(idreg::testing::AnyFileContains(dir_.path(), "IMPOSTORA")) << "the pending enrollment is sealed";
  auto pending = store_->ListReviewCases("pending", actor_);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  const ReviewCase& c = pending->front();
  EXPECT_EQ(c.kind, "possible_fraud");
  EXPECT_EQ(c.candidate_ids, std::vector<ProfileId>{*holder});
  EXPECT_NE(c.candidates.find("12.5"), std::string::npos);
  EXPECT_EQ(c.pending.attributes[0].value, "IMPOSTORA");
  ASSERT_EQ(c.pending.biometrics.size(), 1u);

  // Refusals: no reason, a profile that is not a candidate, an unknown case.
  EXPECT_EQ(DecideReview(*store_, *engine_, *case_id, {ReviewResolution::kEnrollNew, {}, ""}, actor_).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecideReview(*store_, *engine_, *case_id, {ReviewResolution::kLink, Id::Random(), "x"}, actor_).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecideReview(*store_, *engine_, Id::Random(), {ReviewResolution::kReject, {}, "x"}, actor_).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(engine_->persons(), 1u);

  auto decided = DecideReview(*store_, *engine_, *case_id, {ReviewResolution::kEnrollNew, {}, "different people"}, actor_);
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->state, "enrolled");
  EXPECT_EQ(engine_->persons(), 2u);
  auto created = store_->GetProfile(decided->result_profile, actor_);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->Attr("surname"), "IMPOSTORA");
  ASSERT_EQ(created->biometrics.size(), 1u);
  EXPECT_EQ(created->biometrics[0].id, c.pending.biometrics[0].id);
  EXPECT_EQ(DecideReview(*store_, *engine_, *case_id, {ReviewResolution::kReject, {}, "again"}, actor_).status().code(),
            StatusCode::kAlreadyExists);
  auto done = store_->GetReviewCase(*case_id, actor_);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->pending.biometrics.empty()) << "a decided case keeps no copy of the enrollment";
  EXPECT_EQ(done->decision_reason, "different people");

  // Link and reject.
  auto second = OpenReviewCase(*store_, Fraud(*holder), Pending("IMPOSTORB"), Samples(3), actor_);
  ASSERT_TRUE(second.ok());
  auto linked = DecideReview(*store_, *engine_, *second, {ReviewResolution::kLink, *holder, "same person"}, actor_);
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(store_->GetProfile(*holder, actor_)->encounters.size(), 2u);
  EXPECT_EQ(engine_->finger_gallery().samples(), 3u);
  auto third = OpenReviewCase(*store_, Fraud(*holder), Pending("IMPOSTORC"), Samples(4), actor_);
  ASSERT_TRUE(third.ok());
  ASSERT_TRUE(DecideReview(*store_, *engine_, *third, {ReviewResolution::kReject, {}, "impostor"}, actor_).ok());
  EXPECT_EQ(store_->ListProfiles(actor_)->size(), 2u);
  EXPECT_EQ(engine_->finger_gallery().samples(), 3u);
  EXPECT_EQ(store_->ListReviewCases("", actor_)->size(), 3u);
  EXPECT_EQ(store_->ListReviewCases("rejected", actor_)->size(), 1u);
  EXPECT_EQ(store_->ListReviewCases("bogus", actor_).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_->VerifyAudit()->ok);

  DedupResult fresh;
  fresh.outcome = DedupOutcome::kNew;
  EXPECT_EQ(OpenReviewCase(*store_, fresh, Pending("X"), Samples(5), actor_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ReviewTest, ReusedDocumentNamesItsHolderAsTheCandidate) {
  Enrollment existing = Pending("HOLDER");
  auto holder = store_->Enroll(existing, actor_);
  ASSERT_TRUE(holder.ok());
  DedupResult r;
  r.outcome = DedupOutcome::kPossibleFraud;
  r.reason = "document reused";
  Enrollment attempt = Pending("OTHER");
  attempt.documents[0] = existing.documents[0];
  auto id = OpenReviewCase(*store_, r, attempt, Samples(9), actor_);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto c = store_->GetReviewCase(*id, actor_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->candidate_ids, std::vector<ProfileId>{*holder});
  EXPECT_NE(c->candidates.find("\"matched_by\":\"document\""), std::string::npos) << c->candidates;
}

}  // namespace
}  // namespace idreg
