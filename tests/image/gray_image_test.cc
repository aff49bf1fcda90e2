#include "idreg/image/gray_image.h"

#include <gtest/gtest.h>

namespace idreg {
namespace {

TEST(GrayImageTest, CreateChecksSizeBeforeAllocating) {
  auto ok = GrayImage::Create(3, 2, 7, 500);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->pixels.size(), 6u);
  EXPECT_EQ(ok->at(2, 1), 7);
  EXPECT_TRUE(ok->Validate().ok());
  EXPECT_FALSE(GrayImage::Create(0, 5).ok());
  auto huge = GrayImage::Create(50000, 50000);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("50000x50000"), std::string::npos);
  GrayImage broken = *ok;
  broken.pixels.pop_back();
  EXPECT_FALSE(broken.Validate().ok());
}

}  // namespace
}  // namespace idreg
