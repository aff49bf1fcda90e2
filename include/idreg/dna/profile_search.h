// 1:N search of STR profiles at the three CODIS stringencies, per locus compared (typed in both):
//  - high: the same alleles;
//  - moderate: the alleles of one profile all contained in the other (partial and mixed profiles);
//  - low: at least one allele shared.
// A hit needs every compared locus to agree and at least `min_loci` compared. The gallery keeps
// each locus as a column of 64-bit allele sets (bit-parallel: a containment test is two ANDs),
// scans the probe's most selective locus first and leaves a candidate at its first failing locus;
// hits are confirmed by the plain comparison, then ranked by their match weight.
#ifndef IDREG_DNA_PROFILE_SEARCH_H_
#define IDREG_DNA_PROFILE_SEARCH_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/parameters.h"
#include "idreg/dna/str_profile.h"

namespace idreg::dna {

enum class Stringency { kHigh, kModerate, kLow };

Result<Stringency> ParseStringency(std::string_view name);  // "high", "moderate", "low"
std::string_view StringencyName(Stringency s);

// The plain reference: true when two genotypes agree at the given stringency.
bool GenotypesAgree(const LocusGenotype& a, const LocusGenotype& b, Stringency s);

struct Comparison {
  bool agree = false;     // every compared locus agrees
  int loci_compared = 0;
};
Comparison CompareProfiles(const StrProfile& probe, const StrProfile& candidate, Stringency s);

// The match weight of a hit: per compared locus, 1 / the probability that a random person would
// agree there as well: identical genotypes 1/(NRC II 4.10), containment 1/(sum p of the larger
// set)^2, a shared allele 1/(1-(1-sum p shared)^2). For an identical single-source locus it is the
// single-source likelihood ratio; returned as log10.
double MatchWeightLog10(const StrProfile& probe, const StrProfile& candidate, const PopulationFrequencies& freqs,
                        double theta);

struct SearchOptions {
  Stringency stringency = Stringency::kModerate;
  int min_loci = kDefaultMinLoci;
  size_t max_hits = 100;
  double theta = 0.01;
};

struct SearchHit {
  size_t index = 0;  // into the gallery
  int loci_compared = 0;
  double log10_lr = 0;
};

class DnaGallery {
 public:
  void Add(StrProfile profile);
  size_t size() const { return profiles_.size(); }
  const StrProfile& profile(size_t i) const { return profiles_[i]; }
  const std::vector<StrProfile>& profiles() const { return profiles_; }

  // The indexes of every profile agreeing with the probe (bit-parallel scan, then confirmed),
  // in gallery order. Thread-safe against other const calls.
  std::vector<size_t> Matches(const StrProfile& probe, Stringency s, int min_loci) const;

  // Matches ranked by match weight (highest first), at most options.max_hits.
  std::vector<SearchHit> Search(const StrProfile& probe, const SearchOptions& options,
                                const PopulationFrequencies& freqs) const;

 private:
  // The allele set as bits; an allele outside the dictionary maps to the shared bit 63, so a
  // mask test can only let extra candidates through, never lose one.
  uint64_t MaskOf(LocusId locus, const std::vector<Allele>& alleles) const;

  std::vector<StrProfile> profiles_;
  std::vector<uint32_t> typed_;                               // typed loci per profile
  std::array<std::vector<uint64_t>, kLocusCount> columns_;    // allele set per profile; 0: untyped
  std::array<std::vector<Allele>, kLocusCount> dictionary_;   // allele -> bit; beyond 63: bit 63
};

}  // namespace idreg::dna

#endif  // IDREG_DNA_PROFILE_SEARCH_H_
