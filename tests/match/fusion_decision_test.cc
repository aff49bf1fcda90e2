// Fusion sums calibrated LLRs with their parts, caps a modality, ignores missing modalities; the
// decision policy derives thresholds from the target FPIR and gallery size.
#include <gtest/gtest.h>

#include <cmath>

#include "idreg/match/decision.h"
#include "idreg/match/fusion.h"

namespace idreg::match {
namespace {

Calibration Linear(std::string m, double llr_max) {
  Calibration c;
  c.modality = std::move(m);
  c.transform = "identity";
  c.a = 0;
  c.b = 1;  // LLR = raw
  c.llr_min = -llr_max;
  c.llr_max = llr_max;
  return c;
}

TEST(FusionTest, SumsModalitiesKeepsPartsAndToleratesMissingOnes) {
  const ProfileId a = ProfileId::Random(), b = ProfileId::Random();
  const Id sa1 = Id::Random(), sa2 = Id::Random(), sb = Id::Random();
  std::vector<ModalityScores> scores{
      {"finger", {"right_index", "left_index"}, {{{a, sa1, "right_index", 3}, {b, sb, "right_index", 1}}, {{a, sa2, "left_index", 2}}}},
      {"dna", {"profile"}, {{{a, Id::Random(), "profile", 5}}}}};
  std::map<std::string, Calibration> cals{{"finger", Linear("finger", 10)}, {"dna", Log10LrCalibration("dna")}};
  auto fused = Fuse(scores, cals);
  ASSERT_TRUE(fused.ok()) << fused.status().ToString();
  ASSERT_EQ(fused->size(), 2u);
  const FusedCandidate& top = (*fused)[0];
  EXPECT_EQ(top.profile, a);
  EXPECT_NEAR(top.llr, 3 + 2 + 5 * std::log(10.0), 1e-9);
  EXPECT_EQ(top.parts.size(), 3u);
  EXPECT_NEAR(top.modality_llr.at("finger"), 5, 1e-12);
  // b has no DNA sample: its finger evidence alone counts, nothing is subtracted.
  EXPECT_NEAR((*fused)[1].llr, 1, 1e-12);
  EXPECT_EQ((*fused)[1].parts.size(), 1u);
  EXPECT_EQ((*fused)[1].parts[0].sample, sb);
}

TEST(FusionTest, AProbeMeetsAProfileOnceAndModalitiesAreCapped) {
  const ProfileId a = ProfileId::Random();
  std::vector<ModalityScores> scores{{"finger",
                                      {"f1", "f2", "f3"},
                                      {{{a, Id::Random(), "", 4}, {a, Id::Random(), "", 9}},  // two samples: best counts
                                       {{a, Id::Random(), "", 9}},
                                       {{a, Id::Random(), "", 9}}}}};
  std::map<std::string, Calibration> cals{{"finger", Linear("finger", 10)}};
  auto fused = Fuse(scores, cals);
  ASSERT_TRUE(fused.ok());
  EXPECT_EQ((*fused)[0].parts.size(), 3u);
  EXPECT_NEAR((*fused)[0].llr, 20, 1e-12);  // 27, capped at twice llr_max
  FusionOptions o;
  o.modality_cap["finger"] = 25;
  EXPECT_NEAR((*Fuse(scores, cals, o))[0].llr, 25, 1e-12);
  EXPECT_EQ(Fuse(scores, {}).status().code(), StatusCode::kInvalidArgument);
}

FusedCandidate With(double llr) {
  FusedCandidate c;
  c.profile = ProfileId::Random();
  c.llr = llr;
  return c;
}

TEST(DecisionTest, ThresholdsFollowFromTargetFpirAndGallerySize) {
  DecisionPolicy p;
  p.target_fpir = 0.001;
  p.review_fpir = 0.1;
  Thresholds t = ThresholdsFor(p, 1000);
  EXPECT_NEAR(t.match, std::log(1e6), 1e-9);
  EXPECT_NEAR(t.review, std::log(1e4), 1e-9);
  EXPECT_NEAR(ThresholdsFor(p, 0).match, std::log(1000.0), 1e-9);
  // Ten times the gallery: ln 10 more evidence needed.
  EXPECT_NEAR(ThresholdsFor(p, 10000).match - t.match, std::log(10.0), 1e-9);
}

TEST(DecisionTest, NewMatchReview) {
  DecisionPolicy p;
  const size_t n = 1000;  // match at 13.8, review at 9.2
  EXPECT_EQ(Decide(p, n, {With(5), With(1)}).outcome, Outcome::kNew);
  EXPECT_TRUE(Decide(p, n, {With(5)}).candidates.empty());
  Decision m = Decide(p, n, {With(3), With(20), With(10)});
  EXPECT_EQ(m.outcome, Outcome::kMatch);
  ASSERT_EQ(m.candidates.size(), 1u);
  EXPECT_EQ(m.candidates[0].llr, 20);
  Decision r = Decide(p, n, {With(10), With(11), With(2)});
  EXPECT_EQ(r.outcome, Outcome::kReview);
  ASSERT_EQ(r.candidates.size(), 2u);
  EXPECT_EQ(r.candidates[0].llr, 11);
  EXPECT_EQ(Decide(p, n, {With(20), With(30)}).outcome, Outcome::kReview);  // two matches: a person decides
}

TEST(DecisionTest, PolicyFileRoundTripsAndBadOnesAreRefused) {
  auto p = ParsePolicyJson(R"({"format":"idreg-decision-policy-v1","target_fpir":0.01,"review_fpir":0.2,"top_k":5,
                              "modality_cap":{"finger":18}})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_DOUBLE_EQ(p->target_fpir, 0.01);
  EXPECT_EQ(p->top_k, 5u);
  EXPECT_DOUBLE_EQ(p->fusion.modality_cap.at("finger"), 18);
  auto back = ParsePolicyJson(PolicyToJson(*p));
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ(back->review_fpir, 0.2);
  auto err = [](const std::string& t) { return ParsePolicyJson(t).status().ToString(); };
  EXPECT_NE(err("{}").find("format"), std::string::npos);
  EXPECT_NE(err(R"({"format":"idreg-decision-policy-v1","target_fpir":2})").find("target_fpir"), std::string::npos);
  EXPECT_NE(err(R"({"format":"idreg-decision-policy-v1","target_fpir":0.5})").find("review_fpir must be above"),
            std::string::npos);
  EXPECT_NE(err(R"({"format":"idreg-decision-policy-v1","colour":1})").find("unknown field 'colour'"),
            std::string::npos);
  EXPECT_NE(err(R"({"format":"idreg-decision-policy-v1","top_k":0})").find("top_k"), std::string::npos);
}

}  // namespace
}  // namespace idreg::match
