// The HNSW index (float32 and int8 graphs) against the exact flat index: mates (perturbed copies of
// gallery vectors, at the genuine distances measured on bbt-crops) found at rank 1, scores as the
// flat index reports them, the row bookkeeping of Remove (relabelled graph nodes) kept identical to
// the flat index's, bad parameters refused; and the int8 graph's one-pair kernels against the
// scalar reference.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "face/face_test_support.h"
#include "face/int8_row.h"
#include "face/int8_scan.h"
#include "idreg/face/embedding_index.h"
#include "idreg/face/hnsw_index.h"

namespace idreg::face {
namespace {

constexpr int kDim = 128;

// `count` mates (testing::MateOf) of the rows i * stride mod rows, concatenated; the rows in *mates.
std::vector<float> MateQueries(const std::vector<float>& gallery, size_t count, size_t stride, uint32_t seed,
                               std::vector<size_t>* mates) {
  const size_t rows = gallery.size() / kDim;
  std::mt19937 rng(seed);
  std::vector<float> queries;
  for (size_t i = 0; i < count; ++i) {
    mates->push_back(i * stride % rows);
    const auto q = testing::MateOf(gallery, mates->back(), kDim, rng);
    queries.insert(queries.end(), q.begin(), q.end());
  }
  return queries;
}

TEST(HnswIndex, FindsMatesAtRankOneLikeTheExactIndex) {
  constexpr size_t kRows = 10000, kQueries = 300;
  const auto gallery = testing::DescriptorLikeRows(kRows, kDim, 1);
  // One build thread: hnswlib's graph then depends only on its seeded level generator, so the
  // figures below are the same on every run (with several threads the insertion order varies).
  HnswIndex hnsw(kDim, IndexMetric::kL2, {.build_threads = 1});
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(flat.Add(gallery).ok());
  // Two batches: the second grows the graph's capacity.
  ASSERT_TRUE(hnsw.Add(std::span<const float>(gallery.data(), 7000 * kDim)).ok());
  auto second = hnsw.Add(std::span<const float>(gallery.data() + 7000 * kDim, 3000 * kDim));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 7000u);
  ASSERT_EQ(hnsw.size(), kRows);
  std::vector<size_t> mates;
  const std::vector<float> queries = MateQueries(gallery, kQueries, 61, 2, &mates);
  const auto exact = flat.Search(queries, 10, IndexMetric::kL2, 2);
  const auto approx = hnsw.Search(queries, 10, IndexMetric::kL2, 2);
  size_t exact_mates = 0, same_rank1 = 0, found = 0;
  for (size_t i = 0; i < kQueries; ++i) {
    exact_mates += exact[i][0].row == mates[i];
    ASSERT_EQ(approx[i].size(), 10u);
    same_rank1 += approx[i][0].row == exact[i][0].row;
    if (approx[i][0].row == exact[i][0].row) {
      EXPECT_NEAR(approx[i][0].score, exact[i][0].score, 1e-4f);
    }
    std::set<uint32_t> truth;
    for (const IndexHit& h : exact[i]) truth.insert(h.row);
    for (const IndexHit& h : approx[i]) found += truth.count(h.row);
    for (size_t r = 1; r < approx[i].size(); ++r) EXPECT_LE(approx[i][r - 1].score, approx[i][r].score);
  }
  EXPECT_GE(exact_mates, kQueries * 99 / 100) << "the synthetic mates should be findable";
  EXPECT_GE(same_rank1, kQueries * 99 / 100);
  EXPECT_GE(static_cast<double>(found) / (kQueries * 10), 0.9);
  EXPECT_GT(hnsw.MemoryBytes(), kRows * kDim * sizeof(float));
}

TEST(HnswIndex, InnerProductScoresAreProducts) {
  auto gallery = testing::DescriptorLikeRows(2000, kDim, 3);
  for (size_t r = 0; r < 2000; ++r) {  // unit length: cosine similarity
    float n = 0;
    for (int d = 0; d < kDim; ++d) n += gallery[r * kDim + d] * gallery[r * kDim + d];
    for (int d = 0; d < kDim; ++d) gallery[r * kDim + d] /= std::sqrt(n);
  }
  HnswIndex hnsw(kDim, IndexMetric::kInnerProduct);
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(hnsw.Add(gallery).ok());
  ASSERT_TRUE(flat.Add(gallery).ok());
  const std::span<const float> q(gallery.data() + 77 * kDim, kDim);
  const auto a = hnsw.Search(q, 5, IndexMetric::kInnerProduct, 1);
  const auto b = flat.Search(q, 5, IndexMetric::kInnerProduct, 1);
  ASSERT_EQ(a[0].size(), 5u);
  EXPECT_EQ(a[0][0].row, 77u);
  EXPECT_NEAR(a[0][0].score, 1.0f, 1e-5f);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(a[0][i].row, b[0][i].row);
    EXPECT_NEAR(a[0][i].score, b[0][i].score, 1e-5f);
  }
}

