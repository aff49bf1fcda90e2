// The binary-sketch index: every Hamming kernel against the scalar reference (same rows, same
// distances, same order), the candidate list against a brute-force Hamming ranking, mates found at
// rank 1 like the exact flat index, and the row bookkeeping of Remove and of re-centring.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>

#include "face/face_test_support.h"
#include "face/sketch_index_scan.h"
#include "idreg/face/embedding_index.h"
#include "idreg/face/sketch_index.h"

namespace idreg::face {
namespace {

constexpr int kDim = 128;

std::vector<SketchKernel> SupportedKernels() {
  std::vector<SketchKernel> k = {SketchKernel::kScalar};
  if (SketchIndex::BestKernel() != SketchKernel::kScalar) k.push_back(SketchKernel::kPopcnt);
  if (SketchIndex::BestKernel() == SketchKernel::kAvx512) k.push_back(SketchKernel::kAvx512);
  return k;
}

TEST(SketchScan, EveryKernelKeepsTheSameRowsAsTheScalarReference) {
  std::mt19937_64 rng(3);
  for (size_t words : {1u, 2u, 3u, 4u}) {
    const size_t blocks = 37;
    std::vector<uint64_t> sketches(blocks * sketch::kBlockRows * words), query(words);
    for (uint64_t& w : sketches) w = rng();
    for (uint64_t& w : query) w = rng();
    // A few rows equal to the query or its complement: distances 0 and 64 * words.
    for (size_t w = 0; w < words; ++w) {
      sketches[sketch::WordOffset(5, w, words)] = query[w];
      sketches[sketch::WordOffset(100, w, words)] = ~query[w];
    }
    for (uint32_t threshold : {0u, 20u, static_cast<uint32_t>(32 * words), static_cast<uint32_t>(64 * words)}) {
      std::vector<sketch::Candidate> want(blocks * sketch::kBlockRows);
      const size_t n_want = sketch::ScanKernel(SketchKernel::kScalar)(query.data(), sketches.data(), blocks, words,
                                                                       threshold, 1000, want.data());
      // The reference itself, against a direct count.
      size_t expected = 0;
      for (size_t r = 0; r < blocks * sketch::kBlockRows; ++r) {
        uint32_t d = 0;
        for (size_t w = 0; w < words; ++w) d += std::popcount(query[w] ^ sketches[sketch::WordOffset(r, w, words)]);
        if (d <= threshold) {
          ASSERT_LT(expected, n_want);
          EXPECT_EQ(want[expected].row, 1000 + r);
          EXPECT_EQ(want[expected].distance, d);
          ++expected;
        }
      }
      EXPECT_EQ(n_want, expected);
      if (threshold == 0) {
        EXPECT_GE(n_want, 1u);
      }
      if (threshold == 64 * words) {
        EXPECT_EQ(n_want, blocks * sketch::kBlockRows);
      }
      for (SketchKernel k : SupportedKernels()) {
        std::vector<sketch::Candidate> got(blocks * sketch::kBlockRows);
        const size_t n_got = sketch::ScanKernel(k)(query.data(), sketches.data(), blocks, words, threshold, 1000, got.data());
        ASSERT_EQ(n_got, n_want) << "kernel " << static_cast<int>(k) << " words " << words;
        for (size_t i = 0; i < n_got; ++i) {
          EXPECT_EQ(got[i].row, want[i].row);
          EXPECT_EQ(got[i].distance, want[i].distance);
        }
      }
    }
  }
}

TEST(SketchIndex, CandidatesAreTheNearestSketchesWithEveryKernel) {
  // 50,000 rows: more than the sample that chooses the scan's threshold, so both stages run.
  constexpr size_t kRows = 50000;
  const auto gallery = testing::DescriptorLikeRows(kRows, kDim, 4);
  SketchIndex index(kDim, {.bits = 128});
  ASSERT_TRUE(index.Add(gallery).ok());
  std::mt19937 rng(9);
  for (size_t q = 0; q < 5; ++q) {
    const auto query = testing::MateOf(gallery, q * 9973 % kRows, kDim, rng);
    const auto qs = index.Sketch(query);
    std::vector<std::pair<int, uint32_t>> all(kRows);
    for (size_t r = 0; r < kRows; ++r) {
      const auto s = index.RowSketch(r);
      int d = 0;
      for (size_t w = 0; w < s.size(); ++w) d += std::popcount(qs[w] ^ s[w]);
      all[r] = {d, static_cast<uint32_t>(r)};
    }
    std::sort(all.begin(), all.end());
    for (size_t count : {1u, 300u, 1000u}) {
      for (SketchKernel k : SupportedKernels()) {
        const auto got = index.Candidates(query, count, k);
        ASSERT_EQ(got.size(), count);
        for (size_t i = 0; i < count; ++i) ASSERT_EQ(got[i], all[i].second) << "kernel " << static_cast<int>(k);
      }
    }
    // The mate is among the nearest sketches: its angle around the centre is about 36 degrees
    // (a fifth of the bits differ), an unrelated vector's 90 (half).
    EXPECT_LT(std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.second == q * 9973 % kRows; }) -
                  all.begin(),
              100);
  }
}

