// Simulated inheritance, degradation, familial search and the evaluation on a small real subset.
#include <gtest/gtest.h>

#include "dna/dna_test_util.h"
#include "idreg/dna/familial_eval.h"
#include "idreg/dna/kinship.h"
#include "idreg/dna/profile_search.h"

namespace idreg::dna {
namespace {

using testing::MakeProfile;

TEST(InheritanceTest, ChildrenCarryOneAlleleFromEachParent) {
  StrProfile mother = MakeProfile({{"TH01", {"6", "7"}}, {"FGA", {"20"}}, {"vWA", {"15", "16"}}});
  StrProfile father = MakeProfile({{"TH01", {"8", "9.3"}}, {"FGA", {"21", "22"}}});
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) {
    StrProfile child = SimulateChild(mother, father, 0, rng, "c");
    ASSERT_EQ(child.loci.size(), 2u);  // vWA is untyped in the father
    for (const LocusGenotype& g : child.loci) {
      EXPECT_TRUE(GenotypesAgree(g, *mother.Find(g.locus), Stringency::kLow));
      EXPECT_TRUE(GenotypesAgree(g, *father.Find(g.locus), Stringency::kLow));
    }
  }
  StrProfile mutated = SimulateChild(mother, father, 1.0, rng, "m");  // every allele one step off
  EXPECT_FALSE(GenotypesAgree(*mutated.Find(*FindLocus("FGA")), *mother.Find(*FindLocus("FGA")), Stringency::kLow));
}

TEST(InheritanceTest, DegradedCopiesStillMatchAtModerateStringency) {
  StrProfile p = MakeProfile({{"TH01", {"6", "7"}}, {"FGA", {"20", "21"}}, {"vWA", {"15", "16"}}});
  std::mt19937_64 rng(5);
  for (int i = 0; i < 50; ++i) {
    StrProfile d = Degrade(p, 0.5, 0.3, rng);
    EXPECT_TRUE(CompareProfiles(d, p, Stringency::kModerate).agree);
    EXPECT_LE(d.loci.size(), p.loci.size());
  }
}

TEST(FamilialEvalTest, FindsParentsAndSiblingsOnARealSubset) {
  IDREG_DNA_SHARED_OR_SKIP(genotypes, testing::kGenotypes);
  IDREG_DNA_SHARED_OR_SKIP(freqs, testing::kNistFreqs);
  Result<std::vector<StrProfile>> people = ParseNist1036Csv(genotypes);
  Result<FrequencyTables> tables = FrequencyTables::Parse(freqs);
  ASSERT_TRUE(people.ok() && tables.ok());
  FamilialEvalOptions options;
  options.max_people = 150;
  options.families = 25;
  Result<FamilialEvalReport> r = EvaluateFamilial(*people, *tables, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->people, 150u);
  EXPECT_GE(r->parent_rank1, 0.9);
  EXPECT_GE(r->sibling_rank1, 0.8);
  EXPECT_EQ(r->unrelated_pairs, 150u * 149 / 2);
  EXPECT_EQ(r->moderate_false_hits, 0u);
  EXPECT_GT(r->parent_true.median, 4);       // parent-child LRs are large on 29 loci
  EXPECT_LT(r->parent_unrelated.median, 0);  // and below 1 for most unrelated pairs
  EXPECT_GT(r->sibling_true.median, r->sibling_unrelated.p95);
  EXPECT_EQ(r->parent_true.count, 25u);

  std::vector<StrProfile> three(people->begin(), people->begin() + 3);
  EXPECT_FALSE(EvaluateFamilial(three, *tables, options).ok());
}

TEST(FamilialSearchTest, RanksTheTrueParentFirst) {
  IDREG_DNA_SHARED_OR_SKIP(genotypes, testing::kGenotypes);
  IDREG_DNA_SHARED_OR_SKIP(freqs, testing::kNistFreqs);
  Result<std::vector<StrProfile>> people = ParseNist1036Csv(genotypes);
  Result<FrequencyTables> tables = FrequencyTables::Parse(freqs);
  ASSERT_TRUE(people.ok() && tables.ok());
  const PopulationFrequencies& cauc = **tables->Find("Cauc");
  std::vector<StrProfile> cauc_people;
  for (const StrProfile& p : *people) {
    if (p.population == "Cauc" && cauc_people.size() < 200) cauc_people.push_back(p);
  }
  std::mt19937_64 rng(9);
  StrProfile child = SimulateChild(cauc_people[10], cauc_people[20], kMutationRate, rng, "child");
  std::vector<FamilialHit> hits =
      FamilialSearch(child, cauc_people, cauc, Relationship::kParentChild, KinshipOptions{}, 5);
  ASSERT_EQ(hits.size(), 5u);
  EXPECT_TRUE(hits[0].index == 10 || hits[0].index == 20);
  EXPECT_TRUE(hits[1].index == 10 || hits[1].index == 20);
  EXPECT_GT(hits[1].log10_lr, 3);
  EXPECT_LT(hits[2].log10_lr, hits[1].log10_lr - 3);
}

}  // namespace
}  // namespace idreg::dna