class HnswPrecision : public ::testing::TestWithParam<IndexPrecision> {};

TEST_P(HnswPrecision, RemoveNumbersRowsLikeTheFlatIndex) {
  const auto gallery = testing::DescriptorLikeRows(600, kDim, 4);
  HnswIndex hnsw(kDim, IndexMetric::kL2, {.precision = GetParam()});
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(hnsw.Add(gallery).ok());
  ASSERT_TRUE(flat.Add(gallery).ok());
  EXPECT_FALSE(hnsw.Add(std::vector<float>(kDim - 1, 0)).ok());
  std::vector<float> bad(kDim, 0);
  bad[5] = NAN;
  EXPECT_FALSE(hnsw.Add(bad).ok());
  EXPECT_EQ(hnsw.Remove(600).status().code(), StatusCode::kNotFound);
  std::set<std::vector<float>> removed;
  for (size_t victim : {5u, 598u, 0u, 300u, 17u}) {
    removed.insert(std::vector<float>(hnsw.Row(victim), hnsw.Row(victim) + kDim));
    auto a = hnsw.Remove(victim);
    auto b = flat.Remove(victim);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b);
  }
  ASSERT_EQ(hnsw.size(), flat.size());
  for (size_t r = 0; r < flat.size(); ++r)
    ASSERT_EQ(std::vector<float>(hnsw.Row(r), hnsw.Row(r) + kDim), std::vector<float>(flat.Row(r), flat.Row(r) + kDim));
  // Every remaining row finds itself under its (possibly new) number; removed vectors never come back.
  for (size_t r = 0; r < flat.size(); r += 7) {
    const auto hits = hnsw.Search(std::span<const float>(flat.Row(r), kDim), 3, IndexMetric::kL2, 1);
    EXPECT_EQ(hits[0][0].row, r);
    for (const IndexHit& h : hits[0]) {
      ASSERT_LT(h.row, hnsw.size());
      EXPECT_FALSE(removed.count(std::vector<float>(hnsw.Row(h.row), hnsw.Row(h.row) + kDim)));
    }
  }
  // Rows added after removals continue the numbering.
  auto added = hnsw.Add(std::span<const float>(gallery.data(), kDim));
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, flat.size());
  EXPECT_EQ(hnsw.Search(std::span<const float>(gallery.data(), kDim), 1, IndexMetric::kL2, 1)[0][0].row, *added);
  EXPECT_EQ(std::vector<float>(hnsw.Row(*added), hnsw.Row(*added) + kDim),
            std::vector<float>(gallery.begin(), gallery.begin() + kDim));
}

INSTANTIATE_TEST_SUITE_P(Precisions, HnswPrecision, ::testing::Values(IndexPrecision::kFloat32, IndexPrecision::kInt8),
                         [](const auto& info) { return info.param == IndexPrecision::kInt8 ? "Int8" : "Float32"; });

// Every kernel is exact, so all equal the scalar one, at the extremes of the code range too.
TEST(HnswInt8, RowDotKernelsEqualTheScalarOne) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> code(-127, 127);
  const int8::RowDotFn reference = int8::RowDotKernel(IndexKernel::kScalar);
  for (size_t bytes : {64u, 128u, 192u, 512u}) {
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<int8_t> a(bytes), b(bytes);
      for (size_t i = 0; i < bytes; ++i) {
        a[i] = static_cast<int8_t>(trial == 0 ? 127 : trial == 1 ? -127 : code(rng));
        b[i] = static_cast<int8_t>(trial == 0 ? -127 : trial == 1 ? -127 : code(rng));
      }
      int32_t b_sum = 0, expected = 0;
      for (size_t i = 0; i < bytes; ++i) {
        b_sum += b[i];
        expected += int32_t{a[i]} * b[i];
      }
      ASSERT_EQ(reference(a.data(), b.data(), b_sum, bytes), expected);
      for (IndexKernel k : testing::SupportedInt8Kernels())
        ASSERT_EQ(int8::RowDotKernel(k)(a.data(), b.data(), b_sum, bytes), expected)
            << "kernel " << static_cast<int>(k) << ", " << bytes << " bytes, trial " << trial;
    }
  }
  EXPECT_EQ(int8::RowBytes(128), 128u);
  EXPECT_EQ(int8::RowBytes(129), 192u);
}

