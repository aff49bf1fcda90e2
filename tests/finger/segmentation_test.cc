// The foreground mask on FVC2002 DB3_B, a capacitive sensor whose grey background carries a fine
// striped noise: measured on the raw gradient, the mask took in most of that background (74% and
// 80% of these two images, whose prints cover about half); on the blurred gradient it follows the
// print (52% and 48%).
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/core.hpp>

#include "finger/stages.h"
#include "finger/fvc_image.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

cv::Mat1b Foreground(const cv::Mat1f& gray) {
  cv::Mat1b mask;
  SegmentForeground(gray, mask);
  return mask;
}

TEST(SegmentationTest, MaskFollowsThePrintNotTheStripedBackground) {
  for (const char* name : {"DB3_B/105_8.tif", "DB3_B/110_6.tif"}) {
    const std::string path = testing::FvcImagePath(name);
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
    const cv::Mat1f gray = testing::FvcGray(path);
    ASSERT_FALSE(gray.empty()) << "cannot read " << path;
    const cv::Mat1b mask = Foreground(gray);
    const double share = cv::countNonZero(mask) / static_cast<double>(mask.total());
    EXPECT_GT(share, 0.35) << name << ": the print itself must stay foreground";
    EXPECT_LT(share, 0.62) << name << ": the striped background must not count as finger";
  }
}

TEST(SegmentationTest, BlankAndNoiseOnlyImagesHaveNoForeground) {
  cv::Mat1f blank(300, 300, 128.0f);
  EXPECT_EQ(cv::countNonZero(Foreground(blank)), 0);
  // Strong pixel-level noise (sd 16 grey levels), finer than any ridge: on the raw gradient every
  // block of it passed the energy floor; the blur leaves too little of it to count.
  cv::Mat1f noise(300, 300);
  cv::RNG rng(7);
  rng.fill(noise, cv::RNG::NORMAL, 128.0, 16.0);
  EXPECT_EQ(cv::countNonZero(Foreground(noise)), 0);
}

}  // namespace
}  // namespace idreg::finger
