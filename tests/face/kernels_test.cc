// Every kernel against its plain loop reference, on random data and awkward sizes (odd sides,
// channel counts that are not multiples of the SIMD width, asymmetric padding).
#include <gtest/gtest.h>

#include <random>

#include "idreg/face/kernels.h"

namespace idreg::face {
namespace {

FeatureMap Random(int h, int w, int c, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1, 1);
  FeatureMap m(h, w, c);
  for (float& v : m.v) v = u(rng);
  return m;
}

std::vector<float> RandomVec(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

void ExpectNear(const FeatureMap& a, const FeatureMap& b, float tol) {
  ASSERT_EQ(a.h, b.h);
  ASSERT_EQ(a.w, b.w);
  ASSERT_EQ(a.c, b.c);
  for (size_t i = 0; i < a.v.size(); ++i) ASSERT_NEAR(a.v[i], b.v[i], tol) << "at " << i;
}

TEST(Gemm, MatchesReferenceOnOddSizes) {
  std::mt19937 rng(1);
  for (auto [m, k, n] : {std::tuple{1, 1, 1}, {5, 7, 3}, {4, 16, 16}, {13, 33, 37}, {64, 288, 32}, {9, 100, 130}}) {
    const auto a = RandomVec(static_cast<size_t>(m) * k, rng), b = RandomVec(static_cast<size_t>(k) * n, rng);
    std::vector<float> c(static_cast<size_t>(m) * n), r(c.size());
    Gemm(a.data(), b.data(), c.data(), m, k, n);
    GemmReference(a.data(), b.data(), r.data(), m, k, n);
    for (size_t i = 0; i < c.size(); ++i) ASSERT_NEAR(c[i], r[i], 1e-4f) << m << "x" << k << "x" << n;
    // Accumulating adds the product again.
    Gemm(a.data(), b.data(), c.data(), m, k, n, true);
    for (size_t i = 0; i < c.size(); ++i) ASSERT_NEAR(c[i], 2 * r[i], 2e-4f);
  }
  RecordProperty("avx2", GemmUsesAvx2() ? "yes" : "no");
}

TEST(Conv2D, MatchesReference) {
  std::mt19937 rng(2);
  struct Case {
    int h, w, c, k, out, stride;
    Padding pad;
  };
  for (const Case& t : {Case{9, 7, 3, 3, 16, 1, {}}, Case{11, 11, 5, 3, 19, 2, {0, 0, 1, 1}},
                        Case{15, 15, 3, 7, 8, 2, {}}, Case{6, 6, 17, 1, 9, 1, {}}, Case{8, 5, 4, 3, 4, 1, {1, 1, 1, 1}}}) {
    const FeatureMap in = Random(t.h, t.w, t.c, rng);
    const auto f = RandomVec(static_cast<size_t>(t.k) * t.k * t.c * t.out, rng);
    const auto bias = RandomVec(t.out, rng);
    ExpectNear(Conv2D(in, f.data(), t.k, t.k, t.out, bias.data(), t.stride, t.pad),
               Conv2DReference(in, f.data(), t.k, t.k, t.out, bias.data(), t.stride, t.pad), 1e-4f);
  }
}

TEST(DepthwiseConv, MatchesReference) {
  std::mt19937 rng(3);
  for (int stride : {1, 2}) {
    const FeatureMap in = Random(13, 10, 19, rng);
    const auto f = RandomVec(3 * 3 * 19, rng);
    const Padding pad = SamePadding(13, 10, 3, 3, stride);
    ExpectNear(DepthwiseConv(in, f.data(), 3, 3, stride, pad), DepthwiseConvReference(in, f.data(), 3, 3, stride, pad),
               1e-5f);
  }
}

TEST(Pool, MaxAndAverageMatchReference) {
  std::mt19937 rng(4);
  const FeatureMap in = Random(9, 11, 6, rng);
  for (auto [k, stride] : {std::pair{2, 2}, {2, 1}, {3, 2}}) {
    const Padding same = SamePadding(in.h, in.w, k, k, stride);
    ExpectNear(MaxPool(in, k, stride, same), PoolReference(in, k, stride, same, true), 0);
    ExpectNear(AvgPool(in, k, stride, {}), PoolReference(in, k, stride, {}, false), 1e-6f);
  }
}

TEST(SamePadding, IsTensorFlowsAsymmetricPadding) {
  const Padding p = SamePadding(112, 112, 3, 3, 2);  // 56 outputs: 0 before, 1 after
  EXPECT_EQ(p.top, 0);
  EXPECT_EQ(p.bottom, 1);
  const Padding q = SamePadding(207, 207, 2, 2, 2);  // 104 outputs
  EXPECT_EQ(q.top, 0);
  EXPECT_EQ(q.bottom, 1);
  const Padding r = SamePadding(10, 10, 3, 3, 1);
  EXPECT_EQ(r.top, 1);
  EXPECT_EQ(r.bottom, 1);
}

TEST(Activations, ReluLeakyScaleBias) {
  FeatureMap x(1, 2, 2);
  x.v = {-2, 1, 3, -4};
  FeatureMap l = x;
  LeakyRelu(l, 0.1f);
  EXPECT_FLOAT_EQ(l.v[0], -0.2f);
  EXPECT_FLOAT_EQ(l.v[2], 3);
  const float s[] = {2, 3}, b[] = {1, -1};
  FeatureMap sb = x;
  ScaleBias(sb, s, b);
  EXPECT_FLOAT_EQ(sb.v[0], -3);
  EXPECT_FLOAT_EQ(sb.v[3], -13);
  Relu(x);
  EXPECT_EQ(x.v, (std::vector<float>{0, 1, 3, 0}));
}

}  // namespace
}  // namespace idreg::face
