// Kinship LRs against the textbook per-locus forms (theta 0 unless said), the theta and
// mutation variants, and familial search ranking a true relative first.
#include <gtest/gtest.h>

#include <cmath>

#include "dna/dna_test_util.h"
#include "idreg/dna/kinship.h"

namespace idreg::dna {
namespace {

using testing::MakeProfile;

// One locus, TH01: allele a=6 (p 0.1), b=7 (0.2), c=8 (0.3), d=9 (0.4); 1000 alleles typed.
class KinshipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.present = true;
    f_.alleles_typed = 1000;
    for (const auto& [a, p] : {std::pair{"6", 0.1}, {"7", 0.2}, {"8", 0.3}, {"9", 0.4}}) f_.frequency[*ParseAllele(a)] = p;
  }
  double Lr(std::vector<std::string> a, std::vector<std::string> b, Relationship r, double theta = 0,
            double mu = 0) {
    StrProfile x = MakeProfile({{"TH01", a}}), y = MakeProfile({{"TH01", b}});
    return LocusKinshipLr(x.loci[0], y.loci[0], f_, r, KinshipOptions{theta, mu});
  }
  LocusFrequencies f_;
  const double pa = 0.1, pb = 0.2, pc = 0.3;
};

TEST_F(KinshipTest, IbdCoefficients) {
  Ibd fs = IbdCoefficients(Relationship::kFullSibling);
  EXPECT_DOUBLE_EQ(fs.k0 + fs.k1 + fs.k2, 1);
  EXPECT_DOUBLE_EQ(IbdCoefficients(Relationship::kFirstCousin).k1, 0.25);
  EXPECT_EQ(*ParseRelationship("avuncular"), Relationship::kHalfSibling);
  EXPECT_FALSE(ParseRelationship("cousin-ish").ok());
}

TEST_F(KinshipTest, ParentChild) {
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "8"}, Relationship::kParentChild), 1 / (4 * pa), 1e-12);
  EXPECT_NEAR(Lr({"6"}, {"6", "7"}, Relationship::kParentChild), 1 / (2 * pa), 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"6"}, Relationship::kParentChild), 1 / (2 * pa), 1e-12);
  EXPECT_NEAR(Lr({"6"}, {"6"}, Relationship::kParentChild), 1 / pa, 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "7"}, Relationship::kParentChild), (pa + pb) / (4 * pa * pb), 1e-12);
  EXPECT_DOUBLE_EQ(Lr({"6", "7"}, {"8", "9"}, Relationship::kParentChild), 0);  // exclusion without mutation
  // Theta: (1+2t) / (4[t+(1-t)pa]) (Buckleton et al., Forensic DNA Evidence Interpretation, ch. 10).
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "8"}, Relationship::kParentChild, 0.03), 1.06 / (4 * (0.03 + 0.97 * pa)), 1e-12);
}

TEST_F(KinshipTest, ParentChildMutationTurnsAnExclusionIntoASmallLr) {
  const double mu = 0.002;
  // Parent 6/6, child 7/9: the 7 is the parent's 6 one step up (mu/2), or the 9 three steps up.
  double expected = ((mu / 2) * 0.4 + (mu / 2) * 0.01 * pb) / (2 * pb * 0.4);
  EXPECT_NEAR(Lr({"6"}, {"7", "9"}, Relationship::kParentChild, 0, mu), expected, 1e-12);
  // A consistent pair loses only the factor (1 - mu) plus a small mutation term.
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "8"}, Relationship::kParentChild, 0, mu), 1 / (4 * pa), 0.01 / (4 * pa));
}

TEST_F(KinshipTest, FullSiblings) {
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "7"}, Relationship::kFullSibling), (1 + pa + pb + 2 * pa * pb) / (8 * pa * pb),
              1e-12);
  EXPECT_NEAR(Lr({"6"}, {"6"}, Relationship::kFullSibling), (1 + pa) * (1 + pa) / (4 * pa * pa), 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "8"}, Relationship::kFullSibling), (1 + 2 * pa) / (8 * pa), 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"8", "9"}, Relationship::kFullSibling), 0.25, 1e-12);
}

TEST_F(KinshipTest, HalfSiblingsAndFirstCousins) {
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "8"}, Relationship::kHalfSibling), (1 + 4 * pa) / (8 * pa), 1e-12);
  EXPECT_NEAR(Lr({"6"}, {"6"}, Relationship::kHalfSibling), 0.5 + 0.5 / pa, 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"8", "9"}, Relationship::kHalfSibling), 0.5, 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"6", "8"}, Relationship::kFirstCousin), 0.75 + 1 / (16 * pa), 1e-12);
  EXPECT_NEAR(Lr({"6", "7"}, {"8", "9"}, Relationship::kFirstCousin), 0.75, 1e-12);
}

TEST_F(KinshipTest, CombinesLociAndRejectsWhatCannotBeCompared) {
  PopulationFrequencies pop;
  pop.name = "toy";
  pop.loci[*FindLocus("TH01")] = f_;
  StrProfile a = MakeProfile({{"TH01", {"6", "7"}}, {"FGA", {"20", "21"}}});
  StrProfile b = MakeProfile({{"TH01", {"6", "8"}}, {"FGA", {"22"}}});
  Result<KinshipResult> k = ComputeKinship(a, b, pop, Relationship::kFullSibling, {});
  ASSERT_TRUE(k.ok());
  ASSERT_EQ(k->loci.size(), 1u);  // FGA is not in the table
  EXPECT_NEAR(k->log10_lr, std::log10((1 + 2 * pa) / (8 * pa)), 1e-12);
  StrProfile other = MakeProfile({{"FGA", {"22"}}});
  Result<KinshipResult> none = ComputeKinship(a, other, pop, Relationship::kFullSibling, {});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("share no single-source locus"), std::string::npos);
  EXPECT_FALSE(ComputeKinship(a, b, pop, Relationship::kFullSibling, KinshipOptions{0.5, 0}).ok());
}

}  // namespace
}  // namespace idreg::dna
