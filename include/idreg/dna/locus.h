// STR loci by standard name: the CODIS 20 core loci and the other autosomal loci typed in the
// NIST 1036 U.S. population set. A locus is a small index into one fixed table, so a profile can
// keep its loci in arrays and bit masks; names are matched leniently ("PENTA E", "Penta_E",
// "VWA") because laboratories and published tables spell them differently.
#ifndef IDREG_DNA_LOCUS_H_
#define IDREG_DNA_LOCUS_H_

#include <cstdint>
#include <string_view>

#include "idreg/core/result.h"

namespace idreg::dna {

using LocusId = uint8_t;

// The number of loci idreg knows; every LocusId is below it, and a uint32_t holds a set of them.
inline constexpr int kLocusCount = 29;
static_assert(kLocusCount <= 32);

// The standard spelling, e.g. "D21S11", "vWA", "Penta_E".
std::string_view LocusName(LocusId locus);

// True for the 20 loci of the expanded CODIS core set (FBI, effective 2017).
bool IsCodisCore(LocusId locus);

// Finds a locus by name, ignoring case, spaces, '_' and '-'. NotFound names the unknown locus.
Result<LocusId> FindLocus(std::string_view name);

// Markers that appear in published autosomal tables but are not autosomal STRs (Y-STRs, the Y
// indel, Amelogenin): table readers skip them instead of failing.
bool IsNonAutosomalMarker(std::string_view name);

}  // namespace idreg::dna

#endif  // IDREG_DNA_LOCUS_H_
