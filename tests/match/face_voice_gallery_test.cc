// FaceGallery and VoiceSampleGallery on synthetic templates: 1:N search agrees with a brute-force
// scan (scores and top-k), selectors restrict, several samples of one profile count once,
// removals (which move rows inside the face index) keep every mapping right, and the stored face
// template format round-trips and refuses malformed bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "idreg/match/face_gallery.h"
#include "idreg/match/records.h"
#include "idreg/match/voice_gallery.h"
#include "match/face_test_support.h"

namespace idreg::match {
namespace {

using Stored = testing::StoredFace;
using testing::BruteSimilarity;
using testing::BruteTopK;

face::Descriptor RandomDescriptor(std::mt19937& rng) {
  std::normal_distribution<float> n(0, 0.09f);  // about the spread of real descriptors (|d| ~ 1)
  face::Descriptor d;
  for (float& x : d) x = n(rng);
  return d;
}

face::Descriptor Near(const face::Descriptor& d, std::mt19937& rng, float noise) {
  std::normal_distribution<float> n(0, noise);
  face::Descriptor out = d;
  for (float& x : out) x += n(rng);
  return out;
}

void ExpectSameTopK(const std::vector<Candidate>& got, const std::vector<std::pair<ProfileId, double>>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].profile, want[i].first) << "rank " << i;
    EXPECT_NEAR(got[i].score, want[i].second, 1e-4) << "rank " << i;
  }
}

TEST(FaceGalleryTest, SearchMatchesBruteForceThroughAddsAndRemovals) {
  std::mt19937 rng(7);
  FaceGallery g({/*threads=*/2});
  std::vector<Stored> stored;
  std::vector<ProfileId> profiles;
  // 300 profiles, 1-3 samples each, added in three batches.
  for (int batch = 0; batch < 3; ++batch) {
    std::vector<SampleKey> keys;
    std::vector<face::Descriptor> ds;
    for (int p = 0; p < 100; ++p) {
      const ProfileId id = ProfileId::Random();
      profiles.push_back(id);
      const face::Descriptor base = RandomDescriptor(rng);
      const int n = 1 + static_cast<int>(rng() % 3);
      for (int s = 0; s < n; ++s) {
        keys.push_back({id, Id::Random(), "frontal"});
        ds.push_back(Near(base, rng, 0.02f));
        stored.push_back({id, keys.back().sample, ds.back()});
      }
    }
    ASSERT_TRUE(g.Add(keys, ds).ok());
  }
  EXPECT_EQ(g.profiles(), 300u);
  EXPECT_EQ(g.samples(), stored.size());

  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    std::vector<FaceProbeSample> probes;
    for (int i = 0; i < 5; ++i) probes.push_back({Near(stored[rng() % stored.size()].d, rng, 0.03f), "p"});
    probes.push_back({RandomDescriptor(rng), "stranger"});
    const auto lists = g.Search(probes, 7, Selector::Everyone());
    ASSERT_EQ(lists.size(), probes.size());
    for (size_t p = 0; p < probes.size(); ++p) ExpectSameTopK(lists[p], BruteTopK(stored, probes[p].descriptor, 7));
    // A mated probe finds its own profile first.
    for (size_t p = 0; p < 5; ++p) EXPECT_GT(lists[p][0].score, 0.5);
  };
  check("after adds");

  // Remove a third of the profiles, in two calls (rows move inside the index each time).
  std::vector<ProfileId> gone(profiles.begin(), profiles.begin() + 60), more(profiles.begin() + 150, profiles.begin() + 190);
  ASSERT_TRUE(g.Remove(gone).ok());
  ASSERT_TRUE(g.Remove(more).ok());
  std::erase_if(stored, [&](const Stored& s) {
    return std::find(gone.begin(), gone.end(), s.profile) != gone.end() ||
           std::find(more.begin(), more.end(), s.profile) != more.end();
  });
  EXPECT_EQ(g.profiles(), 200u);
  EXPECT_EQ(g.samples(), stored.size());
  check("after removals");

  // Every remaining sample is still found under its own profile and sample id.
  for (size_t i = 0; i < stored.size(); i += 17) {
    const std::vector<FaceProbeSample> probe{{stored[i].d, "exact"}};
    const ProfileId ids[] = {stored[i].profile};
    const auto scored = g.Score(probe, ids);
    ASSERT_EQ(scored[0].size(), 1u);
    EXPECT_EQ(scored[0][0].profile, stored[i].profile);
    EXPECT_NEAR(scored[0][0].score, 1.0, 1e-5);
    EXPECT_EQ(scored[0][0].sample, stored[i].sample);
  }
  // Unknown profile: NotFound, nothing removed.
  const ProfileId unknown[] = {ProfileId::Random(), stored[0].profile};
  EXPECT_EQ(g.Remove(unknown).code(), StatusCode::kNotFound);
  EXPECT_EQ(g.samples(), stored.size());
}

