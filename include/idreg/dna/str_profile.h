// An STR profile: per typed locus, the distinct alleles seen. One allele at a locus is a
// homozygote (or a heterozygote whose other allele dropped out: a profile cannot tell); more than
// two is a mixture. Missing loci are simply absent (partial profiles).
#ifndef IDREG_DNA_STR_PROFILE_H_
#define IDREG_DNA_STR_PROFILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "idreg/core/status.h"
#include "idreg/dna/allele.h"
#include "idreg/dna/locus.h"

namespace idreg::dna {

struct LocusGenotype {
  LocusId locus = 0;
  std::vector<Allele> alleles;  // sorted, distinct, non-empty

  bool homozygous() const { return alleles.size() == 1; }
  bool mixed() const { return alleles.size() > 2; }
};

struct StrProfile {
  std::string id;          // sample name; may be empty
  std::string population;  // as the source names it ("AA", "Cauc"); may be empty
  std::vector<LocusGenotype> loci;  // sorted by locus, one entry per typed locus

  // The genotype at `locus`, or nullptr when the locus is not typed.
  const LocusGenotype* Find(LocusId locus) const;

  // The set of typed loci as bits (bit i: LocusId i).
  uint32_t TypedLoci() const;

  // Adds a locus from alleles in any order, possibly repeated ("11","11" is a homozygote).
  // InvalidArgument on a duplicate locus or an empty allele list.
  Status AddLocus(LocusId locus, std::vector<Allele> alleles);
};

}  // namespace idreg::dna

#endif  // IDREG_DNA_STR_PROFILE_H_
