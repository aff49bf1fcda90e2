// The engine's two-stage fingerprint search on real FVC2002 templates: finger::FingerGallery's
// tombstones, compaction and filters, and match::FingerGallery with a gallery larger than its
// shortlist finding the same rank-1 as exhaustive MCC.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "idreg/finger/gallery.h"
#include "idreg/finger/matcher.h"
#include "idreg/match/finger_gallery.h"
#include "match/match_test_support.h"

namespace idreg::match {
namespace {

using testing::FvcPath;
using testing::FvcTemplate;

const char* kDbs[] = {"DB1_B", "DB2_B", "DB3_B", "DB4_B"};

// Impressions 1..3 of the 40 fingers of FVC2002 DB1_B..DB4_B, or empty when absent.
struct Fvc {
  std::vector<std::array<finger::FingerTemplate, 3>> fingers;
  std::string missing;
};
const Fvc& Data() {
  static const Fvc data = [] {
    Fvc d;
    for (const char* db : kDbs) {
      for (int f = 101; f <= 110; ++f) {
        std::array<finger::FingerTemplate, 3> t;
        for (int i = 1; i <= 3; ++i) {
          auto r = FvcTemplate(db, f, i);
          if (!r) {
            d.missing = FvcPath(db, f, i);
            return d;
          }
          t[static_cast<size_t>(i - 1)] = *r;
        }
        d.fingers.push_back(t);
      }
    }
    return d;
  }();
  return data;
}

#define REQUIRE_FVC()                                                 \
  if (!Data().missing.empty()) GTEST_SKIP() << "missing " << Data().missing

TEST(FingerGalleryTombstones, RemoveCompactAndFiltersKeepScores) {
  REQUIRE_FVC();
  const auto& d = Data();
  finger::FingerGallery g;
  for (size_t f = 0; f < 12; ++f) g.Add(d.fingers[f][0], static_cast<uint8_t>(f % 3));
  const finger::FingerProbe probe(d.fingers[4][1]);
  finger::FingerGallery::SearchOptions all;
  all.shortlist = 0;
  all.top_k = 100;
  const auto before = g.Search(probe, all, {});
  ASSERT_EQ(before.size(), 12u);
  EXPECT_EQ(before[0].index, 4u) << "the mate ranks first";

  // Tags: only templates tagged 1 (4 of the 12).
  finger::FingerGallery::Filter tag1;
  tag1.OnlyTags({1});
  auto only = g.Search(probe, all, tag1);
  ASSERT_EQ(only.size(), 4u);
  for (const auto& c : only) EXPECT_EQ(c.index % 3, 1u);
  // A subset bitmap: indices 2, 4, 7.
  std::vector<uint64_t> subset{(1u << 2) | (1u << 4) | (1u << 7)};
  finger::FingerGallery::Filter sub;
  sub.subset = &subset;
  auto picked = g.Search(probe, all, sub);
  ASSERT_EQ(picked.size(), 3u);
  EXPECT_EQ(picked[0].index, 4u);
  // The coarse stage honours the filter too.
  const auto coarse = g.CoarseShortlist(finger::MakeCoarseTemplate(probe.search()), 100, 2, tag1);
  EXPECT_EQ(coarse.size(), 4u);

  // Tombstones: removed templates disappear from every search; scores of the others do not move.
  g.Remove(4);
  g.Remove(4);  // twice: no effect
  g.Remove(99);  // out of range: no effect
  g.Remove(9);
  EXPECT_EQ(g.removed(), 2u);
  EXPECT_FALSE(g.alive(4));
  auto after = g.Search(probe, all, {});
  ASSERT_EQ(after.size(), 10u);
  std::map<uint32_t, float> score_of;
  for (const auto& c : before) score_of[c.index] = c.score;
  for (const auto& c : after) {
    EXPECT_NE(c.index, 4u);
    EXPECT_EQ(c.score, score_of[c.index]);
  }
  EXPECT_EQ(g.CoarseShortlist(finger::MakeCoarseTemplate(probe.search()), 100, 1).size(), 10u);

  // Serialising writes the live templates only; compaction keeps order, tags and scores.
  const Bytes bytes = finger::SerializeGallery(g);
  auto parsed = finger::ParseGallery(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->size(), 10u);
  const std::vector<uint32_t> moved = g.Compact();
  ASSERT_EQ(moved.size(), 12u);
  EXPECT_EQ(moved[4], finger::FingerGallery::kRemoved);
  EXPECT_EQ(moved[9], finger::FingerGallery::kRemoved);
  EXPECT_EQ(moved[10], 8u);
  EXPECT_EQ(g.size(), 10u);
  EXPECT_EQ(g.removed(), 0u);
  EXPECT_EQ(finger::SerializeGallery(g), bytes);
  for (uint32_t old = 0; old < 12; ++old) {
    if (moved[old] == finger::FingerGallery::kRemoved) continue;
    EXPECT_EQ(g.tag(moved[old]), old % 3);
  }
  auto compacted = g.Search(probe, all, {});
  ASSERT_EQ(compacted.size(), 10u);
  for (size_t i = 0; i < compacted.size(); ++i) {
    EXPECT_EQ(compacted[i].score, after[i].score);
    EXPECT_EQ(compacted[i].index, moved[after[i].index]);
  }
  // Adding after compaction extends the live bitmap.
  EXPECT_EQ(g.Add(d.fingers[4][0], 1), 10u);
  EXPECT_TRUE(g.alive(10));
  EXPECT_EQ(g.Search(probe, all, {})[0].index, 10u);
}

// 80 templates (impressions 1 and 2 of 40 fingers) with a shortlist of 16 (20%): each finger's third
// impression finds the same rank-1 profile through the two-stage engine gallery as by exhaustive MCC.
TEST(EngineFingerTwoStage, SameRankOneAsExhaustiveOnFvc2002) {
  REQUIRE_FVC();
  const auto& d = Data();
  // prebuilt_limit 0: the large-gallery path (cylinders rebuilt for the shortlist).
  FingerGallery two_stage(FingerGalleryOptions{2, 16, 0});
  std::vector<ProfileId> ids;
  std::vector<SampleKey> keys;
  std::vector<finger::FingerTemplate> ts;
  for (size_t f = 0; f < d.fingers.size(); ++f) {
    ids.push_back(ProfileId::Random());
    for (size_t i = 0; i < 2; ++i) {
      keys.push_back({ids[f], Id::Random(), "right_index"});
      ts.push_back(d.fingers[f][i]);
    }
  }
  ASSERT_TRUE(two_stage.Add(keys, ts).ok());
  ASSERT_EQ(two_stage.samples(), 80u);
  // The exhaustive reference: full MCC of every probe with every template (cylinders built once).
  std::vector<finger::SearchTemplate> prebuilt;
  for (const auto& t : ts) prebuilt.emplace_back(t);
  std::vector<FingerProbeSample> probes;
  for (const auto& f : d.fingers) probes.push_back({f[2], "right_index"});
  std::vector<std::pair<ProfileId, float>> want;  // per probe: rank-1 profile and its score
  for (const auto& p : probes) {
    const finger::FingerProbe prepared(p.tmpl);
    std::pair<ProfileId, float> best{ProfileId(), -1.f};
    for (size_t j = 0; j < prebuilt.size(); ++j) {
      const float s = prepared.Match(prebuilt[j]);
      if (s > best.second) best = {keys[j].profile, s};
    }
    want.push_back(best);
  }
  const CandidateLists got = two_stage.Search(probes, 1, Selector::Everyone());
  int same = 0, correct_two = 0, correct_exh = 0;
  for (size_t p = 0; p < probes.size(); ++p) {
    ASSERT_EQ(got[p].size(), 1u);
    same += got[p][0].profile == want[p].first;
    correct_two += got[p][0].profile == ids[p];
    correct_exh += want[p].first == ids[p];
    // The fine stage is the same full MCC: the same rank-1 has the same score.
    if (got[p][0].profile == want[p].first) {
      EXPECT_FLOAT_EQ(got[p][0].score, want[p].second);
    }
  }
  EXPECT_EQ(same, 40) << "two-stage rank-1 " << correct_two << "/40, exhaustive " << correct_exh << "/40";
  EXPECT_EQ(correct_two, correct_exh);
  EXPECT_GE(correct_exh, 36);

  // A selector larger than the shortlist goes through the coarse stage restricted to its profiles;
  // one no larger is fine-matched whole (exact).
  std::vector<ProfileId> half(ids.begin(), ids.begin() + 20);
  // (Probes 15..24: half of them have their mate among the selected.)
  const std::vector<FingerProbeSample> some(probes.begin() + 15, probes.begin() + 25);
  const CandidateLists sel = two_stage.Search(some, 5, Selector::Profiles(half));
  for (size_t p = 0; p < some.size(); ++p) {
    ASSERT_EQ(sel[p].size(), 5u);
    for (const Candidate& c : sel[p]) EXPECT_LT(std::find(ids.begin(), ids.end(), c.profile) - ids.begin(), 20);
    if (p + 15 < 20) {
      EXPECT_EQ(sel[p][0].profile, want[p + 15].first);
    }
  }
  std::vector<ProfileId> few{ids[3], ids[17], ids[30]};
  const CandidateLists small = two_stage.Search(some, 10, Selector::Profiles(few));
  const CandidateLists scored = two_stage.Score(some, few);
  for (size_t p = 0; p < some.size(); ++p) {
    ASSERT_EQ(small[p].size(), 3u);
    ASSERT_EQ(scored[p].size(), 3u);
    for (const Candidate& c : small[p]) {
      auto it = std::find_if(scored[p].begin(), scored[p].end(), [&](const Candidate& s) { return s.profile == c.profile; });
      ASSERT_NE(it, scored[p].end());
      EXPECT_EQ(it->score, c.score);
    }
  }
  // A probe position limits the coarse stage as the exhaustive one: left_index is in no sample.
  std::vector<FingerProbeSample> left{{d.fingers[0][2], "left_index"}};
  EXPECT_TRUE(two_stage.Search(left, 5, Selector::Everyone())[0].empty());
}

TEST(EngineFingerTwoStage, RemovalCompactsAndKeepsSearchesExact) {
  REQUIRE_FVC();
  const auto& d = Data();
  // Prebuilt search forms kept (the small-gallery path) and not: the same results.
  FingerGallery g(FingerGalleryOptions{2, 4}), rebuilt(FingerGalleryOptions{2, 4, 0});
  std::vector<ProfileId> ids;
  std::vector<SampleKey> keys;
  std::vector<finger::FingerTemplate> ts;
  for (size_t f = 0; f < 12; ++f) {
    ids.push_back(ProfileId::Random());
    keys.push_back({ids[f], Id::Random(), f % 2 ? "right_index" : ""});
    ts.push_back(d.fingers[f][0]);
  }
  ASSERT_TRUE(g.Add(keys, ts).ok());
  ASSERT_TRUE(rebuilt.Add(keys, ts).ok());
  EXPECT_GT(g.MemoryBytes(), rebuilt.MemoryBytes() + 12 * 5000) << "the prebuilt forms are kept";
  // Remove 2 (no compaction: 2 of 12), then 2 more (4 of 12 > a quarter: compaction).
  ASSERT_TRUE(g.Remove(std::vector<ProfileId>{ids[0], ids[5]}).ok());
  ASSERT_TRUE(rebuilt.Remove(std::vector<ProfileId>{ids[0], ids[5], ids[6], ids[7]}).ok());
  EXPECT_EQ(g.samples(), 10u);
  ASSERT_TRUE(g.Remove(std::vector<ProfileId>{ids[6], ids[7]}).ok());
  EXPECT_EQ(g.samples(), 8u);
  EXPECT_EQ(g.profiles(), 8u);
  EXPECT_EQ(g.Remove(std::vector<ProfileId>{ids[6]}).code(), StatusCode::kNotFound);
  for (size_t f : {1, 2, 3, 4, 8, 9, 10, 11}) {
    std::vector<FingerProbeSample> probe{{d.fingers[f][1], ""}};
    auto r = g.Search(probe, 3, Selector::Everyone())[0];
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(r[0].profile, ids[f]) << "finger " << f;
    auto s = g.Score(probe, std::vector<ProfileId>{ids[f]})[0];
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].score, r[0].score);
    auto r2 = rebuilt.Search(probe, 3, Selector::Everyone())[0];
    ASSERT_EQ(r2.size(), r.size());
    for (size_t i = 0; i < r.size(); ++i) {
      EXPECT_EQ(r2[i].profile, r[i].profile);
      EXPECT_EQ(r2[i].score, r[i].score);
    }
    EXPECT_EQ(s[0].position, f % 2 ? "right_index" : "");
  }
  // Re-adding a removed profile's sample id is refused only while it is in the gallery.
  ASSERT_TRUE(g.Add(std::span(&keys[0], 1), {ts[0]}).ok());
  EXPECT_EQ(g.Add(std::span(&keys[0], 1), {ts[0]}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace idreg::match
