// Frequency tables (both layouts, checks, the 5/2N minimum) and NRC II 4.1 / 4.10 statistics
// against values worked out by hand from the published formulas.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dna/dna_test_util.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/match_statistics.h"

namespace idreg::dna {
namespace {

using testing::MakeProfile;

// TH01 typed on 200 alleles, FGA on 100; a Y marker column that must be skipped.
constexpr const char* kWide =
    "TEST ALLELE FREQUENCIES,,,,\n"
    "Allele,TH01,FGA,Y indel,Allele\n"
    "2,,,0.5,2\n"
    "6,0.2,,,6\n"
    "7,0.5,,,7\n"
    "9.3,0.3,,,9.3\n"
    "21,,0.6,,21\n"
    "22,,0.4,,22\n"
    "23,,0,,23\n"
    "Allele,TH01,FGA,Y indel,Allele\n"
    "N,200,100,50,\n"
    "Where N = number of alleles typed,,,,\n"
    ",,,,\n";

constexpr const char* kLong =
    "population,locus,allele,count,n_alleles,frequency\n"
    "P1,TH01,6,40,200,0.2\n"
    "P1,TH01,9.3,160,200,0.8\n"
    "P2,TH01,6,10,100,1.0\n";

FrequencyTables Parsed(const char* csv) {
  Result<FrequencyTables> t = FrequencyTables::Parse(csv);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : FrequencyTables();
}

TEST(AlleleFrequenciesTest, ReadsTheWideLayoutWithTheMinimumFrequency) {
  FrequencyTables t = Parsed(kWide);
  ASSERT_EQ(t.populations().size(), 1u);
  const PopulationFrequencies& pop = **t.Find("test");
  const LocusFrequencies& th01 = pop.loci[*FindLocus("TH01")];
  EXPECT_DOUBLE_EQ(th01.alleles_typed, 200);
  EXPECT_DOUBLE_EQ(th01.Of(*ParseAllele("9.3")), 0.3);
  EXPECT_DOUBLE_EQ(th01.Of(*ParseAllele("10")), 5.0 / 200);        // unseen: 5/(2N)
  const LocusFrequencies& fga = pop.loci[*FindLocus("FGA")];
  EXPECT_DOUBLE_EQ(fga.Of(*ParseAllele("23")), 5.0 / 100);         // listed as 0
  EXPECT_FALSE(pop.Has(*FindLocus("vWA")));
}

TEST(AlleleFrequenciesTest, ReadsTheLongLayoutByPopulation) {
  FrequencyTables t = Parsed(kLong);
  ASSERT_EQ(t.populations().size(), 2u);
  EXPECT_DOUBLE_EQ((*t.Find("p2"))->loci[*FindLocus("TH01")].Of(*ParseAllele("6")), 1.0);
  Result<const PopulationFrequencies*> none = t.Find("Martian");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("it has: P1, P2"), std::string::npos);
}

TEST(AlleleFrequenciesTest, RejectsBadTablesNamingWhere) {
  struct Case {
    const char* csv;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"", "empty frequency table"},
           {"population,locus,allele,count,n_alleles,frequency\nP,TH01,6,1,10,0.9\n",
            "population P, locus TH01: frequencies sum to 0.9"},
           {"population,locus,allele,count,n_alleles,frequency\nP,D99,6,1,10,1\n", "line 2, column 2: unknown locus"},
           {"population,locus,allele,count,n_alleles,frequency\nP,TH01,x,1,10,1\n", "line 2, column 3: allele 'x'"},
           {"population,locus,allele,count,n_alleles,frequency\nP,TH01,6,1,10,abc\n",
            "line 2, column 6: frequency 'abc' is not a non-negative number"},
           {"population,locus,allele,count,n_alleles,frequency\nP,TH01,6,1,10,1.5\n", "frequency above 1"},
           {"population,locus,allele,count,n_alleles,frequency\nP,TH01,6,1,10,0.5\nP,TH01,6,1,10,0.5\n",
            "allele 6 of TH01 listed twice"},
           {"population,locus,allele,count,n_alleles,frequency\nP,TH01,6,1\n", "expected 6 columns"},
           {"Some title\n", "ALLELE FREQUENCIES"},
           {"X ALLELE FREQUENCIES\nAllele,TH01\n6,1\n", "no 'N' row"},
           {"X ALLELE FREQUENCIES\nAllele,TH01\n6,0.5\n7,0.4\nN,100\n", "frequencies sum to 0.9"},
           {"X ALLELE FREQUENCIES\nAllele,TH01\n6,1\nN,\n", "no number of alleles typed"},
       }) {
    Result<FrequencyTables> r = FrequencyTables::Parse(c.csv);
    ASSERT_FALSE(r.ok()) << c.csv;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << c.csv << " -> " << r.status().message();
  }
}

