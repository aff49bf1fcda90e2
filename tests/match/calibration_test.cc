// Calibration: the logistic fit recovers a known LLR, files round-trip and bad files are refused
// with the field named; score files of `idreg eval` parse.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "idreg/eval/score_file.h"
#include "idreg/match/calibration.h"

namespace idreg::match {
namespace {

TEST(CalibrationTest, LogisticFitRecoversTheGaussianLlr) {
  // Genuine N(2,1), impostor N(0,1): the true LLR is 2s - 2, linear in the score.
  std::mt19937 rng(7);
  std::normal_distribution<double> g(2, 1), i(0, 1);
  std::vector<double> genuine, impostor;
  for (int n = 0; n < 2000; ++n) genuine.push_back(g(rng));
  for (int n = 0; n < 20000; ++n) impostor.push_back(i(rng));
  auto c = FitLogistic("test", genuine, impostor);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->transform, "identity");  // scores can be negative: log would be the worse fit
  for (double s : {-1.0, 0.0, 1.0, 2.0, 3.0}) EXPECT_NEAR(c->Llr(s), 2 * s - 2, 0.15) << "score " << s;
  EXPECT_NEAR(c->llr_max, std::log(20001.0), 1e-9);
  EXPECT_NEAR(c->llr_min, -std::log(2001.0), 1e-9);
  EXPECT_DOUBLE_EQ(c->Llr(1e6), c->llr_max);  // clamped where the data end
}

TEST(CalibrationTest, ClassWeightsRemoveThePrior) {
  // The same distributions with ten times as many impostors must give the same LLR.
  std::mt19937 rng(11);
  std::normal_distribution<double> g(2, 1), i(0, 1);
  std::vector<double> genuine, few, many;
  for (int n = 0; n < 3000; ++n) genuine.push_back(g(rng));
  for (int n = 0; n < 3000; ++n) few.push_back(i(rng));
  many = few;
  for (int n = 0; n < 27000; ++n) many.push_back(i(rng));
  auto a = FitLogistic("t", genuine, few), b = FitLogistic("t", genuine, many);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NEAR(a->Llr(1.0), b->Llr(1.0), 0.15);
  EXPECT_NEAR(a->Llr(1.0), 0.0, 0.15);
}

TEST(CalibrationTest, LogTransformChosenForSkewedSimilarities) {
  // Similarities in (0,1] whose log is Gaussian per class (as matcher scores tend to be).
  std::mt19937 rng(3);
  std::normal_distribution<double> g(std::log(0.08), 0.6), i(std::log(0.01), 0.5);
  std::vector<double> genuine, impostor;
  for (int n = 0; n < 2000; ++n) genuine.push_back(std::min(1.0, std::exp(g(rng))));
  for (int n = 0; n < 10000; ++n) impostor.push_back(std::exp(i(rng)));
  auto c = FitLogistic("finger", genuine, impostor);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->transform, "log");
  EXPECT_LT(c->Llr(0.005), 0);
  EXPECT_GT(c->Llr(0.2), 3);
  EXPECT_LT(c->Llr(0.02), c->Llr(0.03));  // monotone
}

TEST(CalibrationTest, EmptyOrNonFiniteSetsAreRefused) {
  EXPECT_EQ(FitLogistic("f", {}, {0.1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FitLogistic("f", {0.2, NAN}, {0.1}).status().code(), StatusCode::kInvalidArgument);
}

TEST(CalibrationTest, JsonRoundTripAndLog10Lr) {
  auto c = FitLogistic("finger", {0.05, 0.1, 0.2, 0.03}, {0.01, 0.02, 0.005, 0.015, 0.04});
  ASSERT_TRUE(c.ok());
  c->source = "unit test";
  auto back = ParseCalibrationJson(CalibrationToJson(*c));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  for (double s : {0.0, 0.01, 0.05, 0.5}) EXPECT_DOUBLE_EQ(back->Llr(s), c->Llr(s));
  EXPECT_EQ(back->source, "unit test");
  EXPECT_EQ(back->impostor, 5u);
  Calibration dna = Log10LrCalibration("dna");
  EXPECT_NEAR(dna.Llr(2.0), 2 * std::log(10.0), 1e-12);
  auto dna_back = ParseCalibrationJson(CalibrationToJson(dna));
  ASSERT_TRUE(dna_back.ok());
  EXPECT_NEAR(dna_back->Llr(-3.0), -3 * std::log(10.0), 1e-12);
}

TEST(CalibrationTest, BadFilesAreRefusedNamingTheField) {
  auto err = [](const std::string& text) { return ParseCalibrationJson(text).status().ToString(); };
  EXPECT_NE(err("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(err("[]").find("object"), std::string::npos);
  EXPECT_NE(err(R"({"format":"idreg-calibration-v0","modality":"f","method":"logistic"})").find("format"),
            std::string::npos);
  const std::string head = R"({"format":"idreg-calibration-v1","modality":"finger","method":"logistic",)";
  EXPECT_NE(err(head + R"("transform":"log"})").find("'epsilon'"), std::string::npos);
  EXPECT_NE(err(head + R"("transform":"cube"})").find("cube"), std::string::npos);
  EXPECT_NE(err(head + R"("transform":"log","epsilon":1e-4,"a":"x"})").find("'a' must be a number"),
            std::string::npos);
  EXPECT_NE(err(head + R"("transform":"log","epsilon":1e-4,"a":0,"b":-1,"llr_min":-1,"llr_max":1,)"
                       R"("genuine":1,"impostor":1})")
                .find("slope"),
            std::string::npos);
  EXPECT_NE(err(R"({"format":"idreg-calibration-v1","modality":"f","method":"magic"})").find("magic"),
            std::string::npos);
}

TEST(ScoreFileTest, ParsesWhatEvalWrites) {
  std::vector<eval::ScoredPair> pairs{{"a,1", "b", 0.5, true}, {"a\"2", "c", 0.01, false}, {"x", "y", 0.02, false}};
  auto sets = ParseScoresCsv(eval::FormatScoresCsv(pairs));
  ASSERT_TRUE(sets.ok()) << sets.status().ToString();
  ASSERT_EQ(sets->genuine.size(), 1u);
  EXPECT_DOUBLE_EQ(sets->genuine[0], 0.5);
  ASSERT_EQ(sets->impostor.size(), 2u);
}

TEST(ScoreFileTest, MalformedFilesNameTheLine) {
  auto err = [](const std::string& text) { return ParseScoresCsv(text).status().ToString(); };
  EXPECT_NE(err("a,b\n").find("header"), std::string::npos);
  EXPECT_NE(err("probe,reference,score,genuine\np,r,abc,1\n").find("line 2"), std::string::npos);
  EXPECT_NE(err("probe,reference,score,genuine\np,r,0.1,2\n").find("must be 1 or 0"), std::string::npos);
  EXPECT_NE(err("probe,reference,score,genuine\np,r,0.1\n").find("4 columns"), std::string::npos);
  EXPECT_NE(err("probe,reference,score,genuine\n\"p,r,0.1,1\n").find("unterminated"), std::string::npos);
  EXPECT_NE(err("probe,reference,score,genuine\np,r,inf,1\n").find("finite"), std::string::npos);
}

}  // namespace
}  // namespace idreg::match
