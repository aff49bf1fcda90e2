#include <gtest/gtest.h>

#include "idreg/document/mrz.h"

namespace idreg {
namespace {

TEST(MrzCheckDigitTest, SpecimenFieldsFromDoc9303) {
  EXPECT_EQ(MrzCheckDigit("L898902C3"), 6);
  EXPECT_EQ(MrzCheckDigit("740812"), 2);
  EXPECT_EQ(MrzCheckDigit("120415"), 9);
  EXPECT_EQ(MrzCheckDigit("ZE184226B<<<<<"), 1);
  EXPECT_EQ(MrzCheckDigit("D23145890"), 7);
  EXPECT_EQ(MrzCheckDigit("L8988901C"), 4);
  EXPECT_EQ(MrzCheckDigit("400907"), 8);
  EXPECT_EQ(MrzCheckDigit("961210"), 9);
  // TD3 composite: number+check, birth+check, expiry+check+personal number+check.
  EXPECT_EQ(MrzCheckDigit("L898902C36"
                          "7408122"
                          "1204159ZE184226B<<<<<1"),
            0);
}

TEST(MrzCheckDigitTest, LongDocumentNumberFromDoc9303Part5) {
  // By hand: D=13. 13*7 + 2*3 + 3*1 + 1*7 + 4*3 + 5*1 + 8*7 + 9*3 + 0*1 + 7*7 + 3*3 + 4*1 = 269.
  EXPECT_EQ(MrzCheckDigit("D23145890734"), 9);
}

TEST(MrzCheckDigitTest, FillersCountAsZeroAndLettersFromTen) {
  EXPECT_EQ(MrzCheckDigit(""), 0);
  EXPECT_EQ(MrzCheckDigit("<<<<<<<<<"), 0);
  EXPECT_EQ(MrzCheckDigit("A"), 0);   // 10 * 7 = 70
  EXPECT_EQ(MrzCheckDigit("Z"), 5);   // 35 * 7 = 245
  EXPECT_EQ(MrzCheckDigit("<Z"), 5);  // 35 * 3 = 105
  EXPECT_EQ(MrzCheckDigit("12<"), 3);
  EXPECT_EQ(MrzCheckDigit("12<<<<"), MrzCheckDigit("12"));
}

TEST(MrzCheckDigitTest, CharactersOutsideTheMrzSetGiveMinusOne) {
  EXPECT_EQ(MrzCheckDigit("a"), -1);
  EXPECT_EQ(MrzCheckDigit("12 3"), -1);
  EXPECT_EQ(MrzCheckDigit("L898902C3\xc3"), -1);
}

TEST(MrzCheckDigitTest, LongInputsDoNotOverflow) {
  std::string z(10'000'000, 'Z');
  int d = MrzCheckDigit(z);
  EXPECT_GE(d, 0);
  EXPECT_LE(d, 9);
}

}  // namespace
}  // namespace idreg