TEST(FaceGalleryTest, SelectorRestrictsAndDuplicatesAreRefused) {
  std::mt19937 rng(11);
  FaceGallery g;
  std::vector<SampleKey> keys;
  std::vector<face::Descriptor> ds;
  for (int i = 0; i < 20; ++i) {
    keys.push_back({ProfileId::Random(), Id::Random(), "frontal"});
    ds.push_back(RandomDescriptor(rng));
  }
  ASSERT_TRUE(g.Add(keys, ds).ok());
  // The probe is profile 0's face, but only profiles 5 and 6 are admitted.
  const std::vector<FaceProbeSample> probe{{ds[0], "p"}};
  const auto lists = g.Search(probe, 10, Selector::Profiles({keys[5].profile, keys[6].profile}));
  ASSERT_EQ(lists[0].size(), 2u);
  for (const Candidate& c : lists[0]) EXPECT_TRUE(c.profile == keys[5].profile || c.profile == keys[6].profile);
  EXPECT_GE(lists[0][0].score, lists[0][1].score);
  // The same sample id twice: refused, nothing added.
  const SampleKey again[] = {{ProfileId::Random(), Id::Random(), ""}, keys[3]};
  EXPECT_EQ(g.Add(again, {ds[1], ds[2]}).code(), StatusCode::kInvalidArgument);
  face::Descriptor nan = ds[0];
  nan[5] = std::nanf("");
  const SampleKey one[] = {{ProfileId::Random(), Id::Random(), ""}};
  EXPECT_FALSE(g.Add(one, {nan}).ok());
  EXPECT_EQ(g.samples(), 20u);
}

TEST(FaceRecordTest, RoundTripsAndRefusesMalformed) {
  std::mt19937 rng(3);
  FaceTemplate t;
  t.descriptor = RandomDescriptor(rng);
  const BiometricRecord r = FaceRecord(t, "", 87);
  EXPECT_EQ(r.modality, "face");
  EXPECT_EQ(r.position, "frontal");
  EXPECT_EQ(r.format, kFaceFormat);
  EXPECT_EQ(r.payload.size(), 520u);
  auto back = FaceTemplateOf(r);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->descriptor, t.descriptor);

  auto expect_bad = [](Bytes b, const std::string& what) {
    auto d = DecodeFaceTemplate(b);
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.status().message().find(what), std::string::npos) << d.status().ToString();
  };
  Bytes good = r.payload;
  expect_bad(Bytes(good.begin(), good.begin() + 5), "truncated");
  expect_bad(Bytes(good.begin(), good.end() - 1), "bytes, expected 520");
  Bytes b = good;
  b[3] = 2;
  expect_bad(b, "version");
  b = good;
  b[4] = 9;
  expect_bad(b, "model");
  b = good;
  b[6] = 64;
  expect_bad(b, "dimension");
  b = good;
  b[8 + 4 * 10 + 3] = 0x7f, b[8 + 4 * 10 + 2] = 0xc0;  // NaN
  expect_bad(b, "not finite");
  expect_bad(Bytes{'P', 'N', 'G'}, "magic");
  BiometricRecord image = r;
  image.format = "image/png";
  EXPECT_FALSE(IsFaceTemplateRecord(image));
  EXPECT_FALSE(FaceTemplateOf(image).ok());
}

voice::VoiceTemplate RandomVoice(std::mt19937& rng, const std::string& model, size_t dim = 64) {
  std::normal_distribution<float> n(0, 1);
  voice::VoiceTemplate t;
  t.model_id = model;
  t.embedding.resize(dim);
  double norm = 0;
  for (float& x : t.embedding) {
    x = n(rng);
    norm += double(x) * x;
  }
  for (float& x : t.embedding) x = static_cast<float>(x / std::sqrt(norm));
  t.cohort_mean = 0.01f * n(rng);
  t.cohort_std = 0.1f + 0.01f * std::abs(n(rng));
  t.speech_seconds = 12;
  return t;
}

