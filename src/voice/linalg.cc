#include "voice/linalg.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace idreg::voice {

SymmetricEigen EigenSymmetric(std::vector<double> a, int n) {
  const size_t N = size_t(n);
  std::vector<double> v(N * N, 0.0);
  for (size_t i = 0; i < N; ++i) v[i * N + i] = 1.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0, total = 0;
    for (size_t i = 0; i < N; ++i)
      for (size_t j = 0; j < N; ++j) (i == j ? total : off) += a[i * N + j] * a[i * N + j];
    if (off <= 1e-22 * (total + off) || off == 0) break;
    for (size_t p = 0; p + 1 < N; ++p) {
      for (size_t q = p + 1; q < N; ++q) {
        const double apq = a[p * N + q];
        if (std::abs(apq) < 1e-300) continue;
        const double theta = (a[q * N + q] - a[p * N + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < N; ++k) {  // columns p, q
          const double akp = a[k * N + p], akq = a[k * N + q];
          a[k * N + p] = c * akp - s * akq;
          a[k * N + q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < N; ++k) {  // rows p, q
          const double apk = a[p * N + k], aqk = a[q * N + k];
          a[p * N + k] = c * apk - s * aqk;
          a[q * N + k] = s * apk + c * aqk;
        }
        for (size_t k = 0; k < N; ++k) {  // eigenvectors are the columns of v
          const double vkp = v[k * N + p], vkq = v[k * N + q];
          v[k * N + p] = c * vkp - s * vkq;
          v[k * N + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<size_t> order(N);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return a[x * N + x] > a[y * N + y]; });
  SymmetricEigen out;
  out.values.resize(N);
  out.vectors.resize(N * N);
  for (size_t k = 0; k < N; ++k) {
    out.values[k] = a[order[k] * N + order[k]];
    for (size_t i = 0; i < N; ++i) out.vectors[k * N + i] = v[i * N + order[k]];
  }
  return out;
}

std::vector<float> WithinClassDirections(const std::vector<std::vector<float>>& vectors,
                                         const std::vector<int>& labels, int rank) {
  if (vectors.empty() || rank <= 0) return {};
  const size_t dim = vectors[0].size();
  std::map<int, std::vector<size_t>> members;
  for (size_t i = 0; i < vectors.size(); ++i) members[labels[i]].push_back(i);
  // Deviations from each class mean.
  std::vector<std::vector<double>> dev;
  for (const auto& [label, idx] : members) {
    if (idx.size() < 2) continue;
    std::vector<double> mean(dim, 0.0);
    for (size_t i : idx)
      for (size_t j = 0; j < dim; ++j) mean[j] += vectors[i][j];
    for (double& m : mean) m /= double(idx.size());
    for (size_t i : idx) {
      std::vector<double> d(dim);
      for (size_t j = 0; j < dim; ++j) d[j] = vectors[i][j] - mean[j];
      dev.push_back(std::move(d));
    }
  }
  const int n = int(dev.size());
  if (n == 0) return {};
  std::vector<double> gram(size_t(n) * size_t(n));
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) {
      double s = 0;
      for (size_t k = 0; k < dim; ++k) s += dev[size_t(i)][k] * dev[size_t(j)][k];
      gram[size_t(i) * size_t(n) + size_t(j)] = gram[size_t(j) * size_t(n) + size_t(i)] = s;
    }
  const SymmetricEigen e = EigenSymmetric(std::move(gram), n);
  // Eigenvectors of the scatter D^T D are D^T v / |D^T v|; orthonormalised again against rounding.
  std::vector<float> out;
  std::vector<std::vector<double>> basis;
  for (int k = 0; k < std::min(rank, n); ++k) {
    if (!(e.values[size_t(k)] > 1e-9 * e.values[0])) break;
    std::vector<double> u(dim, 0.0);
    for (int i = 0; i < n; ++i) {
      const double c = e.vectors[size_t(k) * size_t(n) + size_t(i)];
      for (size_t j = 0; j < dim; ++j) u[j] += c * dev[size_t(i)][j];
    }
    for (const auto& b : basis) {
      double p = 0;
      for (size_t j = 0; j < dim; ++j) p += u[j] * b[j];
      for (size_t j = 0; j < dim; ++j) u[j] -= p * b[j];
    }
    double norm = 0;
    for (double x : u) norm += x * x;
    norm = std::sqrt(norm);
    if (!(norm > 0)) break;
    for (double& x : u) x /= norm;
    for (double x : u) out.push_back(float(x));
    basis.push_back(std::move(u));
  }
  return out;
}

}  // namespace idreg::voice
