// Match statistics for a single-source profile, after NRC II (The Evaluation of Forensic DNA
// Evidence, 1996):
//  - random match probability by the product rule, recommendation 4.1: heterozygote 2pq,
//    homozygote p^2 + p(1-p)theta;
//  - conditional match probabilities of recommendation 4.10 (Balding-Nichols) for a given theta:
//    homozygote [2t+(1-t)p][3t+(1-t)p] / [(1+t)(1+2t)], heterozygote
//    2[t+(1-t)p][t+(1-t)q] / [(1+t)(1+2t)];
//  - the single-source likelihood ratio of a matching reference, 1 / (4.10 probability).
// A locus with more than two alleles (a mixture) gets the combined probability of inclusion
// (sum of its allele frequencies)^2 instead, labelled "cpi": the per-locus figures say which.
#ifndef IDREG_DNA_MATCH_STATISTICS_H_
#define IDREG_DNA_MATCH_STATISTICS_H_

#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/str_profile.h"

namespace idreg::dna {

// The per-locus formulas, exposed for tests and for the search's match weights.
double HeterozygoteRmp(double p, double q);                 // 2pq
double HomozygoteRmp(double p, double theta);               // p^2 + p(1-p)theta
double HeterozygoteConditional(double p, double q, double theta);  // NRC II 4.10b
double HomozygoteConditional(double p, double theta);              // NRC II 4.10a

struct LocusStatistic {
  LocusId locus = 0;
  std::vector<Allele> alleles;
  std::vector<double> frequencies;  // as used (after the 5/2N minimum)
  std::string formula;              // "2pq", "p^2+p(1-p)theta", "cpi"
  double rmp = 1;                   // recommendation 4.1 (or the CPI)
  double conditional = 1;           // recommendation 4.10 (or the CPI)
  double lr = 1;                    // 1 / conditional
};

struct MatchStatistics {
  std::string population;
  double theta = 0;
  std::vector<LocusStatistic> loci;       // loci typed in the profile and present in the table
  std::vector<LocusId> skipped;           // typed but absent from the table
  double combined_rmp = 1;                // product of rmp
  double combined_conditional = 1;        // product of conditional
  double combined_lr = 1;                 // product of lr
};

// NotFound when the profile has no locus in common with the table; InvalidArgument for an empty
// profile or theta outside [0, 0.25].
Result<MatchStatistics> ComputeMatchStatistics(const StrProfile& profile, const PopulationFrequencies& freqs,
                                               double theta);

// "1 in 312", "1 in 1,250,000", "1 in 3.2e+22" (the reciprocal of a probability).
std::string OneIn(double probability);

}  // namespace idreg::dna

#endif  // IDREG_DNA_MATCH_STATISTICS_H_
