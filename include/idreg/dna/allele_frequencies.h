// Allele frequency tables by population, read from the two published CSV layouts:
//  - long (NIST 1036): "population,locus,allele,count,n_alleles,frequency", many populations;
//  - wide (FBI / Moretti 2016): a title row "<POPULATION> ALLELE FREQUENCIES", a row
//    "Allele,<locus>,...", one row per allele, and a row "N,<alleles typed per locus>,...".
// Unseen and rare alleles get the minimum allele frequency 5/(2N) (NRC II, 1996, p. 148),
// 2N being the number of alleles typed at the locus.
#ifndef IDREG_DNA_ALLELE_FREQUENCIES_H_
#define IDREG_DNA_ALLELE_FREQUENCIES_H_

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/dna/allele.h"
#include "idreg/dna/locus.h"
#include "idreg/dna/str_profile.h"

namespace idreg::dna {

struct LocusFrequencies {
  bool present = false;       // the table has this locus
  double alleles_typed = 0;   // 2N
  std::map<Allele, double> frequency;

  // max(table frequency, 5/(2N)); the minimum for an allele the table never saw.
  double Of(Allele a) const;
  double Minimum() const;
};

struct PopulationFrequencies {
  std::string name;
  std::array<LocusFrequencies, kLocusCount> loci;

  bool Has(LocusId l) const { return loci[l].present; }
};

class FrequencyTables {
 public:
  // Detects the layout. Checks that each locus's frequencies sum to 1 within 0.01.
  static Result<FrequencyTables> Parse(std::string_view csv_text);

  // Counts allele frequencies from profiles (mixtures skipped), as one population.
  static FrequencyTables FromProfiles(const std::vector<StrProfile>& profiles, std::string name);

  // By name, ignoring case and non-alphanumerics ("caucasian" finds "CAUCASIAN"; "AA" finds
  // "AfAm", the NIST genotype file's code for the same group). NotFound lists the names.
  Result<const PopulationFrequencies*> Find(std::string_view population) const;

  const std::vector<PopulationFrequencies>& populations() const { return populations_; }

 private:
  std::vector<PopulationFrequencies> populations_;
};

}  // namespace idreg::dna

#endif  // IDREG_DNA_ALLELE_FREQUENCIES_H_
