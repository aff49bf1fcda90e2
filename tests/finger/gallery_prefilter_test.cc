// Large galleries (kCoarsePrefilterMinTemplates or more) are scanned twice (gallery.cc): the
// prefilter's best kCoarsePrefilterShare (8 probe cylinders), then the full coarse score on those.
// The shortlist must be exactly that, ties by index. 100,000 templates are 400 distinct synthetic
// ones appended 250 times (Append copies codes, no cylinder is built), so the test stays fast.
#include <gtest/gtest.h>

#include <algorithm>

#include "finger/coarse_internal.h"
#include "finger/parameters.h"
#include "idreg/finger/gallery.h"
#include "idreg/finger/synthetic.h"

namespace idreg::finger {
namespace {

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
    const PreparedCoarseProbe quick(probe, params::kCoarsePrefilterProbeCylinders), full(probe);
    ASSERT_GT(full.count, params::kCoarsePrefilterProbeCylinders);
    std::vector<uint32_t> quick_score(kBase), full_score(kBase);
    for (size_t b = 0; b < kBase; ++b) {
      CandidateCylinders chosen;
      const int cylinders = static_cast<int>(coarse[b].size());
      quick_score[b] = CoarseCompare(CoarseKernelScalar, quick, coarse[b].codes.data(), coarse[b].directions.data(),
                                     cylinders, chosen);
      full_score[b] = CoarseCompare(CoarseKernelScalar, full, coarse[b].codes.data(), coarse[b].directions.data(),
                                    cylinders, chosen);
    }
    auto better = [](const std::vector<uint32_t>& score) {
      return [&score](uint32_t a, uint32_t b) {
        const uint32_t sa = score[a % kBase], sb = score[b % kBase];
        return sa != sb ? sa > sb : a < b;
      };
    };
    std::vector<uint32_t> all(n);
    for (size_t i = 0; i < n; ++i) all[i] = static_cast<uint32_t>(i);
    std::sort(all.begin(), all.end(), better(quick_score));
    all.resize(keep);
    std::sort(all.begin(), all.end(), better(full_score));
    all.resize(count);

    EXPECT_EQ(big.CoarseShortlist(probe, count, 2), all) << "probe finger " << f;
  }
}

}  // namespace
}  // namespace idreg::finger
