// Kinship likelihood ratios: "A and B are related as R" against "A and B are unrelated", from the
// IBD coefficients (k0, k1, k2) of R, per locus
//   LR = k0 + k1 * P(B | A, one allele IBD) / P(B | A) + k2 * P(B | A, two IBD) / P(B | A),
// with alleles drawn by the Balding-Nichols sampling formula for theta (theta 0: the product rule).
// Parent-child uses a stepwise mutation model for the transmitted allele, so that one mutation
// lowers the LR instead of excluding. Mixed loci (more than two alleles) are skipped.
#ifndef IDREG_DNA_KINSHIP_H_
#define IDREG_DNA_KINSHIP_H_

#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/parameters.h"
#include "idreg/dna/str_profile.h"

namespace idreg::dna {

// Half siblings, avuncular (uncle/aunt-nephew/niece) and grandparent-grandchild share the same
// IBD coefficients and hence the same likelihood ratio.
enum class Relationship { kParentChild, kFullSibling, kHalfSibling, kFirstCousin };

struct Ibd {
  double k0, k1, k2;
};
Ibd IbdCoefficients(Relationship r);

// "parent-child", "full-sibling", "half-sibling" (also "avuncular", "grandparent"), "first-cousin".
Result<Relationship> ParseRelationship(std::string_view name);
std::string_view RelationshipName(Relationship r);

struct KinshipOptions {
  double theta = 0;
  double mutation_rate = kMutationRate;  // parent-child only; 0 turns the model off
};

// One locus; both genotypes with one or two alleles.
double LocusKinshipLr(const LocusGenotype& a, const LocusGenotype& b, const LocusFrequencies& freqs,
                      Relationship r, const KinshipOptions& options);

struct LocusKinship {
  LocusId locus = 0;
  double lr = 1;
};

struct KinshipResult {
  std::vector<LocusKinship> loci;  // typed in both, single-source, in the table
  double log10_lr = 0;             // sum of log10 of the per-locus LRs
};

// NotFound when no locus is typed in both and present in the table; InvalidArgument for theta
// outside [0, 0.25].
Result<KinshipResult> ComputeKinship(const StrProfile& a, const StrProfile& b, const PopulationFrequencies& freqs,
                                     Relationship r, const KinshipOptions& options);

struct FamilialHit {
  size_t index = 0;
  double log10_lr = 0;
  int loci_compared = 0;
};

// Ranks `database` by the kinship LR with `probe` (highest first), keeping the best `top_k`.
// Profiles sharing no usable locus with the probe are left out.
std::vector<FamilialHit> FamilialSearch(const StrProfile& probe, const std::vector<StrProfile>& database,
                                        const PopulationFrequencies& freqs, Relationship r,
                                        const KinshipOptions& options, size_t top_k);

}  // namespace idreg::dna

#endif  // IDREG_DNA_KINSHIP_H_
