#include "idreg/eval/error_rates.h"

#include <gtest/gtest.h>

#include "idreg/eval/det_plot.h"
#include "idreg/eval/score_file.h"

namespace idreg::eval {
namespace {

TEST(ErrorRatesTest, SeparatedScoresHaveNoErrors) {
  ErrorRates r = ComputeErrorRates({0.8, 0.9, 0.7}, {0.1, 0.2, 0.3, 0.0});
  EXPECT_EQ(r.genuine, 3u);
  EXPECT_EQ(r.impostor, 4u);
  EXPECT_DOUBLE_EQ(r.eer, 0);
  EXPECT_DOUBLE_EQ(r.fmr100, 0);
  EXPECT_DOUBLE_EQ(r.zero_fmr, 0);
}

TEST(ErrorRatesTest, OverlapGivesTheCrossing) {
  // 10 genuine 1..10, 10 impostor 0.5..9.5: at threshold 5 FNMR = 4/10 and FMR = 5/10, at 5.5 both 5/10.
  std::vector<double> g, i;
  for (int k = 1; k <= 10; ++k) g.push_back(k), i.push_back(k - 0.5);
  ErrorRates r = ComputeErrorRates(g, i);
  EXPECT_NEAR(r.eer, 0.45, 1e-9);
  // FMR <= 1% needs the threshold above every impostor: 9 of 10 genuine are rejected.
  EXPECT_NEAR(r.fmr100, 0.9, 1e-9);
  EXPECT_NEAR(r.fmr1000, 0.9, 1e-9);
}

TEST(ErrorRatesTest, AllImpostorsAboveAllGenuinesIsTotalFailure) {
  ErrorRates r = ComputeErrorRates({0.1, 0.2}, {0.8, 0.9});
  EXPECT_GE(r.eer, 0.5);
  EXPECT_DOUBLE_EQ(r.fmr100, 1);
}

TEST(ErrorRatesTest, DetRatesAreMonotonic) {
  auto det = ComputeDet({0.3, 0.5, 0.9, 0.9}, {0.1, 0.4, 0.6});
  ASSERT_FALSE(det.empty());
  for (size_t k = 1; k < det.size(); ++k) {
    EXPECT_LE(det[k].fmr, det[k - 1].fmr);
    EXPECT_GE(det[k].fnmr, det[k - 1].fnmr);
  }
  EXPECT_DOUBLE_EQ(det.front().fmr, 1);
  EXPECT_DOUBLE_EQ(det.back().fnmr, 1);
}

TEST(DetPlotTest, SvgHasCurveAndEerMark) {
  std::vector<double> g = {0.3, 0.5, 0.9}, i = {0.1, 0.4};
  DetSeries s{"DB1 <b>", ComputeDet(g, i), ComputeErrorRates(g, i)};
  std::string svg = RenderDetSvg({s}, "test");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<path d=\"M"), std::string::npos);
  EXPECT_NE(svg.find("<circle"), std::string::npos);
  EXPECT_NE(svg.find("DB1 &lt;b&gt;: EER"), std::string::npos);
}

TEST(ScoreFileTest, CsvQuotesAwkwardNames) {
  std::string csv = FormatScoresCsv({{"a.tif", "b,c.tif", 0.5, true}, {"x", "y\"z", 0.25, false}});
  EXPECT_EQ(csv, "probe,reference,score,genuine\na.tif,\"b,c.tif\",0.5,1\nx,\"y\"\"z\",0.25,0\n");
}

}  // namespace
}  // namespace idreg::eval
