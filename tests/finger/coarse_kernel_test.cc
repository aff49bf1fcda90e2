// Every coarse kernel this CPU runs (scalar reference, POPCNT, AVX2, AVX-512 VPOPCNTDQ) gives the
// scalar reference's scores, on probes of every size (partial blocks of 8, more cylinders than
// the scan keeps) and on empty templates.
#include <gtest/gtest.h>

#include "finger/coarse_internal.h"
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

}  // namespace
}  // namespace idreg::finger
