#include <gtest/gtest.h>

#include "idreg/core/bytes.h"
#include "idreg/core/clock.h"

namespace idreg {
namespace {

TEST(BytesTest, HexAndBase64RoundTrip) {
  Bytes b = {0, 1, 0xfe, 0xff, 'a'};
  EXPECT_EQ(HexEncode(b), "0001feff61");
  EXPECT_EQ(*HexDecode("0001FEff61"), b);
  EXPECT_FALSE(HexDecode("0g").ok());
  EXPECT_EQ(Base64Encode(ToBytes("hello")), "aGVsbG8=");
  EXPECT_EQ(ToString(*Base64Decode("aGVsbG8=")), "hello");
  auto bad = Base64Decode("aGV*bG8=");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("position"), std::string::npos);
}

TEST(BytesTest, Sha256OfAbcIsTheFipsVector) {
  auto d = Sha256("abc");
  EXPECT_EQ(HexEncode(d.data(), d.size()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ClockTest, FixedClockAndFormats) {
  FixedClock c = FixedClock::AtDate({2026, 11, 30});
  EXPECT_EQ(c.Today().ToString(), "2026-11-30");
  EXPECT_EQ(c.NowIso8601(), "2026-11-30T12:00:00.000Z");
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_FALSE(ParseDate("2023-2-1").ok());
  EXPECT_FALSE(ParseDate("2023-\n9-29").ok());
  EXPECT_FALSE(ParseDate("2023- 9-29").ok());
  EXPECT_FALSE(ParseDate("+023-09-29").ok());
}

}  // namespace
}  // namespace idreg
