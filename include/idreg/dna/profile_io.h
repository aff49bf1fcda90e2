// Reading and writing STR profiles: the NIST 1036 genotype CSV layout and idreg's JSON form
// (doc/dna-profile-json.md). Parsers reject malformed input with a message naming the line,
// column, locus or field; they never throw.
#ifndef IDREG_DNA_PROFILE_IO_H_
#define IDREG_DNA_PROFILE_IO_H_

#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/dna/str_profile.h"

namespace idreg::dna {

// The format name recorded with biometric records holding the JSON form.
inline constexpr std::string_view kDnaJsonFormat = "idreg-dna-json-v1";

// NIST 1036 layout: a header "Sample,Pop,LOCUS,,LOCUS,,..." (each locus names the first of its
// two allele columns), then one person per line. Two empty cells: the locus is missing; one empty
// cell: a single allele. A person with no typed locus is an error.
Result<std::vector<StrProfile>> ParseNist1036Csv(std::string_view text);

// {"format": "idreg-dna-json-v1", "id": "...", "population": "...",
//  "loci": {"D8S1179": ["13", "14"], "TH01": ["9.3"], ...}}; alleles as strings or numbers.
Result<StrProfile> ParseProfileJson(std::string_view text);

// The JSON form above (alleles as strings, loci in table order), pretty-printed when `indent`.
std::string ProfileToJson(const StrProfile& profile, bool indent = true);

// A JSON profile (text starting with '{') or a NIST 1036 CSV holding exactly one person.
Result<StrProfile> ParseOneProfile(std::string_view text);

}  // namespace idreg::dna

#endif  // IDREG_DNA_PROFILE_IO_H_
