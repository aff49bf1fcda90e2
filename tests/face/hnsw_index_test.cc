// The HNSW index against the exact flat index: mates (perturbed copies of gallery vectors, at the
// genuine distances measured on bbt-crops) found at rank 1, scores as the flat index reports them,
// and the row bookkeeping of Remove (relabelled graph nodes) kept identical to the flat index's.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "idreg/face/embedding_index.h"
#include "idreg/face/hnsw_index.h"

namespace idreg::face {
namespace {

constexpr int kDim = 128;

// Descriptor-like vectors: a common mean plus isotropic spread, so that two unrelated vectors lie
// about 0.83 apart (the impostor mean distance on bbt-crops).
std::vector<float> Gallery(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0, 1);
  std::vector<float> mean(kDim);
  for (float& m : mean) m = 0.1f * g(rng);
  const float sigma = 0.827f / std::sqrt(2.0f * kDim);
  std::vector<float> v(n * kDim);
  for (size_t i = 0; i < v.size(); ++i) v[i] = mean[i % kDim] + sigma * g(rng);
  return v;
}

// A mate of `row`: moved in a random direction by a genuine distance drawn from N(0.428, 0.071),
// the genuine distances of bbt-crops (idreg eval face --no-detect --scores).
std::vector<float> Mate(const std::vector<float>& gallery, size_t row, std::mt19937& rng) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> e(kDim);
  float norm = 0;
  for (float& x : e) {
    x = g(rng);
    norm += x * x;
  }
  const float distance = std::clamp(0.428f + 0.071f * g(rng), 0.2f, 0.7f);
  std::vector<float> q(kDim);
  for (int d = 0; d < kDim; ++d) q[d] = gallery[row * kDim + d] + e[d] * distance / std::sqrt(norm);
  return q;
}

TEST(HnswIndex, FindsMatesAtRankOneLikeTheExactIndex) {
  constexpr size_t kRows = 10000, kQueries = 300;
  const auto gallery = Gallery(kRows, 1);
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
  std::mt19937 rng(2);
  std::vector<float> queries;
  std::vector<size_t> mates;
  for (size_t i = 0; i < kQueries; ++i) {
    mates.push_back(i * 61 % kRows);
    const auto q = Mate(gallery, mates.back(), rng);
    queries.insert(queries.end(), q.begin(), q.end());
  }
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
  auto gallery = Gallery(2000, 3);
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

TEST(HnswIndex, RemoveNumbersRowsLikeTheFlatIndex) {
  const auto gallery = Gallery(600, 4);
  HnswIndex hnsw(kDim);
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
}

}  // namespace
}  // namespace idreg::face
