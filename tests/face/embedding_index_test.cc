// The flat index: every SIMD kernel against the scalar reference, top-k against a brute-force
// sort, threads against one thread, and add/remove bookkeeping.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "face/face_test_support.h"
#include "idreg/face/embedding_index.h"

namespace idreg::face {
namespace {

using testing::RandomVectors;

std::vector<IndexKernel> SupportedKernels() {
  std::vector<IndexKernel> k = {IndexKernel::kScalar};
  if (EmbeddingIndex::BestKernel() != IndexKernel::kScalar) k.push_back(IndexKernel::kAvx2);
  if (EmbeddingIndex::BestKernel() == IndexKernel::kAvx512) k.push_back(IndexKernel::kAvx512);
  return k;
}

// Brute force with double precision, for the expected order.
std::vector<uint32_t> BruteForce(const std::vector<float>& data, const float* q, int dim, size_t k, bool l2) {
  const size_t n = data.size() / dim;
  std::vector<std::pair<double, uint32_t>> s(n);
  for (size_t r = 0; r < n; ++r) {
    double acc = 0;
    for (int i = 0; i < dim; ++i) {
      const double a = q[i], b = data[r * dim + i];
      acc += l2 ? (a - b) * (a - b) : a * b;
    }
    s[r] = {l2 ? acc : -acc, static_cast<uint32_t>(r)};
  }
  std::sort(s.begin(), s.end());
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < k; ++i) rows.push_back(s[i].second);
  return rows;
}

TEST(EmbeddingIndex, EveryKernelAndThreadCountAgreesWithBruteForce) {
  for (int dim : {128, 100, 7}) {
    EmbeddingIndex index(dim);
    const auto data = RandomVectors(3001, dim, 1);
    ASSERT_TRUE(index.Add(data).ok());
    const auto queries = RandomVectors(5, dim, 2);
    for (IndexMetric metric : {IndexMetric::kL2, IndexMetric::kInnerProduct}) {
      const bool l2 = metric == IndexMetric::kL2;
      for (IndexKernel kernel : SupportedKernels()) {
        for (int threads : {1, 2, 3}) {
          const auto hits = index.Search(queries, 10, metric, threads, kernel);
          ASSERT_EQ(hits.size(), 5u);
          for (size_t q = 0; q < 5; ++q) {
            const auto expected = BruteForce(data, queries.data() + q * dim, dim, 10, l2);
            ASSERT_EQ(hits[q].size(), 10u);
            for (size_t i = 0; i < 10; ++i) {
              EXPECT_EQ(hits[q][i].row, expected[i]) << "dim " << dim << " kernel " << static_cast<int>(kernel)
                                                     << " threads " << threads << " rank " << i;
            }
          }
        }
      }
      // Scores of the fast kernel match the scalar reference's.
      const auto fast = index.Search(queries, 50, metric, 2);
      const auto ref = index.Search(queries, 50, metric, 1, IndexKernel::kScalar);
      for (size_t q = 0; q < 5; ++q)
        for (size_t i = 0; i < 50; ++i) EXPECT_NEAR(fast[q][i].score, ref[q][i].score, 1e-3f * (1 + std::abs(ref[q][i].score)));
    }
  }
}

TEST(EmbeddingIndex, NearestOfACopyIsItself) {
  EmbeddingIndex index;
  const auto data = RandomVectors(1000, 128, 3);
  ASSERT_TRUE(index.Add(data).ok());
  const auto hits = index.Search(std::span<const float>(data.data() + 417 * 128, 128), 1, IndexMetric::kL2);
  ASSERT_EQ(hits[0].size(), 1u);
  EXPECT_EQ(hits[0][0].row, 417u);
  EXPECT_FLOAT_EQ(hits[0][0].score, 0);
}

TEST(EmbeddingIndex, AddRemoveBookkeeping) {
  EmbeddingIndex index(4);
  EXPECT_FALSE(index.Add(std::vector<float>{1, 2, 3}).ok());
  EXPECT_FALSE(index.Add(std::vector<float>{1, 2, 3, NAN}).ok());
  auto first = index.Add(std::vector<float>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 0u);
  EXPECT_EQ(index.size(), 3u);
  auto moved = index.Remove(0);  // the last row (2,2,2,2) moves into row 0
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 2u);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Row(0)[0], 2);
  EXPECT_EQ(index.Remove(5).status().code(), StatusCode::kNotFound);
  const auto hits = index.Search(std::vector<float>{1, 1, 1, 1}, 5, IndexMetric::kL2);
  ASSERT_EQ(hits[0].size(), 2u);  // k is capped at the size
  EXPECT_EQ(hits[0][0].row, 1u);
  EmbeddingIndex empty(4);
  EXPECT_TRUE(empty.Search(std::vector<float>{1, 1, 1, 1}, 3, IndexMetric::kL2)[0].empty());
}

}  // namespace
}  // namespace idreg::face
