// FingerGallery on real FVC2002 templates: search agrees with brute force, selectors restrict,
// removal and positions behave, and the thread count does not change results.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "idreg/finger/matcher.h"
#include "idreg/match/finger_gallery.h"
#include "match/match_test_support.h"

namespace idreg::match {
namespace {

using testing::FvcPath;
using testing::FvcTemplate;

// Six fingers keep the test fast under the sanitizers; FVC2002 DB1_B holds 101..110.
constexpr int kLast = 106;

class FingerGalleryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int f = 101; f <= kLast; ++f) {
      for (int i = 1; i <= 3; ++i) {
        auto t = FvcTemplate("DB1_B", f, i);
        if (!t) GTEST_SKIP() << "missing " << FvcPath("DB1_B", f, i);
        templates_[{f, i}] = *t;
      }
      ids_[f] = ProfileId::Random();
    }
  }
  // Impressions 1 and 2 of every finger, as right_index samples.
  void Fill(FingerGallery& g) {
    std::vector<SampleKey> keys;
    std::vector<finger::FingerTemplate> ts;
    for (int f = 101; f <= kLast; ++f) {
      for (int i = 1; i <= 2; ++i) {
        keys.push_back({ids_[f], Id::Random(), "right_index"});
        ts.push_back(templates_[{f, i}]);
      }
    }
    ASSERT_TRUE(g.Add(keys, ts).ok());
  }
  std::vector<FingerProbeSample> Probes(const std::string& position = "") {
    std::vector<FingerProbeSample> probes;
    for (int f = 101; f <= kLast; ++f) probes.push_back({templates_[{f, 3}], position});
    return probes;
  }

  std::map<std::pair<int, int>, finger::FingerTemplate> templates_;
  std::map<int, ProfileId> ids_;
};

TEST_F(FingerGalleryTest, SearchEqualsBruteForceAndFindsMates) {
  FingerGallery g;
  Fill(g);
  EXPECT_EQ(g.samples(), 12u);
  EXPECT_EQ(g.profiles(), 6u);
  auto probes = Probes();
  CandidateLists lists = g.Search(probes, 3, Selector::Everyone());
  ASSERT_EQ(lists.size(), 6u);
  int rank1 = 0;
  for (int f = 101; f <= kLast; ++f) {
    const auto& got = lists[static_cast<size_t>(f - 101)];
    ASSERT_EQ(got.size(), 3u);
    // Brute force: each profile's best sample.
    const finger::FingerProbe probe(templates_[{f, 3}]);
    std::vector<std::pair<double, ProfileId>> brute;
    for (int r = 101; r <= kLast; ++r) {
      double best = std::max(probe.Match(finger::SearchTemplate(templates_[{r, 1}])),
                             probe.Match(finger::SearchTemplate(templates_[{r, 2}])));
      brute.push_back({best, ids_[r]});
    }
    std::sort(brute.begin(), brute.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_FLOAT_EQ(got[i].score, brute[i].first);
      EXPECT_EQ(got[i].profile, brute[i].second);
      EXPECT_EQ(got[i].position, "right_index");
    }
    rank1 += got[0].profile == ids_[f];
  }
  // MCC on FVC2002 DB1_B finds most mates at rank 1.
  EXPECT_GE(rank1, 5);
}

TEST_F(FingerGalleryTest, ThreadCountDoesNotChangeResults) {
  FingerGallery one(FingerGalleryOptions{1}), four(FingerGalleryOptions{4});
  Fill(one);
  // The same keys are needed for equal results: copy by re-adding with the same ids.
  std::vector<SampleKey> keys;
  std::vector<finger::FingerTemplate> ts;
  auto probes = Probes();
  CandidateLists a = one.Search(probes, 10, Selector::Everyone());
  for (int f = 101; f <= kLast; ++f) {
    for (int i = 1; i <= 2; ++i) {
      keys.push_back({ids_[f], Id::Random(), "right_index"});
      ts.push_back(templates_[{f, i}]);
    }
  }
  ASSERT_TRUE(four.Add(keys, ts).ok());
  CandidateLists b = four.Search(probes, 10, Selector::Everyone());
  for (size_t p = 0; p < a.size(); ++p) {
    ASSERT_EQ(a[p].size(), b[p].size());
    for (size_t i = 0; i < a[p].size(); ++i) {
      EXPECT_EQ(a[p][i].profile, b[p][i].profile);
      EXPECT_EQ(a[p][i].score, b[p][i].score);
    }
  }
}

