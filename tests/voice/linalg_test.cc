// The session-compensation linear algebra: Jacobi eigen-decomposition against a known spectrum, and
// the within-class (NAP) directions on vectors whose within-speaker spread lies on known axes.
#include "voice/linalg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace idreg::voice {
namespace {

TEST(Linalg, JacobiFindsTheSpectrumOfASymmetricMatrix) {
  // Q diag(5, 2, 1, 0.5) Q^T with Q a rotation in the (0,1) and (2,3) planes.
  const double c = std::cos(0.3), s = std::sin(0.3);
  const std::vector<double> q = {c, -s, 0, 0, s, c, 0, 0, 0, 0, c, s, 0, 0, -s, c};
  const std::vector<double> d = {5, 2, 1, 0.5};
  std::vector<double> a(16, 0.0);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 4; ++k) a[size_t(i * 4 + j)] += q[size_t(i * 4 + k)] * d[size_t(k)] * q[size_t(j * 4 + k)];
  const SymmetricEigen e = EigenSymmetric(a, 4);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(e.values[size_t(k)], d[size_t(k)], 1e-9) << k;
  // The first eigenvector is the first column of Q (up to sign).
  EXPECT_NEAR(std::abs(e.vectors[0] * c + e.vectors[1] * s), 1.0, 1e-9);
}

TEST(Linalg, WithinClassDirectionsFindTheNuisanceAxes) {
  // Three classes far apart on axes 0-2; inside each class the vectors vary along axes 5 (strongly)
  // and 7 (weakly) only.
  constexpr size_t kDim = 12;
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  std::vector<std::vector<float>> v;
  std::vector<int> labels;
  for (int cls = 0; cls < 3; ++cls)
    for (int i = 0; i < 20; ++i) {
      std::vector<float> x(kDim, 0.0f);
      x[size_t(cls)] = 10;
      x[5] = 3 * g(rng);
      x[7] = 1 * g(rng);
      v.push_back(x);
      labels.push_back(cls);
    }
  const std::vector<float> u = WithinClassDirections(v, labels, 2);
  ASSERT_EQ(u.size(), 2 * kDim);
  EXPECT_NEAR(std::abs(u[5]), 1.0f, 1e-2f);  // sample correlation of axes 5 and 7 tilts it slightly
  EXPECT_NEAR(std::abs(u[kDim + 7]), 1.0f, 1e-2f);
  double dot = 0;
  for (size_t j = 0; j < kDim; ++j) dot += double(u[j]) * u[kDim + j];
  EXPECT_NEAR(dot, 0.0, 1e-6);
  EXPECT_TRUE(WithinClassDirections(v, labels, 0).empty());
  // A class of one vector has no within-class spread.
  EXPECT_TRUE(WithinClassDirections({v[0]}, {0}, 3).empty());
}

}  // namespace
}  // namespace idreg::voice
