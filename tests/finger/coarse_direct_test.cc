// The coarse codes built straight from the minutiae (coarse_direct.cc, used by FingerGallery::Add)
// equal those downsampled from the full cylinders, which the coarse stage was validated with.
#include <gtest/gtest.h>

#include <filesystem>

#include "idreg/finger/extractor.h"
#include "idreg/finger/gallery.h"
#include "idreg/finger/synthetic.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

void ExpectSameCodes(const FingerTemplate& t, const std::string& what) {
  const CoarseTemplate direct = MakeCoarseTemplate(t);
  const CoarseTemplate via = MakeCoarseTemplate(SearchTemplate(t));
  ASSERT_EQ(direct.size(), via.size()) << what;
  EXPECT_EQ(direct.directions, via.directions) << what;
  EXPECT_EQ(direct.codes, via.codes) << what;
}

TEST(CoarseDirectTest, EqualsDownsampledCylindersOnSyntheticTemplates) {
  const SyntheticFingers gen(21);
  size_t cylinders = 0;
  for (int f = 0; f < 150; ++f) {
    const FingerTemplate t = gen.Impression(f, f % 3);
    ExpectSameCodes(t, "synthetic finger " + std::to_string(f));
    cylinders += MakeCoarseTemplate(t).size();
  }
  EXPECT_GT(cylinders, 150u * 15);  // real work was compared
}

TEST(CoarseDirectTest, DegenerateTemplates) {
  FingerTemplate t;
  t.width = t.height = 300;
  EXPECT_EQ(MakeCoarseTemplate(t).size(), 0u);
  for (int i = 0; i < 6; ++i) t.minutiae.push_back({.x = 100 + 10 * i, .y = 100 + 10 * i, .direction = 0.5f * i});
  ExpectSameCodes(t, "collinear minutiae");  // a hull of two points
  t.minutiae.push_back({.x = 100, .y = 100, .direction = 1});
  ExpectSameCodes(t, "a repeated minutia");
}

TEST(CoarseDirectTest, EqualsDownsampledCylindersOnRealTemplates) {
  const std::string dir = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/";
  for (const char* db : {"DB1_B", "DB2_B", "DB3_B", "DB4_B"}) {
    const std::string path = dir + db + "/102_3.tif";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
    auto img = ReadImageFile(path);
    ASSERT_TRUE(img.ok()) << path;
    auto t = ExtractMinutiae(*img);
    ASSERT_TRUE(t.ok()) << path;
    ExpectSameCodes(*t, path);
  }
}

}  // namespace
}  // namespace idreg::finger