TEST_F(FingerGalleryTest, SelectorRestrictsTheSearch) {
  FingerGallery g;
  Fill(g);
  auto probes = Probes();
  Selector only = Selector::Profiles({ids_[103], ids_[105], ProfileId::Random()});
  CandidateLists lists = g.Search(probes, 10, only);
  for (const auto& l : lists) {
    EXPECT_EQ(l.size(), 2u);
    for (const Candidate& c : l) EXPECT_TRUE(c.profile == ids_[103] || c.profile == ids_[105]);
  }
  EXPECT_EQ(lists[2][0].profile, ids_[103]);
  EXPECT_TRUE(g.Search(probes, 10, Selector::Profiles({})).front().empty());
}

TEST_F(FingerGalleryTest, RemoveDropsEverySampleAndRefusesUnknownIds) {
  FingerGallery g;
  Fill(g);
  const ProfileId gone[] = {ids_[104], ids_[105]};
  ASSERT_TRUE(g.Remove(gone).ok());
  EXPECT_EQ(g.samples(), 8u);
  EXPECT_EQ(g.profiles(), 4u);
  for (const auto& l : g.Search(Probes(), 10, Selector::Everyone())) {
    EXPECT_EQ(l.size(), 4u);
    for (const Candidate& c : l) EXPECT_TRUE(c.profile != ids_[104] && c.profile != ids_[105]);
  }
  const ProfileId unknown[] = {ids_[101], ProfileId::Random()};
  Status s = g.Remove(unknown);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(g.profiles(), 4u) << "a failed removal removes nothing";
}

TEST_F(FingerGalleryTest, DuplicateSampleIdsAndSizeMismatchAreRefused) {
  FingerGallery g;
  const Id sample = Id::Random();
  std::vector<SampleKey> keys{{ids_[101], sample, ""}, {ids_[102], sample, ""}};
  EXPECT_EQ(g.Add(keys, {templates_[{101, 1}], templates_[{102, 1}]}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g.Add(keys, {templates_[{101, 1}]}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g.samples(), 0u);
}

TEST_F(FingerGalleryTest, ProbePositionLimitsComparedFingers) {
  FingerGallery g;
  Fill(g);
  // A left thumb is never compared with right index fingers.
  EXPECT_TRUE(g.Search(Probes("left_thumb"), 10, Selector::Everyone())[0].empty());
  EXPECT_EQ(g.Search(Probes("right_index"), 10, Selector::Everyone())[0].size(), 6u);
  // A gallery sample of unknown position is compared with any probe.
  std::vector<SampleKey> keys{{ids_[101], Id::Random(), ""}};
  ASSERT_TRUE(g.Add(keys, {templates_[{101, 3}]}).ok());
  auto lists = g.Search(Probes("left_thumb"), 10, Selector::Everyone());
  ASSERT_EQ(lists[0].size(), 1u);
  EXPECT_EQ(lists[0][0].profile, ids_[101]);
}

TEST_F(FingerGalleryTest, ScoreReportsEachListedProfilesBestSample) {
  FingerGallery g;
  Fill(g);
  auto probes = Probes();
  const ProfileId ids[] = {ids_[101], ids_[102], ProfileId::Random()};
  CandidateLists s = g.Score(probes, ids);
  ASSERT_EQ(s[0].size(), 2u);
  CandidateLists full = g.Search(probes, 10, Selector::Everyone());
  for (const Candidate& c : s[0]) {
    auto it = std::find_if(full[0].begin(), full[0].end(), [&](const Candidate& x) { return x.profile == c.profile; });
    ASSERT_NE(it, full[0].end());
    EXPECT_EQ(it->score, c.score);
    EXPECT_EQ(it->sample, c.sample);
  }
}

}  // namespace
}  // namespace idreg::match
