// Stringency rules by hand, and the bit-parallel gallery against the plain comparison on
// synthetic databases (partial, mixed, more than 63 alleles at a locus).
#include <gtest/gtest.h>

#include <random>

#include "dna/dna_test_util.h"
#include "idreg/dna/profile_search.h"

namespace idreg::dna {
namespace {

using testing::MakeProfile;

TEST(StringencyTest, RulesPerLocus) {
  auto g = [](std::vector<std::string> a) { return MakeProfile({{"TH01", a}}).loci[0]; };
  EXPECT_TRUE(GenotypesAgree(g({"6", "7"}), g({"7", "6"}), Stringency::kHigh));
  EXPECT_FALSE(GenotypesAgree(g({"6"}), g({"6", "7"}), Stringency::kHigh));
  EXPECT_TRUE(GenotypesAgree(g({"6"}), g({"6", "7"}), Stringency::kModerate));         // drop-out
  EXPECT_TRUE(GenotypesAgree(g({"6", "7", "8"}), g({"6", "8"}), Stringency::kModerate));  // mixture
  EXPECT_FALSE(GenotypesAgree(g({"6", "9"}), g({"6", "8"}), Stringency::kModerate));
  EXPECT_TRUE(GenotypesAgree(g({"6", "9"}), g({"6", "8"}), Stringency::kLow));
  EXPECT_FALSE(GenotypesAgree(g({"7", "9"}), g({"6", "8"}), Stringency::kLow));
  EXPECT_EQ(*ParseStringency("low"), Stringency::kLow);
  EXPECT_FALSE(ParseStringency("medium").ok());
}

TEST(StringencyTest, MinimumLociAndMissingLoci) {
  StrProfile a = MakeProfile({{"TH01", {"6", "7"}}, {"FGA", {"21"}}, {"vWA", {"16", "17"}}});
  StrProfile b = MakeProfile({{"TH01", {"6", "7"}}, {"FGA", {"21", "22"}}, {"TPOX", {"8"}}});
  Comparison c = CompareProfiles(a, b, Stringency::kModerate);
  EXPECT_TRUE(c.agree);
  EXPECT_EQ(c.loci_compared, 2);
  EXPECT_FALSE(CompareProfiles(a, b, Stringency::kHigh).agree);
  DnaGallery gallery;
  gallery.Add(b);
  EXPECT_EQ(gallery.Matches(a, Stringency::kModerate, 2).size(), 1u);
  EXPECT_EQ(gallery.Matches(a, Stringency::kModerate, 3).size(), 0u);
}

// Random profiles over a few loci with few alleles, so that every stringency has hits.
StrProfile RandomProfile(std::mt19937_64& rng, int alleles_per_locus) {
  StrProfile p;
  std::uniform_int_distribution<int> allele(1, alleles_per_locus), count(1, 3), coin(0, 9);
  for (LocusId l = 0; l < 10; ++l) {
    if (coin(rng) == 0) continue;  // a missing locus
    int n = coin(rng) == 0 ? count(rng) : std::min(2, count(rng));
    std::vector<Allele> list;
    for (int i = 0; i < n; ++i) list.push_back(Allele{static_cast<uint16_t>(allele(rng) * 10 + (l == 3 ? 3 : 0))});
    EXPECT_TRUE(p.AddLocus(l, list).ok());
  }
  return p;
}

void ExpectGalleryEqualsReference(int alleles_per_locus, uint64_t seed) {
  std::mt19937_64 rng(seed);
  DnaGallery gallery;
  std::vector<StrProfile> db;
  for (int i = 0; i < 3000; ++i) {
    db.push_back(RandomProfile(rng, alleles_per_locus));
    gallery.Add(db.back());
  }
  size_t total = 0;
  for (int q = 0; q < 40; ++q) {
    StrProfile probe = q % 2 ? db[static_cast<size_t>(q) * 7] : RandomProfile(rng, alleles_per_locus);
    for (Stringency s : {Stringency::kHigh, Stringency::kModerate, Stringency::kLow}) {
      for (int min_loci : {0, 3, 6}) {
        std::vector<size_t> expected;
        for (size_t i = 0; i < db.size(); ++i) {
          Comparison c = CompareProfiles(probe, db[i], s);
          if (c.agree && c.loci_compared >= min_loci) expected.push_back(i);
        }
        EXPECT_EQ(gallery.Matches(probe, s, min_loci), expected) << StringencyName(s) << " min " << min_loci;
        total += expected.size();
      }
    }
  }
  EXPECT_GT(total, 100u);  // the comparison saw hits, not only misses
}

TEST(DnaGalleryTest, BitParallelScanEqualsThePlainComparison) { ExpectGalleryEqualsReference(4, 7); }

TEST(DnaGalleryTest, LociWithMoreThan63AllelesShareAnOverflowBitWithoutFalseHits) {
  ExpectGalleryEqualsReference(90, 11);
}

TEST(DnaGalleryTest, SearchRanksTheIdenticalProfileAboveAPartialMatch) {
  PopulationFrequencies pop;
  pop.name = "toy";
  LocusFrequencies& th01 = pop.loci[*FindLocus("TH01")];
  th01.present = true;
  th01.alleles_typed = 100;
  th01.frequency = {{*ParseAllele("6"), 0.5}, {*ParseAllele("7"), 0.5}};
  DnaGallery gallery;
  gallery.Add(MakeProfile({{"TH01", {"6"}}}, "partial"));
  gallery.Add(MakeProfile({{"TH01", {"6", "7"}}}, "same"));
  gallery.Add(MakeProfile({{"TH01", {"8", "9"}}}, "other"));
  SearchOptions options;
  options.min_loci = 1;
  std::vector<SearchHit> hits = gallery.Search(MakeProfile({{"TH01", {"6", "7"}}}), options, pop);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(gallery.profile(hits[0].index).id, "same");
  EXPECT_GT(hits[0].log10_lr, hits[1].log10_lr);
}

}  // namespace
}  // namespace idreg::dna
