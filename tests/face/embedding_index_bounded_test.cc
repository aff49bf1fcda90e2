// The bounded mode of the flat index (IndexPrecision::kFloat32Bounded): exact float32 search through
// int8 bounds. Its hits must be the plain float32 scan's, bit for bit (rows, scores, order, ties),
// for every int8 kernel and thread count, on random and on adversarial data; and the bound itself
// must hold the float32 score computed in any summation order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>

#include "face/bounded_scan.h"
#include "face/face_test_support.h"
#include "idreg/face/embedding_index.h"

namespace idreg::face {
namespace {

using testing::RandomVectors;

void ExpectSameHits(const std::vector<std::vector<IndexHit>>& got, const std::vector<std::vector<IndexHit>>& want,
                    const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t q = 0; q < want.size(); ++q) {
    ASSERT_EQ(got[q].size(), want[q].size()) << what << " query " << q;
    for (size_t i = 0; i < want[q].size(); ++i) {
      ASSERT_EQ(got[q][i].row, want[q][i].row) << what << " query " << q << " rank " << i;
      // Bit-identical: the same float32 kernel scored the same row.
      ASSERT_EQ(std::memcmp(&got[q][i].score, &want[q][i].score, sizeof(float)), 0)
          << what << " query " << q << " rank " << i << ": " << got[q][i].score << " vs " << want[q][i].score;
    }
  }
}

// Plain float32 and bounded indexes over the same rows, removals applied to both.
struct Pair {
  EmbeddingIndex plain, bounded;
  explicit Pair(int dim) : plain(dim), bounded(dim, IndexPrecision::kFloat32Bounded) {}
  void Add(const std::vector<float>& v) {
    ASSERT_TRUE(plain.Add(v).ok());
    ASSERT_TRUE(bounded.Add(v).ok());
  }
  void Remove(size_t row) {
    auto a = plain.Remove(row), b = bounded.Remove(row);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(*a, *b);
  }
};

// Every k, metric, int8 kernel and thread count against the plain scalar scan (one thread), and the
// default kernels against the plain default. Returns the rows re-checked and plain-answered queries.
IndexSearchStats ExpectExact(const Pair& p, const std::vector<float>& queries, const std::string& what,
                             std::vector<size_t> ks = {1, 10, 100}) {
  IndexSearchStats total;
  for (IndexMetric metric : {IndexMetric::kL2, IndexMetric::kInnerProduct}) {
    for (size_t k : ks) {
      const std::string tag = what + " metric " + std::to_string(static_cast<int>(metric)) + " k " + std::to_string(k);
      const auto ref = p.plain.Search(queries, k, metric, 1, IndexKernel::kScalar);
      for (IndexKernel kernel : testing::SupportedInt8Kernels())
        for (int threads : {1, 2, 3}) {
          IndexSearchStats stats;
          const auto got = p.bounded.Search(queries, k, metric, threads, kernel, IndexKernel::kScalar, &stats);
          ExpectSameHits(got, ref, tag + " int8 kernel " + std::to_string(static_cast<int>(kernel)) + " threads " +
                                       std::to_string(threads));
          if (kernel == IndexKernel::kScalar && threads == 1) {
            total.queries += stats.queries;
            total.rechecked_rows += stats.rechecked_rows;
            total.plain_queries += stats.plain_queries;
          }
        }
      ExpectSameHits(p.bounded.Search(queries, k, metric), p.plain.Search(queries, k, metric), tag + " default kernels");
    }
  }
  return total;
}

TEST(EmbeddingIndexBounded, RandomDataGivesThePlainScanExactly) {
  for (int dim : {128, 100, 7}) {
    Pair p(dim);
    p.Add(RandomVectors(3001, dim, 1));
    const auto queries = RandomVectors(6, dim, 2);
    const IndexSearchStats s = ExpectExact(p, queries, "dim " + std::to_string(dim));
    EXPECT_EQ(s.plain_queries, 0u);
    // The bound prunes: k 1 + 10 + 100 over 2 metrics, 6 queries, re-checking far fewer than all rows.
    if (dim == 128) {
      EXPECT_LT(s.rechecked_rows, s.queries * 3001 / 5) << s.rechecked_rows << " of " << s.queries;
    }
  }
}

TEST(EmbeddingIndexBounded, DescriptorLikeMatesGiveThePlainScanAndFewRechecks) {
  // A common mean with a small spread (descriptor-like, length about 1.4), queries are close mates.
  constexpr int kDim = 128;
  auto data = RandomVectors(20000, kDim, 3, 0.05f);
  const auto mean = RandomVectors(1, kDim, 4, 0.12f);
  for (size_t i = 0; i < data.size(); ++i) data[i] += mean[i % kDim];
  Pair p(kDim);
  p.Add(data);
  std::vector<float> queries;
  const auto noise = RandomVectors(8, kDim, 5, 0.02f);
  for (size_t q = 0; q < 8; ++q)
    for (int d = 0; d < kDim; ++d) queries.push_back(data[(q * 2477) * kDim + d] + noise[q * kDim + d]);
  IndexSearchStats stats;
  const auto got =
      p.bounded.Search(queries, 1, IndexMetric::kL2, 2, EmbeddingIndex::BestInt8Kernel(), IndexKernel::kScalar, &stats);
  for (size_t q = 0; q < 8; ++q) EXPECT_EQ(got[q][0].row, q * 2477);
  // The mate stands out: few rows are close enough to its bound to be re-checked.
  EXPECT_LE(stats.rechecked_rows, 8u * 20) << stats.rechecked_rows;
  ExpectExact(p, queries, "mates", {1, 10});
}

TEST(EmbeddingIndexBounded, AdversarialDataGivesThePlainScanExactly) {
  constexpr int kDim = 32;
  std::mt19937 rng(9);
  std::normal_distribution<float> g(0, 1);
  std::vector<float> data;
  auto push = [&](const std::vector<float>& v) { data.insert(data.end(), v.begin(), v.end()); };
  const auto base = RandomVectors(1, kDim, 10);
  for (int i = 0; i < 300; ++i) {
    // Near-ties: the base moved by one or two ulps in one coordinate.
    std::vector<float> v = base;
    const int d = i % kDim;
    v[d] = std::nextafter(v[d], i % 2 ? INFINITY : -INFINITY);
    if (i % 3 == 0) v[(d + 5) % kDim] = std::nextafter(v[(d + 5) % kDim], INFINITY);
    push(v);
  }
  for (int i = 0; i < 100; ++i) push(base);                           // exact duplicates: ties by row
  for (int i = 0; i < 50; ++i) push(std::vector<float>(kDim, 0.f));    // zero vectors
  for (int i = 0; i < 200; ++i) {                                      // unrelated, some large norms
    std::vector<float> v(kDim);
    const float scale = i % 10 == 0 ? 1e6f : 1;
    for (float& x : v) x = scale * g(rng);
    push(v);
  }
  for (int i = 0; i < 50; ++i) {  // integer-valued rows: many exactly equal scores
    std::vector<float> v(kDim);
    for (float& x : v) x = static_cast<float>(static_cast<int>(rng() % 3) - 1);
    push(v);
  }
  Pair p(kDim);
  p.Add(data);
  std::vector<float> queries = base;                     // on the near-ties and duplicates
  queries.insert(queries.end(), kDim, 0.f);              // the zero query: every IP score ties at 0
  for (int d = 0; d < kDim; ++d) queries.push_back(base[d] * 1e6f);
  for (int d = 0; d < kDim; ++d) queries.push_back(static_cast<float>(d % 3) - 1);
  for (int d = 0; d < kDim; ++d) queries.push_back(g(rng));
  ExpectExact(p, queries, "adversarial", {1, 10, 100, 700});
  // Removals: the moved rows keep their codes and terms.
  for (size_t row : {0u, 5u, 350u, 420u, 100u, 600u}) p.Remove(row);
  while (p.plain.size() > 600) p.Remove(p.plain.size() / 2);
  ExpectExact(p, queries, "after removals", {1, 10, 100});
}

TEST(EmbeddingIndexBounded, ExtremeMagnitudesFallBackOrStayExact) {
  constexpr int kDim = 16;
  // Values whose squares overflow float32: those queries are answered by the plain scan.
  {
    Pair p(kDim);
    auto data = RandomVectors(200, kDim, 11);
    for (size_t i = 0; i < 16 * kDim; ++i) data[i] *= 1e19f;
    p.Add(data);
    const auto queries = RandomVectors(3, kDim, 12);
    const auto ref = p.plain.Search(queries, 10, IndexMetric::kL2, 1, IndexKernel::kScalar);
    IndexSearchStats stats;
    ExpectSameHits(p.bounded.Search(queries, 10, IndexMetric::kL2, 1, IndexKernel::kScalar, IndexKernel::kScalar, &stats),
                   ref, "overflow");
    EXPECT_EQ(stats.plain_queries, 3u);
  }
  // Tiny values (scales below 2^-60): the plain scan too; large but safe values: the bounded scan.
  for (float scale : {1e-25f, 1e-12f, 1e12f}) {
    Pair p(kDim);
    auto data = RandomVectors(500, kDim, 13);
    for (float& v : data) v *= scale;
    p.Add(data);
    auto queries = RandomVectors(4, kDim, 14);
    for (float& v : queries) v *= scale;
    const IndexSearchStats s = ExpectExact(p, queries, "scale " + std::to_string(scale), {1, 10});
    if (scale < 1e-20f) {
      EXPECT_EQ(s.plain_queries, s.queries);
    } else {
      EXPECT_EQ(s.plain_queries, 0u) << scale;
    }
  }
}

TEST(EmbeddingIndexBounded, RecentringKeepsResultsExactAsTheIndexGrows) {
  // Rows added one batch at a time far from the first batch's mean: the centre is re-estimated
  // while the index doubles, and rows added after it stay coded against the current centre.
  constexpr int kDim = 24;
  Pair p(kDim);
  // 37, 47, 67, 117 (re-centred), 122, 322 (re-centred), 325 rows: some batches are coded against
  // an older centre, some trigger a re-centring.
  const size_t sizes[] = {37, 10, 20, 50, 5, 200, 3};
  for (int batch = 0; batch < 7; ++batch) {
    auto v = RandomVectors(sizes[batch], kDim, 20 + batch);
    for (float& x : v) x += static_cast<float>(batch);
    p.Add(v);
    ExpectExact(p, RandomVectors(3, kDim, 40 + batch), "batch " + std::to_string(batch), {1, 10});
  }
  while (p.plain.size() > 0) p.Remove(0);
  EXPECT_TRUE(p.bounded.Search(RandomVectors(1, kDim, 50), 5, IndexMetric::kL2)[0].empty());
  p.Add(RandomVectors(10, kDim, 51));
  ExpectExact(p, RandomVectors(2, kDim, 52), "after emptying", {1, 10});
}

// The bound directly: the float32 score in several summation orders (sequential, 8 and 16 lanes, with
// and without fused multiply-add) and the exact value all lie in [lo, hi].
float Sequential(const float* q, const float* x, int dim, bool l2, bool fma) {
  float s = 0;
  for (int i = 0; i < dim; ++i) {
    const float a = l2 ? q[i] - x[i] : q[i];
    const float b = l2 ? q[i] - x[i] : x[i];
    s = fma ? std::fma(a, b, s) : s + a * b;
  }
  return s;
}

float Lanes(const float* q, const float* x, int dim, bool l2, int lanes) {
  std::vector<float> acc(lanes, 0);
  for (int i = 0; i < dim; ++i) {
    const float a = l2 ? q[i] - x[i] : q[i];
    const float b = l2 ? q[i] - x[i] : x[i];
    acc[i % lanes] = std::fma(a, b, acc[i % lanes]);
  }
  float s = 0;
  for (float v : acc) s += v;
  return s;
}

TEST(EmbeddingIndexBounded, BoundHoldsTheFloatScoreInEveryOrder) {
  constexpr int kDim = 128;
  std::vector<float> data = RandomVectors(400, kDim, 30);
  const auto mean = RandomVectors(1, kDim, 31, 3.f);
  for (size_t i = 0; i < data.size(); ++i) data[i] = data[i] * (i < 200 * kDim ? 1.f : 0.01f) + mean[i % kDim];
  std::vector<float> centre(kDim);
  double centre_sq = 0;
  for (int d = 0; d < kDim; ++d) {
    for (size_t r = 0; r < 400; ++r) centre[d] += data[r * kDim + d] / 400;
    centre_sq += static_cast<double>(centre[d]) * centre[d];
  }
  std::vector<int8_t> xc(kDim), qc(kDim);
  std::vector<bounded::RowTerms> rows;
  std::vector<std::vector<int8_t>> codes;
  for (size_t r = 0; r < 400; ++r) {
    rows.push_back(bounded::QuantizeRow(data.data() + r * kDim, centre.data(), kDim, xc.data()));
    codes.push_back(xc);
  }
  auto queries = RandomVectors(10, kDim, 32);
  for (size_t i = 0; i < queries.size(); ++i) queries[i] += mean[i % kDim];
  for (int d = 0; d < kDim; ++d) queries[d] = data[7 * kDim + d];  // a row itself
  double widest = 0;
  for (bool l2 : {true, false})
    for (size_t qi = 0; qi < 10; ++qi) {
      const float* q = queries.data() + qi * kDim;
      const bounded::QueryTerms t = bounded::PrepareQuery(q, centre.data(), centre_sq, kDim, l2, qc.data());
      for (size_t r = 0; r < 400; ++r) {
        int32_t dot = 0;
        for (int d = 0; d < kDim; ++d) dot += int32_t{qc[d]} * codes[r][d];
        float lo, hi;
        bounded::Bounds(t, l2, &dot, &rows[r].scale, &rows[r].sq_norm, &rows[r].dq_norm, &rows[r].resid,
                        &rows[r].centre_dot, 1, &lo, &hi);
        const float* x = data.data() + r * kDim;
        double exact = 0;
        for (int d = 0; d < kDim; ++d)
          exact += l2 ? (static_cast<double>(q[d]) - x[d]) * (static_cast<double>(q[d]) - x[d])
                      : static_cast<double>(q[d]) * x[d];
        const float sign = l2 ? 1.f : -1.f;  // distance space
        for (float v : {Sequential(q, x, kDim, l2, false), Sequential(q, x, kDim, l2, true),
                        Lanes(q, x, kDim, l2, 8), Lanes(q, x, kDim, l2, 16)}) {
          ASSERT_LE(lo, sign * v) << "l2 " << l2 << " query " << qi << " row " << r;
          ASSERT_GE(hi, sign * v) << "l2 " << l2 << " query " << qi << " row " << r;
        }
        ASSERT_LE(lo, sign * exact);
        ASSERT_GE(hi, sign * exact);
        if (l2 && exact > 1) widest = std::max(widest, static_cast<double>(hi - lo) / exact);
      }
    }
  // Not vacuous: the interval is a small part of the distance on this data.
  EXPECT_LT(widest, 0.2) << widest;
}

}  // namespace
}  // namespace idreg::face
