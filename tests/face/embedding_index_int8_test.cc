// The int8 mode of the flat index: every integer kernel against the scalar reference (identical
// results, the dot products being exact), recall of the re-scored search against the exact float32
// search, and add/remove bookkeeping of the codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "face/face_test_support.h"
#include "idreg/face/embedding_index.h"

namespace idreg::face {
namespace {

using testing::RandomVectors;
using testing::SupportedInt8Kernels;

double RecallAt(const std::vector<std::vector<IndexHit>>& got, const std::vector<std::vector<IndexHit>>& exact) {
  size_t found = 0, total = 0;
  for (size_t q = 0; q < exact.size(); ++q) {
    std::set<uint32_t> truth;
    for (const IndexHit& h : exact[q]) truth.insert(h.row);
    for (const IndexHit& h : got[q]) found += truth.count(h.row);
    total += exact[q].size();
  }
  return static_cast<double>(found) / total;
}

TEST(EmbeddingIndexInt8, EveryKernelAndThreadCountGivesTheScalarResult) {
  for (int dim : {128, 100, 7}) {
    EmbeddingIndex index(dim, IndexPrecision::kInt8);
    index.set_int8_rerank(0);  // the integer estimates themselves
    const auto data = RandomVectors(3001, dim, 1);
    ASSERT_TRUE(index.Add(data).ok());
    const auto queries = RandomVectors(5, dim, 2);
    for (IndexMetric metric : {IndexMetric::kL2, IndexMetric::kInnerProduct}) {
      const auto ref = index.Search(queries, 20, metric, 1, IndexKernel::kScalar);
      ASSERT_EQ(ref.size(), 5u);
      for (IndexKernel kernel : SupportedInt8Kernels()) {
        for (int threads : {1, 2, 3}) {
          const auto hits = index.Search(queries, 20, metric, threads, kernel);
          for (size_t q = 0; q < 5; ++q) {
            ASSERT_EQ(hits[q].size(), 20u);
            for (size_t i = 0; i < 20; ++i) {
              EXPECT_EQ(hits[q][i].row, ref[q][i].row) << "dim " << dim << " kernel " << static_cast<int>(kernel)
                                                       << " threads " << threads << " rank " << i;
              EXPECT_EQ(hits[q][i].score, ref[q][i].score);
            }
          }
        }
      }
      // The estimate is close to the true score of the same row.
      for (size_t q = 0; q < 5; ++q)
        for (const IndexHit& h : ref[q]) {
          double exact = 0;
          for (int d = 0; d < dim; ++d) {
            const double a = queries[q * dim + d], b = index.Row(h.row)[d];
            exact += metric == IndexMetric::kL2 ? (a - b) * (a - b) : a * b;
          }
          EXPECT_NEAR(h.score, exact, 0.02 * dim) << "dim " << dim;
        }
    }
  }
}

TEST(EmbeddingIndexInt8, RescoredSearchHasRecallOfTheExactSearch) {
  // Descriptor-like vectors (128-d, length about 1.4) and queries that are perturbed copies of
  // gallery rows (mates) or unrelated vectors.
  constexpr int kDim = 128;
  const auto data = RandomVectors(20000, kDim, 3, 0.125f);
  EmbeddingIndex exact(kDim), quant(kDim, IndexPrecision::kInt8);
  ASSERT_TRUE(exact.Add(data).ok());
  ASSERT_TRUE(quant.Add(data).ok());
  auto queries = RandomVectors(40, kDim, 4, 0.125f);
  const auto noise = RandomVectors(40, kDim, 5, 0.03f);
  for (size_t q = 0; q < 20; ++q)
    for (int d = 0; d < kDim; ++d) queries[q * kDim + d] = data[(q * 997) * kDim + d] + noise[q * kDim + d];
  for (IndexMetric metric : {IndexMetric::kL2, IndexMetric::kInnerProduct}) {
    const auto truth = exact.Search(queries, 10, metric, 2);
    const auto got = quant.Search(queries, 10, metric, 2);
    EXPECT_GE(RecallAt(got, truth), 0.99) << "metric " << static_cast<int>(metric);
    // Re-scored hits carry the exact float32 scores.
    for (size_t q = 0; q < truth.size(); ++q)
      for (size_t i = 0; i < got[q].size(); ++i)
        if (got[q][i].row == truth[q][i].row) {
          EXPECT_NEAR(got[q][i].score, truth[q][i].score, 1e-5f);
        }
    for (size_t q = 0; q < 20; ++q) EXPECT_EQ(got[q][0].row, q * 997);
  }
  // Without re-scoring the estimate alone still finds most of the top 10.
  quant.set_int8_rerank(0);
  EXPECT_GE(RecallAt(quant.Search(queries, 10, IndexMetric::kL2, 2), exact.Search(queries, 10, IndexMetric::kL2, 2)),
            0.8);
}

TEST(EmbeddingIndexInt8, RemoveKeepsTheCodesOfTheMovedRow) {
  constexpr int kDim = 20;
  const auto data = RandomVectors(50, kDim, 6);
  EmbeddingIndex index(kDim, IndexPrecision::kInt8);
  index.set_int8_rerank(0);
  ASSERT_TRUE(index.Add(data).ok());
  // Remove rows 3 (row 49 moves there), 48 (the last: nothing moves), then 0 (row 47 moves).
  std::vector<size_t> rows(50);
  for (size_t i = 0; i < 50; ++i) rows[i] = i;
  for (size_t victim : {3u, 48u, 0u}) {
    const size_t last = index.size() - 1;
    auto moved = index.Remove(victim);
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(*moved, last);
    rows[victim] = rows[last];
    rows.pop_back();
  }
  ASSERT_EQ(index.size(), 47u);
  // A fresh index of the remaining vectors in the same row order gives identical estimates.
  std::vector<float> remaining;
  for (size_t r : rows) remaining.insert(remaining.end(), data.begin() + r * kDim, data.begin() + (r + 1) * kDim);
  EmbeddingIndex fresh(kDim, IndexPrecision::kInt8);
  fresh.set_int8_rerank(0);
  ASSERT_TRUE(fresh.Add(remaining).ok());
  const auto queries = RandomVectors(3, kDim, 7);
  for (IndexKernel kernel : SupportedInt8Kernels()) {
    const auto a = index.Search(queries, 47, IndexMetric::kL2, 1, kernel);
    const auto b = fresh.Search(queries, 47, IndexMetric::kL2, 1, kernel);
    for (size_t q = 0; q < 3; ++q) {
      ASSERT_EQ(a[q].size(), 47u);
      for (size_t i = 0; i < 47; ++i) {
        EXPECT_EQ(a[q][i].row, b[q][i].row);
        EXPECT_EQ(a[q][i].score, b[q][i].score);
      }
    }
  }
  // A copy of a stored row finds itself; removing everything leaves an empty, searchable index.
  const auto self = index.Search(std::span<const float>(index.Row(10), kDim), 1, IndexMetric::kL2);
  EXPECT_EQ(self[0][0].row, 10u);
  while (index.size() > 0) ASSERT_TRUE(index.Remove(0).ok());
  EXPECT_TRUE(index.Search(queries, 5, IndexMetric::kL2)[0].empty());
  EXPECT_TRUE(index.Add(std::vector<float>(kDim, 0)).ok());  // the zero vector quantises too
  EXPECT_EQ(index.Search(queries, 5, IndexMetric::kL2)[0].size(), 1u);
}

}  // namespace
}  // namespace idreg::face
