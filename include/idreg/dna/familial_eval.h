// The evaluation behind `idreg eval dna`: from real unrelated genotypes, simulate children of
// random pairs of the same population and full siblings (Mendelian inheritance with the
// stepwise mutation model), degrade copies (allele drop-out, lost loci), and measure familial
// search (rank 1 of the true parent, of the true sibling), moderate-stringency false hits over
// all unrelated pairs, and the kinship LRs of true vs unrelated pairs.
#ifndef IDREG_DNA_FAMILIAL_EVAL_H_
#define IDREG_DNA_FAMILIAL_EVAL_H_

#include <cstdint>
#include <random>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/parameters.h"
#include "idreg/dna/str_profile.h"

namespace idreg::dna {

// A child: at each locus typed in both parents, one allele from each, each mutated with
// `mutation_rate` by one repeat up or down. Parents must be single-source.
StrProfile SimulateChild(const StrProfile& mother, const StrProfile& father, double mutation_rate,
                         std::mt19937_64& rng, std::string id);

// A degraded copy: each locus lost with `missing_locus`; at a heterozygous locus each allele drops
// out with `dropout` (never both: the locus then becomes a single allele).
StrProfile Degrade(const StrProfile& p, double dropout, double missing_locus, std::mt19937_64& rng);

struct FamilialEvalOptions {
  uint64_t seed = 1;
  int families = kEvalFamilies;
  size_t max_people = 0;  // 0: all
  double dropout = kEvalDropout;
  double missing_locus = kEvalMissingLocus;
  double mutation_rate = kMutationRate;
  int min_loci = kDefaultMinLoci;
};

struct Log10Summary {
  size_t count = 0;
  double min = 0, p05 = 0, median = 0, p95 = 0, max = 0;
  double above_zero = 0;  // fraction with LR > 1
};

struct FamilialEvalReport {
  size_t people = 0;
  int families = 0;
  double parent_rank1 = 0;    // fraction of degraded children whose rank 1 is a true parent
  double sibling_rank1 = 0;   // fraction of degraded siblings whose rank 1 is the true sibling
  size_t unrelated_pairs = 0;
  size_t moderate_false_hits = 0;           // real unrelated pairs agreeing at moderate stringency
  size_t degraded_pairs = 0;
  size_t degraded_moderate_false_hits = 0;  // degraded copies vs every other real person
  Log10Summary parent_true, parent_unrelated, sibling_true, sibling_unrelated;
};

// People are matched to a table by their population (`AA` finds `AfAm`). InvalidArgument when a
// person's population has no table or fewer than 4 people are given.
Result<FamilialEvalReport> EvaluateFamilial(const std::vector<StrProfile>& people, const FrequencyTables& tables,
                                            const FamilialEvalOptions& options);

}  // namespace idreg::dna

#endif  // IDREG_DNA_FAMILIAL_EVAL_H_
