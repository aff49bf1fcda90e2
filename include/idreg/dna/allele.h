// An STR allele: a repeat count with an optional microvariant (9.3 is nine full repeats and three
// bases of a partial one). Kept in tenths in 16 bits so that comparisons are integer compares.
#ifndef IDREG_DNA_ALLELE_H_
#define IDREG_DNA_ALLELE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "idreg/core/result.h"

namespace idreg::dna {

// 9.3 is Allele{93}. Ordered like the repeat counts they stand for.
struct Allele {
  uint16_t tenths = 0;
  auto operator<=>(const Allele&) const = default;
};

// The largest repeat count accepted (SE33 reaches ~50; 99.9 leaves room, keeps 16 bits).
inline constexpr uint16_t kMaxAlleleTenths = 999;

// Parses "9", "16.3", "2.2": digits, optionally '.' and one digit (0-3 partial bases, but any
// digit is kept as read). Rejects empty text, signs, spaces, more decimals, zero and > 99.9.
Result<Allele> ParseAllele(std::string_view text);

// "9", "16.3".
std::string AlleleToString(Allele a);

// Whole repeats between two alleles with the same partial part (9.3 -> 10.3 is one step), or -1
// when the partial parts differ (a mutation model treats those as unreachable in one step).
int RepeatSteps(Allele a, Allele b);

}  // namespace idreg::dna

#endif  // IDREG_DNA_ALLELE_H_
