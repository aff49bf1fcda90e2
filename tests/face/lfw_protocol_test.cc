// The LFW View 2 pairs file and the 10-fold protocol: the real protocol file's counts, malformed
// files refused with the line named, and the fold accuracy on hand-made distances.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "idreg/face/lfw_protocol.h"

namespace idreg::face {
namespace {

const std::string kPairsPath = std::string(IDREG_SHARED_DIR) + "/data/face/lfw-pairs.txt";

TEST(LfwProtocol, ParsesTheRealProtocolFile) {
  std::ifstream in(kPairsPath);
  if (!in) GTEST_SKIP() << "missing " << kPairsPath;
  std::stringstream text;
  text << in.rdbuf();
  auto p = ParseLfwPairs(text.str());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->folds, 10);
  EXPECT_EQ(p->pairs_per_class, 300);
  ASSERT_EQ(p->pairs.size(), 6000u);
  std::vector<int> same(10, 0), different(10, 0);
  for (const LfwPair& pair : p->pairs) (pair.same ? same : different)[pair.fold]++;
  for (int f = 0; f < 10; ++f) {
    EXPECT_EQ(same[f], 300) << "fold " << f;
    EXPECT_EQ(different[f], 300) << "fold " << f;
  }
  // First line of the file after the header: "Abel_Pacheco 1 4".
  EXPECT_EQ(p->pairs[0].name_a, "Abel_Pacheco");
  EXPECT_EQ(p->pairs[0].image_a, 1);
  EXPECT_EQ(p->pairs[0].image_b, 4);
  EXPECT_TRUE(p->pairs[0].same);
  EXPECT_FALSE(p->pairs[300].same);
  EXPECT_NE(p->pairs[300].name_a, p->pairs[300].name_b);
  EXPECT_EQ(p->pairs[600].fold, 1);
  EXPECT_EQ(LfwImagePath("/lfw", "Abel_Pacheco", 4), "/lfw/Abel_Pacheco/Abel_Pacheco_0004.jpg");
}

TEST(LfwProtocol, RefusesMalformedFilesNamingTheLine) {
  struct Case {
    std::string text, needle;
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {"10\n", "line 1"},
      {"0 1\n", "line 1"},
      {"x 1\n", "line 1"},
      {"1 1\nA 1 2\nB 1 C 2\nD 1 2\n", "line 4"},                 // one line too many
      {"1 1\nA 1 2\n", "ends after line 2"},                        // one line missing
      {"1 1\nA 1\nB 1 C 2\n", "line 2: a same-person pair needs 3"},  // too few fields
      {"1 1\nA 1 2\nB 1 C\n", "line 3: a different-person pair needs 4"},
      {"1 1\nA 1 0\nB 1 C 2\n", "line 2: image numbers"},
      {"1 1\nA 1 x2\nB 1 C 2\n", "line 2: image numbers"},
      {"1 1\nA 1 2\nB 1 C 99999\n", "line 3: image numbers"},
      {"1 1\n.. 1 2\nB 1 C 2\n", "line 2: a person's name"},
      {"1 1\nA 1 2\nB 1 a/b 2\n", "line 3: a person's name"},
  };
  for (const Case& c : cases) {
    auto p = ParseLfwPairs(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(c.needle), std::string::npos) << p.status().message();
  }
  // Tabs, CRLF and trailing blank lines are accepted.
  auto ok = ParseLfwPairs("1\t1\r\nA\t1\t2\r\nB\t1\tC\t2\r\n\n\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->pairs[1].name_b, "C");
}

TEST(LfwProtocol, ThresholdComesFromTheOtherFolds) {
  // 3 folds x 2 same + 2 different. Folds 0 and 1 separate between 0.4 and 0.7; fold 2 has a
  // same pair at 0.65 that the threshold trained on folds 0 and 1 gets wrong, while folds 0 and 1,
  // tested with thresholds trained with fold 2's pairs (0.675), stay right.
  LfwProtocol p{3, 2, {}};
  const std::vector<double> d = {0.3, 0.4, 0.7, 0.8,    // fold 0: same, same, diff, diff
                                 0.2, 0.35, 0.7, 0.9,   // fold 1
                                 0.3, 0.65, 0.8, 0.9};  // fold 2: the second same pair is far
  for (int f = 0; f < 3; ++f)
    for (int i = 0; i < 4; ++i) p.pairs.push_back({"a", 1, i < 2 ? "a" : "b", 2, i < 2, f});
  const LfwResult r = EvaluateLfw(p, d);
  ASSERT_EQ(r.folds.size(), 3u);
  EXPECT_DOUBLE_EQ(r.folds[0].accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.folds[1].accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.folds[2].accuracy, 0.75);
  EXPECT_GT(r.folds[2].threshold, 0.4);  // trained on folds 0 and 1: between 0.4 and 0.7
  EXPECT_LT(r.folds[2].threshold, 0.65);
  EXPECT_NEAR(r.mean_accuracy, 2.75 / 3, 1e-12);
  // sample sd of (1, 1, 0.75) = 0.1443; / sqrt(3)
  EXPECT_NEAR(r.standard_error, std::sqrt((2 * std::pow(1 - 2.75 / 3, 2) + std::pow(0.75 - 2.75 / 3, 2)) / 2) / std::sqrt(3),
              1e-12);
  // A pair without a face is decided "different": right for a different pair, wrong for a same one.
  std::vector<double> missing = d;
  missing[0] = std::numeric_limits<double>::infinity();
  missing[2] = std::nan("");
  const LfwResult m = EvaluateLfw(p, missing);
  EXPECT_DOUBLE_EQ(m.folds[0].accuracy, 0.75);
}

}  // namespace
}  // namespace idreg::face