// The int8 graph with float32 re-scoring: every mate of a small gallery at rank 1 as the exact
// search finds it, with the exact search's float32 score.
TEST(HnswInt8, FindsMatesWithExactScores) {
  constexpr size_t kRows = 4000, kQueries = 200;
  const auto gallery = testing::DescriptorLikeRows(kRows, kDim, 11);
  HnswIndex hnsw(kDim, IndexMetric::kL2, {.build_threads = 1, .precision = IndexPrecision::kInt8});
  EXPECT_EQ(hnsw.precision(), IndexPrecision::kInt8);
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(flat.Add(gallery).ok());
  ASSERT_TRUE(hnsw.Add(std::span<const float>(gallery.data(), 2500 * kDim)).ok());
  ASSERT_TRUE(hnsw.Add(std::span<const float>(gallery.data() + 2500 * kDim, 1500 * kDim)).ok());
  ASSERT_EQ(hnsw.size(), kRows);
  for (size_t r : {0u, 2499u, 2500u, 3999u})
    ASSERT_EQ(std::vector<float>(hnsw.Row(r), hnsw.Row(r) + kDim), std::vector<float>(flat.Row(r), flat.Row(r) + kDim));
  std::vector<size_t> mates;
  const std::vector<float> queries = MateQueries(gallery, kQueries, 37, 12, &mates);
  const auto exact = flat.Search(queries, 10, IndexMetric::kL2, 2);
  const auto approx = hnsw.Search(queries, 10, IndexMetric::kL2, 2);
  size_t found = 0;
  for (size_t i = 0; i < kQueries; ++i) {
    ASSERT_EQ(exact[i][0].row, mates[i]) << "the synthetic mate should be the nearest row";
    ASSERT_EQ(approx[i].size(), 10u);
    EXPECT_EQ(approx[i][0].row, mates[i]) << "query " << i;
    EXPECT_NEAR(approx[i][0].score, exact[i][0].score, 1e-5f * exact[i][0].score);
    std::set<uint32_t> truth;
    for (const IndexHit& h : exact[i]) truth.insert(h.row);
    for (size_t r = 0; r < approx[i].size(); ++r) {
      found += truth.count(approx[i][r].row);
      // Exact float32 scores: recomputed here from the stored row.
      const float* x = hnsw.Row(approx[i][r].row);
      float d = 0;
      for (int j = 0; j < kDim; ++j) d += (queries[i * kDim + j] - x[j]) * (queries[i * kDim + j] - x[j]);
      EXPECT_NEAR(approx[i][r].score, d, 1e-5f * d);
      if (r > 0) {
        EXPECT_LE(approx[i][r - 1].score, approx[i][r].score);
      }
    }
  }
  EXPECT_GE(static_cast<double>(found) / (kQueries * 10), 0.95);
  // Codes (140 B) + float32 rows (512 B) + links, at least.
  EXPECT_GT(hnsw.MemoryBytes(), kRows * (kDim * sizeof(float) + kDim));
}

TEST(HnswInt8, InnerProductScoresAreExactProducts) {
  auto gallery = testing::DescriptorLikeRows(2000, kDim, 13);
  for (size_t r = 0; r < 2000; ++r) {
    float n = 0;
    for (int d = 0; d < kDim; ++d) n += gallery[r * kDim + d] * gallery[r * kDim + d];
    for (int d = 0; d < kDim; ++d) gallery[r * kDim + d] /= std::sqrt(n);
  }
  HnswIndex hnsw(kDim, IndexMetric::kInnerProduct, {.precision = IndexPrecision::kInt8});
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(hnsw.Add(gallery).ok());
  ASSERT_TRUE(flat.Add(gallery).ok());
  for (size_t row : {77u, 1500u}) {
    const std::span<const float> q(gallery.data() + row * kDim, kDim);
    const auto a = hnsw.Search(q, 5, IndexMetric::kInnerProduct, 1);
    const auto b = flat.Search(q, 5, IndexMetric::kInnerProduct, 1);
    ASSERT_EQ(a[0].size(), 5u);
    EXPECT_EQ(a[0][0].row, row);
    EXPECT_NEAR(a[0][0].score, 1.0f, 1e-5f);
    for (size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(a[0][i].row, b[0][i].row);
      EXPECT_NEAR(a[0][i].score, b[0][i].score, 1e-5f);
    }
  }
}

TEST(HnswIndex, RefusesBadParameters) {
  EXPECT_TRUE(HnswIndex::CheckParams(kDim, IndexMetric::kL2, {}).ok());
  EXPECT_TRUE(HnswIndex::Create(kDim, IndexMetric::kL2, {.precision = IndexPrecision::kInt8}).ok());
  const auto refused = [](int dim, HnswParams p, IndexMetric metric = IndexMetric::kL2) {
    auto index = HnswIndex::Create(dim, metric, p);
    return !index.ok() && index.status().code() == StatusCode::kInvalidArgument;
  };
  EXPECT_TRUE(refused(0, {}));
  EXPECT_TRUE(refused(-3, {}));
  EXPECT_TRUE(refused(kDim, {.m = 1}));
  EXPECT_TRUE(refused(kDim, {.m = 5000}));
  EXPECT_TRUE(refused(kDim, {.ef_construction = 0}));
  EXPECT_TRUE(refused(kDim, {.ef_search = 0}));
  EXPECT_TRUE(refused(kDim, {.precision = static_cast<IndexPrecision>(7)}));
  EXPECT_TRUE(refused(kDim, {}, static_cast<IndexMetric>(9)));
  EXPECT_NE(HnswIndex::Create(kDim, IndexMetric::kL2, {.m = 1}).status().message().find("m 1"), std::string::npos);
}

}  // namespace
}  // namespace idreg::face
