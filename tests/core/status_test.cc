#include "idreg/core/status.h"

#include <gtest/gtest.h>

#include "idreg/core/result.h"

namespace idreg {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  IDREG_ASSIGN_OR_RETURN(int h, Half(x));
  IDREG_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, NamedKindsPrintTheirName) {
  EXPECT_EQ(Status::Ok().ToString(), "ok");
  EXPECT_EQ(Status::NotFound("profile X").ToString(), "not found: profile X");
  EXPECT_EQ(Status::Corruption("bad").code(), StatusCode::kCorruption);
  EXPECT_EQ(Status::PermissionDenied("p").ToString(), "permission denied: p");
  EXPECT_EQ(Status::Unauthenticated("u").ToString(), "unauthenticated: u");
  EXPECT_EQ(Status::Unavailable("u").ToString(), "unavailable: u");
  EXPECT_EQ(Status::Internal("i").ToString(), "internal: i");
  EXPECT_EQ(Status::AlreadyExists("a").ToString(), "already exists: a");
  EXPECT_EQ(Status::InvalidArgument("x").WithContext("mrz").ToString(), "invalid argument: mrz: x");
}

TEST(ResultTest, PropagatesErrorsAndValues) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r = Status::Internal("x");
  EXPECT_DEATH((void)r.value(), "error Result");
}

}  // namespace
}  // namespace idreg
