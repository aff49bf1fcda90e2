#include "idreg/core/id.h"

#include <gtest/gtest.h>

#include <set>

namespace idreg {
namespace {

TEST(IdTest, RandomIdsPrintAs26CrockfordCharactersAndRoundTrip) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    Id id = Id::Random();
    std::string s = id.ToString();
    ASSERT_EQ(s.size(), 26u);
    EXPECT_LE(s[0], '7');
    EXPECT_EQ(s.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << s;
    auto back = Id::Parse(s);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, id);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IdTest, KnownValues) {
  std::array<uint8_t, 16> ones;
  ones.fill(0xff);
  EXPECT_EQ(Id(ones).ToString(), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  std::array<uint8_t, 16> one{};
  one[15] = 1;
  EXPECT_EQ(Id(one).ToString(), "00000000000000000000000001");
  std::array<uint8_t, 16> top{};
  top[0] = 0x80;
  EXPECT_EQ(Id(top).ToString(), "40000000000000000000000000");
}

TEST(IdTest, ParseAcceptsLowerCaseAndAliases) {
  auto a = Id::Parse("0000000000000000000000000i");
  auto b = Id::Parse("0000000000000000000000000L");
  auto c = Id::Parse("o0000000000000000000000001");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
}

TEST(IdTest, ParseRejectsBadInputWithReason) {
  auto short_id = Id::Parse("ABC");
  ASSERT_FALSE(short_id.ok());
  EXPECT_EQ(short_id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_id.status().message().find("26"), std::string::npos);
  EXPECT_NE(short_id.status().message().find("'ABC' is not an id"), std::string::npos);
  auto bad_char = Id::Parse("0000000000000000000000000U");
  ASSERT_FALSE(bad_char.ok());
  EXPECT_NE(bad_char.status().message().find("position 26"), std::string::npos);
  EXPECT_FALSE(Id::Parse("80000000000000000000000000").ok());
}

}  // namespace
}  // namespace idreg