TEST(SketchIndex, FindsMatesAtRankOneLikeTheExactIndex) {
  constexpr size_t kRows = 20000, kQueries = 200;
  const auto gallery = testing::DescriptorLikeRows(kRows, kDim, 1);
  SketchIndex sketch(kDim, {.bits = 256, .candidates = 200});
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(flat.Add(gallery).ok());
  // Two batches: the second doubles the index, so the centre is re-estimated and every sketch
  // recomputed.
  ASSERT_TRUE(sketch.Add(std::span<const float>(gallery.data(), 5000 * kDim)).ok());
  auto second = sketch.Add(std::span<const float>(gallery.data() + 5000 * kDim, 15000 * kDim));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 5000u);
  ASSERT_EQ(sketch.size(), kRows);
  std::mt19937 rng(2);
  std::vector<float> queries;
  std::vector<uint32_t> mates;
  for (size_t i = 0; i < kQueries; ++i) {
    const size_t row = (i * 7919 + 13) % kRows;
    const auto q = testing::MateOf(gallery, row, kDim, rng);
    queries.insert(queries.end(), q.begin(), q.end());
    mates.push_back(static_cast<uint32_t>(row));
  }
  const auto exact = flat.Search(queries, 10, IndexMetric::kL2, 2);
  const auto got = sketch.Search(queries, 10, IndexMetric::kL2, 2);
  size_t exact_hits = 0, hits = 0;
  for (size_t i = 0; i < kQueries; ++i) {
    exact_hits += exact[i][0].row == mates[i];
    hits += got[i][0].row == mates[i];
    // Whatever both return at rank 1 carries the exact float32 score.
    if (got[i][0].row == exact[i][0].row) {
      EXPECT_FLOAT_EQ(got[i][0].score, exact[i][0].score);
    }
  }
  EXPECT_GE(exact_hits, kQueries * 99 / 100);
  EXPECT_GE(hits, exact_hits - 1);
  // Inner product, for which vectors are L2-normalised (cosine): the same rank-1 rows as the
  // exact index for nearly every query.
  auto normalised = [](std::vector<float> v) {
    for (size_t r = 0; r < v.size() / kDim; ++r) {
      float n = 0;
      for (int d = 0; d < kDim; ++d) n += v[r * kDim + d] * v[r * kDim + d];
      for (int d = 0; d < kDim; ++d) v[r * kDim + d] /= std::sqrt(n);
    }
    return v;
  };
  const auto unit_gallery = normalised(gallery), unit_queries = normalised(queries);
  SketchIndex ip_sketch(kDim, {.bits = 256, .candidates = 200});
  EmbeddingIndex ip_flat(kDim);
  ASSERT_TRUE(ip_sketch.Add(unit_gallery).ok());
  ASSERT_TRUE(ip_flat.Add(unit_gallery).ok());
  const auto ip_exact = ip_flat.Search(unit_queries, 1, IndexMetric::kInnerProduct, 2);
  const auto ip_got = ip_sketch.Search(unit_queries, 1, IndexMetric::kInnerProduct, 2);
  size_t same = 0;
  for (size_t i = 0; i < kQueries; ++i) {
    same += ip_got[i][0].row == ip_exact[i][0].row;
    if (ip_got[i][0].row == ip_exact[i][0].row) {
      EXPECT_FLOAT_EQ(ip_got[i][0].score, ip_exact[i][0].score);
    }
  }
  EXPECT_GE(same, kQueries * 98 / 100);
}

TEST(SketchIndex, RemoveMovesTheLastRowLikeTheFlatIndex) {
  const auto gallery = testing::DescriptorLikeRows(300, kDim, 5);
  SketchIndex sketch(kDim, {.bits = 64, .candidates = 300});
  EmbeddingIndex flat(kDim);
  ASSERT_TRUE(sketch.Add(gallery).ok());
  ASSERT_TRUE(flat.Add(gallery).ok());
  const auto last_sketch = sketch.RowSketch(299);
  for (size_t row : {7u, 298u, 0u}) {
    auto a = sketch.Remove(row);
    auto b = flat.Remove(row);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(*a, *b);
  }
  EXPECT_EQ(sketch.RowSketch(7), last_sketch);
  EXPECT_EQ(sketch.Remove(1000).status().code(), StatusCode::kNotFound);
  ASSERT_EQ(sketch.size(), flat.size());
  for (size_t r = 0; r < flat.size(); ++r)
    EXPECT_TRUE(std::equal(sketch.Row(r), sketch.Row(r) + kDim, flat.Row(r))) << r;
  // With every row a candidate the search is exact.
  const auto q = std::vector<float>(gallery.begin() + 50 * kDim, gallery.begin() + 51 * kDim);
  const auto want = flat.Search(q, 5, IndexMetric::kL2, 1);
  const auto got = sketch.Search(q, 5, IndexMetric::kL2, 1);
  ASSERT_EQ(got[0].size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(got[0][i].row, want[0][i].row);
}

TEST(SketchIndex, RejectsMalformedInput) {
  SketchIndex index(kDim);
  EXPECT_EQ(index.Add(std::vector<float>(kDim + 1, 0.f)).status().code(), StatusCode::kInvalidArgument);
  std::vector<float> bad(kDim, 0.f);
  bad[3] = NAN;
  EXPECT_EQ(index.Add(bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.Search(std::vector<float>(kDim, 0.f), 3, IndexMetric::kL2, 1)[0].empty());
}

}  // namespace
}  // namespace idreg::face
