// DnaSampleGallery on NIST 1036 genotypes: a profile finds itself, a partial profile finds its
// source, selectors and removal hold, and Score reports exclusions.
#include <gtest/gtest.h>

#include "idreg/dna/match_statistics.h"
#include "idreg/match/dna_gallery.h"
#include "match/match_test_support.h"

namespace idreg::match {
namespace {

class DnaGalleryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    people_ = testing::NistProfiles();
    if (people_.size() < 200) GTEST_SKIP() << "missing " << testing::GenotypesPath();
    people_.resize(200);
    freqs_ = std::make_shared<dna::PopulationFrequencies>(
        dna::FrequencyTables::FromProfiles(testing::NistProfiles(), "all").populations().front());
    gallery_ = std::make_unique<DnaSampleGallery>(DnaGalleryOptions{{}, freqs_});
    std::vector<SampleKey> keys;
    for (size_t i = 0; i < people_.size(); ++i) {
      ids_.push_back(ProfileId::Random());
      keys.push_back({ids_.back(), Id::Random(), "profile"});
    }
    ASSERT_TRUE(gallery_->Add(keys, people_).ok());
  }
  std::vector<dna::StrProfile> people_;
  std::shared_ptr<dna::PopulationFrequencies> freqs_;
  std::unique_ptr<DnaSampleGallery> gallery_;
  std::vector<ProfileId> ids_;
};

TEST_F(DnaGalleryTest, FullAndPartialProfilesFindTheirSource) {
  dna::StrProfile partial = people_[17];
  partial.loci.resize(9);  // a degraded sample typed at 9 loci
  std::vector<dna::StrProfile> probes{people_[5], partial};
  CandidateLists lists = gallery_->Search(probes, 5, Selector::Everyone());
  ASSERT_EQ(lists[0].size(), 1u);  // unrelated people never agree at 29 loci
  EXPECT_EQ(lists[0][0].profile, ids_[5]);
  EXPECT_GT(lists[0][0].score, 20);  // log10 LR of a full profile
  ASSERT_GE(lists[1].size(), 1u);
  EXPECT_EQ(lists[1][0].profile, ids_[17]);
  EXPECT_LT(lists[1][0].score, lists[0][0].score);
}

TEST_F(DnaGalleryTest, SelectorRemovalAndExclusions) {
  std::vector<dna::StrProfile> probes{people_[5]};
  EXPECT_TRUE(gallery_->Search(probes, 5, Selector::Profiles({ids_[6]}))[0].empty());
  const ProfileId ids[] = {ids_[5], ids_[6]};
  CandidateLists s = gallery_->Score(probes, ids);
  ASSERT_EQ(s[0].size(), 2u);
  for (const Candidate& c : s[0]) {
    if (c.profile == ids_[6]) {
      EXPECT_EQ(c.score, kDnaExclusionLog10);
    }
    if (c.profile == ids_[5]) {
      EXPECT_GT(c.score, 20);
    }
  }
  // Remove enough to force a rebuild of the column index, then search again.
  std::vector<ProfileId> gone(ids_.begin(), ids_.begin() + 60);
  ASSERT_TRUE(gallery_->Remove(gone).ok());
  EXPECT_EQ(gallery_->samples(), 140u);
  EXPECT_TRUE(gallery_->Search(probes, 5, Selector::Everyone())[0].empty());
  std::vector<dna::StrProfile> p70{people_[70]};
  auto l = gallery_->Search(p70, 5, Selector::Everyone());
  ASSERT_EQ(l[0].size(), 1u);
  EXPECT_EQ(l[0][0].profile, ids_[70]);
  const ProfileId again[] = {ids_[5]};
  EXPECT_EQ(gallery_->Remove(again).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace idreg::match