TEST(MatchStatisticsTest, PerLocusValuesFollowNrcTwo) {
  // Worked by hand: TH01 6/9.3 with p=0.2, q=0.3; FGA 21/21 with p=0.6; theta 0.01.
  EXPECT_DOUBLE_EQ(HeterozygoteRmp(0.2, 0.3), 2 * 0.2 * 0.3);
  EXPECT_DOUBLE_EQ(HomozygoteRmp(0.6, 0.01), 0.6 * 0.6 + 0.6 * 0.4 * 0.01);
  EXPECT_NEAR(HeterozygoteConditional(0.2, 0.3, 0.01), 0.123968161522, 1e-12);
  EXPECT_NEAR(HomozygoteConditional(0.6, 0.01), 0.371904484566, 1e-12);
  EXPECT_DOUBLE_EQ(HomozygoteConditional(0.6, 0), 0.36);  // theta 0: the product rule

  FrequencyTables t = Parsed(kWide);
  StrProfile p = MakeProfile({{"TH01", {"6", "9.3"}}, {"FGA", {"21"}}, {"vWA", {"16", "17"}}});
  Result<MatchStatistics> m = ComputeMatchStatistics(p, **t.Find("TEST"), 0.01);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->loci.size(), 2u);
  ASSERT_EQ(m->skipped.size(), 1u);  // vWA is not in the table
  EXPECT_EQ(m->loci[0].formula, "p^2+p(1-p)theta");  // FGA comes before TH01 in locus order
  EXPECT_NEAR(m->loci[0].rmp, 0.3624, 1e-12);
  EXPECT_EQ(m->loci[1].formula, "2pq");
  EXPECT_NEAR(m->loci[1].rmp, 0.12, 1e-12);
  EXPECT_NEAR(m->combined_rmp, 0.3624 * 0.12, 1e-12);
  EXPECT_NEAR(m->combined_lr, 1 / (0.123968161522 * 0.371904484566), 1e-6);
  EXPECT_EQ(OneIn(m->combined_rmp), "1 in 23");
  EXPECT_EQ(OneIn(1e-6 / 1.25), "1 in 1,250,000");
  EXPECT_EQ(OneIn(1e-22 / 3.2), "1 in 3.2e+22");
}

TEST(MatchStatisticsTest, MixturesUseTheProbabilityOfInclusion) {
  FrequencyTables t = Parsed(kWide);
  StrProfile p = MakeProfile({{"TH01", {"6", "7", "9.3"}}});
  Result<MatchStatistics> m = ComputeMatchStatistics(p, **t.Find("TEST"), 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->loci[0].formula, "cpi");
  EXPECT_NEAR(m->loci[0].rmp, 1.0, 1e-12);  // the three alleles are the whole locus
}

TEST(MatchStatisticsTest, RejectsProfilesTheTableCannotWeigh) {
  FrequencyTables t = Parsed(kWide);
  Result<MatchStatistics> none = ComputeMatchStatistics(MakeProfile({{"vWA", {"16"}}}), **t.Find("TEST"), 0.01);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no locus in common"), std::string::npos);
  EXPECT_FALSE(ComputeMatchStatistics(StrProfile(), **t.Find("TEST"), 0.01).ok());
  EXPECT_FALSE(ComputeMatchStatistics(MakeProfile({{"TH01", {"6"}}}), **t.Find("TEST"), -0.1).ok());
}

TEST(MatchStatisticsTest, RealCodis20ProfilesAreOfTheOrderOneIn1e22) {
  IDREG_DNA_SHARED_OR_SKIP(genotypes, testing::kGenotypes);
  IDREG_DNA_SHARED_OR_SKIP(fbi, testing::kFbiCaucasian);
  Result<FrequencyTables> t = FrequencyTables::Parse(fbi);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Result<std::vector<StrProfile>> people = ParseNist1036Csv(genotypes);
  ASSERT_TRUE(people.ok());
  std::vector<double> log10s;
  for (const StrProfile& full : *people) {
    if (full.population != "Cauc") continue;
    StrProfile codis;
    for (const LocusGenotype& g : full.loci) {
      if (IsCodisCore(g.locus)) {
        ASSERT_TRUE(codis.AddLocus(g.locus, g.alleles).ok());
      }
    }
    if (codis.loci.size() != 20) continue;
    Result<MatchStatistics> m = ComputeMatchStatistics(codis, **t->Find("Caucasian"), 0.01);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(m->loci.size(), 20u);
    log10s.push_back(std::log10(m->combined_rmp));
  }
  ASSERT_GT(log10s.size(), 300u);
  std::sort(log10s.begin(), log10s.end());
  // "Of the order 1e-20 to 1e-26": the median's order of magnitude. Measured here: 1e-26.2 (with the
  // NIST table instead of the FBI one, 1e-26.0), from 1e-32 to 1e-21 over the 361 people.
  double median = log10s[log10s.size() / 2];
  EXPECT_GE(std::round(median), -26) << median;
  EXPECT_LE(std::round(median), -20) << median;
}

TEST(AlleleFrequenciesTest, RealTablesSumToOne) {
  IDREG_DNA_SHARED_OR_SKIP(nist, testing::kNistFreqs);
  Result<FrequencyTables> t = FrequencyTables::Parse(nist);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->populations().size(), 4u);
  EXPECT_TRUE(t->Find("AA").ok());  // the genotype file's code for AfAm
  const PopulationFrequencies& cauc = **t->Find("Cauc");
  for (int l = 0; l < kLocusCount; ++l) EXPECT_TRUE(cauc.Has(static_cast<LocusId>(l))) << LocusName(l);
}

}  // namespace
}  // namespace idreg::dna
