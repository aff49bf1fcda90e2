// Large galleries (kCoarsePrefilterMinTemplates or more) are scanned twice (gallery.cc): the
// prefilter's best kCoarsePrefilterShare (8 probe cylinders), then the full coarse score on those.
// The shortlist must be exactly that, ties by index. 100,000 templates are 400 distinct synthetic
// ones appended 250 times (Append copies codes, no cylinder is built), so the test stays fast.
#include <gtest/gtest.h>

#include <algorithm>

#include "finger/coarse_internal.h"
#include "idreg/finger/matcher.h"
#include "finger/parameters.h"
#include "idreg/finger/gallery.h"
#include "idreg/finger/synthetic.h"

namespace idreg::finger {
namespace {

// The scalar reference's prefilter (probe's best cylinders) and full coarse scores of every base
// template; gallery row r holds base template r % base.size().
struct ReferenceScores {
  std::vector<uint32_t> quick, full;
};

ReferenceScores ScalarScores(const CoarseTemplate& probe, const std::vector<CoarseTemplate>& base) {
  const PreparedCoarseProbe quick(probe, params::kCoarsePrefilterProbeCylinders), full(probe);
  ReferenceScores out{std::vector<uint32_t>(base.size()), std::vector<uint32_t>(base.size())};
  for (size_t b = 0; b < base.size(); ++b) {
    CandidateCylinders chosen;
    const int cylinders = static_cast<int>(base[b].size());
    out.quick[b] = CoarseCompare(CoarseKernelScalar, quick, base[b].codes.data(), base[b].directions.data(),
                                 cylinders, chosen);
    out.full[b] = CoarseCompare(CoarseKernelScalar, full, base[b].codes.data(), base[b].directions.data(),
                                cylinders, chosen);
  }
  return out;
}

// Row order by a base score, best first, ties by row.
auto BetterBy(const std::vector<uint32_t>& score) {
  return [&score](uint32_t a, uint32_t b) {
    const uint32_t sa = score[a % score.size()], sb = score[b % score.size()];
    return sa != sb ? sa > sb : a < b;
  };
}


TEST(GalleryPrefilterTest, LargeGalleryShortlistIsTheFullScoreOverThePrefiltersBest) {
  constexpr size_t kBase = 400;
  const SyntheticFingers gen(41);
  FingerGallery base;
  std::vector<CoarseTemplate> coarse;
  for (size_t f = 0; f < kBase; ++f) {
    const FingerTemplate t = gen.Impression(f, 0);
    base.Add(t);
    coarse.push_back(MakeCoarseTemplate(t));
  }
  FingerGallery big;
  while (big.size() < params::kCoarsePrefilterMinTemplates) big.Append(base);
  const size_t n = big.size();
  ASSERT_GE(n, params::kCoarsePrefilterMinTemplates);

  for (uint64_t f : {3u, 77u, 251u}) {
    const CoarseTemplate probe = MakeCoarseTemplate(gen.Impression(f, 1));
    const size_t count = 50;
    const size_t keep = std::max(count * params::kCoarsePrefilterShortlists,
                                 static_cast<size_t>(static_cast<double>(n) * params::kCoarsePrefilterShare));
    ASSERT_LT(keep, n);
    // Expected: per base template both scores (the scalar reference), spread over the copies.
    ASSERT_GT(PreparedCoarseProbe(probe).count, params::kCoarsePrefilterProbeCylinders);
    const ReferenceScores ref = ScalarScores(probe, coarse);
    std::vector<uint32_t> all(n);
    for (size_t i = 0; i < n; ++i) all[i] = static_cast<uint32_t>(i);
    std::sort(all.begin(), all.end(), BetterBy(ref.quick));
    all.resize(keep);
    std::sort(all.begin(), all.end(), BetterBy(ref.full));
    all.resize(count);

    EXPECT_EQ(big.CoarseShortlist(probe, count, 2), all) << "probe finger " << f;
  }
}

// The layout a bulk load gives the engine: one finger position in each half of the gallery. A
// probe's filter then admits one half only; the scan is shared by the threads block by block, and
// every thread count must give the one-thread shortlist, and the prefilter's share is counted in
// the admitted templates (1% of the half). The fine stage on top gives the same candidates and
// scores on any number of threads.
TEST(GalleryPrefilterTest, FilteredHalfGivesTheSameShortlistOnAnyNumberOfThreads) {
  constexpr size_t kBase = 400;
  const SyntheticFingers gen(43);
  FingerGallery right, left;
  std::vector<CoarseTemplate> coarse;
  for (size_t f = 0; f < kBase; ++f) {
    const FingerTemplate t = gen.Impression(f, 0);
    right.Add(t, 1);
    left.Add(t, 2);
    coarse.push_back(MakeCoarseTemplate(t));
  }
  FingerGallery big;
  while (big.size() < params::kCoarsePrefilterMinTemplates) big.Append(right);
  const size_t half = big.size();
  while (big.size() < 2 * half) big.Append(left);
  const size_t n = big.size();
  FingerGallery::Filter only_left;
  only_left.OnlyTags({2});
  ASSERT_EQ(big.CountAdmitted(only_left), half);

  const FingerTemplate probe_template = gen.Impression(77, 1);
  const CoarseTemplate probe = MakeCoarseTemplate(probe_template);
  const size_t count = 40;
  const size_t keep = std::max(count * params::kCoarsePrefilterShortlists,
                               static_cast<size_t>(static_cast<double>(half) * params::kCoarsePrefilterShare));
  const ReferenceScores ref = ScalarScores(probe, coarse);
  std::vector<uint32_t> expected;
  for (size_t i = half; i < n; ++i) expected.push_back(static_cast<uint32_t>(i));
  std::sort(expected.begin(), expected.end(), BetterBy(ref.quick));
  expected.resize(keep);
  std::sort(expected.begin(), expected.end(), BetterBy(ref.full));
  expected.resize(count);

  for (unsigned threads : {1u, 2u, 5u}) {
    FingerGallery::CoarseStats stats;
    EXPECT_EQ(big.CoarseShortlist(probe, count, threads, only_left, false, &stats), expected) << threads << " threads";
    EXPECT_EQ(stats.admitted, half);
    EXPECT_EQ(stats.kept, keep);
  }

  const FingerProbe fine(probe_template);
  FingerGallery::SearchOptions o;
  o.shortlist = count;
  o.top_k = count;
  o.threads = 1;
  const auto one = big.Search(fine, o, only_left);
  ASSERT_EQ(one.size(), count);
  for (unsigned threads : {2u}) {
    o.threads = threads;
    const auto many = big.Search(fine, o, only_left);
    ASSERT_EQ(many.size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(many[i].index, one[i].index) << threads << " threads, rank " << i;
      EXPECT_EQ(many[i].score, one[i].score) << threads << " threads, rank " << i;
    }
  }
}

// A gallery keeps only the cylinders the scan compares (GalleryCoarseTemplate), however its
// templates arrive: built, given whole, or appended from a gallery that held them all.
TEST(GalleryPrefilterTest, GalleryKeepsOnlyTheComparedCylinders) {
  const SyntheticFingers gen(47);
  FingerGallery built, given;
  std::vector<CoarseTemplate> alls;
  size_t whole = 0, kept = 0;
  for (size_t f = 0; f < 30; ++f) {
    const FingerTemplate t = gen.Impression(f, 0);
    const CoarseTemplate all = MakeCoarseTemplate(t);
    alls.push_back(all);
    whole += all.size();
    kept += std::min<size_t>(all.size(), params::kCoarseGalleryCylinders);
    built.Add(t);
    given.Add(t, all, 0);
    // The kept part scores as the whole form against any probe.
    const CoarseTemplate probe = MakeCoarseTemplate(gen.Impression(f, 1));
    EXPECT_EQ(CoarseScoreReference(probe, GalleryCoarseTemplate(all)), CoarseScoreReference(probe, all));
  }
  ASSERT_GT(whole, kept);
  EXPECT_EQ(SerializeGallery(built), SerializeGallery(given));
  // The persistent form of the gallery holds the kept cylinders: 97 bytes each.
  const Bytes form = SerializeGallery(built);
  auto parsed = ParseGallery(form);
  ASSERT_TRUE(parsed.ok());
  FingerGallery appended;
  appended.Append(*parsed);
  EXPECT_EQ(SerializeGallery(appended), form);

  // The same templates in a persistent form holding every cylinder (as galleries wrote it before
  // they kept 16; the form allows it): appending keeps what Add keeps, searches are unchanged.
  auto le32 = [&](size_t at) { return form[at] | form[at + 1] << 8 | form[at + 2] << 16 | uint32_t{form[at + 3]} << 24; };
  const size_t n = le32(8), m = le32(12);
  ASSERT_EQ(n, alls.size());
  Bytes full(form.begin(), form.begin() + 20);
  auto put32 = [&](size_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k) full[at + k] = static_cast<uint8_t>(v >> (8 * k));
  };
  put32(16, static_cast<uint32_t>(whole));
  for (size_t i = 0; i < n; ++i) {
    full.insert(full.end(), form.begin() + 20 + 8 * i, form.begin() + 20 + 8 * i + 6);
    full.push_back(static_cast<uint8_t>(alls[i].size()));
    full.push_back(static_cast<uint8_t>(alls[i].size() >> 8));
  }
  full.insert(full.end(), form.begin() + 20 + 8 * n, form.begin() + 20 + 8 * n + 6 * m);
  for (const CoarseTemplate& c : alls) {
    for (uint64_t w : c.codes) {
      for (int k = 0; k < 8; ++k) full.push_back(static_cast<uint8_t>(w >> (8 * k)));
    }
  }
  for (const CoarseTemplate& c : alls) full.insert(full.end(), c.directions.begin(), c.directions.end());
  auto every = ParseGallery(full);
  ASSERT_TRUE(every.ok()) << every.status().ToString();
  ASSERT_EQ(every->size(), n);
  EXPECT_GT(every->MemoryBytes(), built.MemoryBytes());
  const CoarseTemplate probe = MakeCoarseTemplate(gen.Impression(3, 1));
  EXPECT_EQ(every->CoarseShortlist(probe, 10, 1), built.CoarseShortlist(probe, 10, 1));
  FingerGallery trimmed;
  trimmed.Append(*every);
  EXPECT_EQ(SerializeGallery(trimmed), form);
}

}  // namespace
}  // namespace idreg::finger
