// Every coarse kernel this CPU runs (scalar reference, POPCNT, AVX2, AVX-512 VPOPCNTDQ) gives the
// scalar reference's scores, on probes of every size (partial blocks of 8, more cylinders than
// the scan keeps) and on empty templates.
#include <gtest/gtest.h>

#include <algorithm>

#include "finger/coarse_internal.h"
#include "finger/parameters.h"
#include "idreg/finger/synthetic.h"

namespace idreg::finger {
namespace {

TEST(CoarseKernelTest, EveryKernelEqualsTheScalarReference) {
  const SyntheticFingers gen(31);
  std::vector<CoarseTemplate> coarse;
  for (int f = 0; f < 10; ++f) {
    for (int i = 0; i < 2; ++i) coarse.push_back(MakeCoarseTemplate(gen.Impression(f, i)));
  }
  // Probes cut to every size from 0 to 20 cylinders.
  std::vector<CoarseTemplate> probes = coarse;
  for (size_t n = 0; n <= 20; ++n) {
    CoarseTemplate p = coarse[n % coarse.size()];
    if (p.size() < n) continue;
    p.codes.resize(n * CoarseTemplate::kCodeWords);
    p.directions.resize(n);
    probes.push_back(p);
  }
  const auto kernels = CoarseKernelsForThisCpu();
  ASSERT_GE(kernels.size(), 1u);
  int compared = 0, nonzero = 0, limited = 0;
  for (const CoarseTemplate& p : probes) {
    const PreparedCoarseProbe prepared(p);
    limited += prepared.count < prepared.pairs_from;  // more cylinders than the scan keeps
    for (const CoarseTemplate& c : coarse) {
      const int count = static_cast<int>(c.size());
      const uint32_t ref = CoarseKernelScalar(prepared, c.codes.data(), c.directions.data(), count);
      nonzero += ref > 0;
      for (const auto& [name, kernel] : kernels) {
        EXPECT_EQ(kernel(prepared, c.codes.data(), c.directions.data(), count), ref) << name;
        ++compared;
      }
    }
  }
  EXPECT_GT(nonzero, 300);
  EXPECT_GT(compared, 400);
  EXPECT_GT(limited, 5);
  for (const auto& [name, kernel] : kernels) std::cout << "coarse kernel tested: " << name << "\n";
}

// A stored candidate is compared through its kCoarseGalleryCylinders best-placed cylinders: the
// ones with the most valid cells, ties to the first, kept in stored order.
TEST(CoarseKernelTest, CandidatesAreComparedThroughTheirBestPlacedCylinders) {
  constexpr int kKeep = params::kCoarseGalleryCylinders;
  constexpr int kWords = CoarseTemplate::kCodeWords;
  const SyntheticFingers gen(32);
  int cut = 0, scored = 0;
  for (int f = 0; f < 30; ++f) {
    const CoarseTemplate c = MakeCoarseTemplate(gen.Impression(f, 0));
    const int n = static_cast<int>(c.size());
    // The expected choice, by a stable sort on the valid-cell count.
    std::vector<int> valid(c.size()), order(c.size());
    for (int j = 0; j < n; ++j) {
      order[j] = j;
      for (int w = kWords / 2; w < kWords; ++w) valid[j] += __builtin_popcountll(c.codes[j * kWords + w]);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return valid[a] > valid[b]; });
    if (n > kKeep) order.resize(kKeep);
    std::sort(order.begin(), order.end());
    CoarseTemplate expected;
    for (int j : order) {
      expected.codes.insert(expected.codes.end(), c.codes.begin() + j * kWords, c.codes.begin() + (j + 1) * kWords);
      expected.directions.push_back(c.directions[j]);
    }
    CandidateCylinders chosen;
    chosen.Choose(c.codes.data(), c.directions.data(), n);
    ASSERT_EQ(chosen.count, static_cast<int>(expected.size())) << f;
    EXPECT_EQ(std::vector<uint64_t>(chosen.codes, chosen.codes + chosen.count * kWords), expected.codes) << f;
    EXPECT_EQ(std::vector<uint8_t>(chosen.directions, chosen.directions + chosen.count), expected.directions) << f;
    cut += n > kKeep;
    // The public score is the kernel's on the chosen cylinders.
    const CoarseTemplate probe = MakeCoarseTemplate(gen.Impression(f, 1));
    const PreparedCoarseProbe prepared(probe);
    const uint32_t want = CoarseKernelScalar(prepared, expected.codes.data(), expected.directions.data(),
                                             static_cast<int>(expected.size()));
    EXPECT_EQ(CoarseScore(probe, c), want) << f;
    EXPECT_EQ(CoarseScoreReference(probe, c), want) << f;
    scored += want > 0;
  }
  EXPECT_GT(cut, 10);
  EXPECT_GT(scored, 20);
}

}  // namespace
}  // namespace idreg::finger