TEST(VoiceGalleryTest, SearchIsSNormTopKAndRemovalKeepsMappings) {
  std::mt19937 rng(5);
  VoiceSampleGallery g;
  std::vector<SampleKey> keys;
  std::vector<voice::VoiceTemplate> ts;
  for (int i = 0; i < 400; ++i) {
    keys.push_back({ProfileId::Random(), Id::Random(), "speech"});
    ts.push_back(RandomVoice(rng, "ubm-test"));
  }
  // A second sample for profile 0.
  keys.push_back({keys[0].profile, Id::Random(), "speech"});
  ts.push_back(RandomVoice(rng, "ubm-test"));
  ASSERT_TRUE(g.Add(keys, ts).ok());
  EXPECT_EQ(g.profiles(), 400u);

  auto brute = [&](const voice::VoiceTemplate& q, size_t k) {
    std::map<ProfileId, double> best;
    for (size_t i = 0; i < keys.size(); ++i) {
      const double s = voice::SNormScore(q, ts[i]);
      auto [it, fresh] = best.emplace(keys[i].profile, s);
      if (!fresh) it->second = std::max(it->second, s);
    }
    std::vector<std::pair<ProfileId, double>> out(best.begin(), best.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    out.resize(std::min(k, out.size()));
    return out;
  };
  const std::vector<voice::VoiceTemplate> probes{ts[0], ts[10], RandomVoice(rng, "ubm-test")};
  auto lists = g.Search(probes, 5, {});
  for (size_t p = 0; p < probes.size(); ++p) ExpectSameTopK(lists[p], brute(probes[p], 5));
  EXPECT_EQ(lists[0][0].profile, keys[0].profile);
  EXPECT_EQ(lists[1][0].profile, keys[10].profile);

  // Remove profiles 0..49 (51 rows): the others still score as before.
  std::vector<ProfileId> gone;
  for (int i = 0; i < 50; ++i) gone.push_back(keys[i].profile);
  ASSERT_TRUE(g.Remove(gone).ok());
  keys.erase(keys.begin(), keys.begin() + 50);
  ts.erase(ts.begin(), ts.begin() + 50);
  keys.pop_back(), ts.pop_back();  // profile 0's second sample
  EXPECT_EQ(g.samples(), keys.size());
  const std::vector<voice::VoiceTemplate> after{ts[7], RandomVoice(rng, "ubm-test")};
  lists = g.Search(after, 5, {});
  for (size_t p = 0; p < after.size(); ++p) ExpectSameTopK(lists[p], brute(after[p], 5));
  const ProfileId watch[] = {keys[3].profile, keys[4].profile};
  const auto selected = g.Search(after, 5, Selector::Watchlist("w", {watch[0], watch[1]}));
  EXPECT_EQ(selected[0].size(), 2u);
  const auto scored = g.Score(after, watch);
  EXPECT_EQ(scored[0].size(), 2u);

  // Another model's template is refused on Add and gets no candidates as a probe.
  const SampleKey other[] = {{ProfileId::Random(), Id::Random(), "speech"}};
  EXPECT_EQ(g.Add(other, {RandomVoice(rng, "ubm-other")}).code(), StatusCode::kInvalidArgument);
  const std::vector<voice::VoiceTemplate> foreign{RandomVoice(rng, "ubm-other")};
  EXPECT_TRUE(g.Search(foreign, 5, {})[0].empty());
}

TEST(VoiceRecordTest, RoundTrips) {
  std::mt19937 rng(9);
  const voice::VoiceTemplate t = RandomVoice(rng, "ubm-test");
  const BiometricRecord r = VoiceRecord(t);
  EXPECT_EQ(r.modality, "voice");
  EXPECT_EQ(r.format, kVoiceFormat);
  EXPECT_NEAR(r.quality, 40.0, 1e-9);
  auto back = VoiceTemplateOf(r);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->embedding, t.embedding);
  EXPECT_EQ(back->model_id, "ubm-test");
  BiometricRecord bad = r;
  bad.payload.resize(10);
  EXPECT_FALSE(VoiceTemplateOf(bad).ok());
}

}  // namespace
}  // namespace idreg::match
