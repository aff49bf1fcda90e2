// The fast matching path (POPCNT/AVX2 kernel chosen at run time) must give exactly the scores of
// the portable scalar reference, on real templates: mates, non-mates and self-matches.
#include <gtest/gtest.h>

#include <filesystem>

#include "idreg/finger/extractor.h"
#include "idreg/finger/matcher.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

TEST(MatcherKernelTest, FastPathEqualsScalarReference) {
  const std::string dir = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/DB2_B/";
  if (!std::filesystem::exists(dir + "101_1.tif")) GTEST_SKIP() << "missing " << dir << "101_1.tif";
  std::vector<FingerTemplate> templates;
  for (const char* name : {"101_1", "101_2", "102_1", "102_3", "103_4", "103_5"}) {
    auto img = ReadImageFile(dir + name + ".tif");
    ASSERT_TRUE(img.ok());
    auto t = ExtractMinutiae(*img);
    ASSERT_TRUE(t.ok());
    templates.push_back(*t);
  }
  int nonzero = 0;
  for (const FingerTemplate& a : templates) {
    const FingerProbe probe(a);
    for (const FingerTemplate& b : templates) {
      const SearchTemplate candidate(b);
      const float fast = probe.Match(candidate);
      EXPECT_EQ(fast, probe.MatchReference(candidate));
      nonzero += fast > 0;
    }
  }
  EXPECT_GT(nonzero, 30);  // the comparison is not vacuous
}

}  // namespace
}  // namespace idreg::finger
