// The check digit of Doc 9303 Part 3 section 4.9: each character's value times a repeating
// weight 7, 3, 1, summed, modulo 10.
#include "idreg/document/mrz.h"

namespace idreg {
namespace {

// '<' counts as zero so that a filler-padded field has the same check digit as its content.
int MrzCharValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c == '<') return 0;
  return -1;
}

}  // namespace

int MrzCheckDigit(std::string_view field) {
  static constexpr int kWeights[3] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    int v = MrzCharValue(field[i]);
    if (v < 0) return -1;
    // Reduced at every step so that no input, however long, can overflow.
    sum = (sum + v * kWeights[i % 3]) % 10;
  }
  return sum;
}

}  // namespace idreg
