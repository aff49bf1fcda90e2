#include "idreg/dna/str_profile.h"

#include <algorithm>

namespace idreg::dna {

const LocusGenotype* StrProfile::Find(LocusId locus) const {
  auto it = std::lower_bound(loci.begin(), loci.end(), locus,
                             [](const LocusGenotype& g, LocusId l) { return g.locus < l; });
  return (it != loci.end() && it->locus == locus) ? &*it : nullptr;
}

uint32_t StrProfile::TypedLoci() const {
  uint32_t bits = 0;
  for (const LocusGenotype& g : loci) bits |= 1u << g.locus;
  return bits;
}

Status StrProfile::AddLocus(LocusId locus, std::vector<Allele> alleles) {
  if (locus >= kLocusCount) return Status::InvalidArgument("locus id out of range");
  if (alleles.empty()) return Status::InvalidArgument("locus " + std::string(LocusName(locus)) + " has no allele");
  if (Find(locus) != nullptr) {
    return Status::InvalidArgument("duplicate locus " + std::string(LocusName(locus)));
  }
  std::sort(alleles.begin(), alleles.end());
  alleles.erase(std::unique(alleles.begin(), alleles.end()), alleles.end());
  auto it = std::lower_bound(loci.begin(), loci.end(), locus,
                             [](const LocusGenotype& g, LocusId l) { return g.locus < l; });
  loci.insert(it, LocusGenotype{locus, std::move(alleles)});
  return Status::Ok();
}

}  // namespace idreg::dna
