#include "idreg/face/sketch_index.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

#include "parallel_for.h"
#include "sketch_index_scan.h"

namespace idreg::face {
namespace {

using sketch::Candidate;
using sketch::kBlockRows;

void SketchRequire(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "idreg: SketchIndex: %s\n", what);
    std::abort();
  }
}

using parallel::RunOn;
using parallel::Threads;

// Exact re-scoring: squared L2 or inner product of one query and one row.
using ExactFn = float (*)(const float* q, const float* x, int dim, bool l2);

float ExactScalar(const float* q, const float* x, int dim, bool l2) {
  float s = 0;
  for (int i = 0; i < dim; ++i) s += l2 ? (q[i] - x[i]) * (q[i] - x[i]) : q[i] * x[i];
  return s;
}

__attribute__((target("avx2,fma"))) float ExactAvx2(const float* q, const float* x, int dim, bool l2) {
  __m256 acc = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= dim; i += 8) {
    const __m256 u = _mm256_loadu_ps(q + i), v = _mm256_loadu_ps(x + i);
    if (l2) {
      const __m256 e = _mm256_sub_ps(u, v);
      acc = _mm256_fmadd_ps(e, e, acc);
    } else {
      acc = _mm256_fmadd_ps(u, v, acc);
    }
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, acc);
  float s = 0;
  for (float v : lanes) s += v;
  for (; i < dim; ++i) s += l2 ? (q[i] - x[i]) * (q[i] - x[i]) : q[i] * x[i];
  return s;
}

ExactFn BestExact() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? ExactAvx2 : ExactScalar;
}

// Rows sampled first to choose the scan's threshold (see Candidates).
constexpr size_t kSampleRows = 32768;
// Rows scanned per kernel call (bounds the per-call output buffer).
constexpr size_t kChunkRows = 4096;

bool CloserCandidate(const Candidate& a, const Candidate& b) {
  return a.distance != b.distance ? a.distance < b.distance : a.row < b.row;
}

}  // namespace

SketchIndex::SketchIndex(int dim, SketchParams params) : dim_(dim), params_(params) {
  SketchRequire(dim > 0, "dim must be positive");
  SketchRequire(params.bits > 0 && params.bits % 64 == 0, "bits must be a positive multiple of 64");
  words_ = static_cast<size_t>(params.bits) / 64;
  centre_.assign(dim, 0);
  // Gaussian hyperplanes through the centre: the probability that a bit differs between two
  // vectors is their angle / pi (Charikar's SimHash).
  std::mt19937 rng(params.seed);
  std::normal_distribution<float> g(0, 1);
  projection_.resize(static_cast<size_t>(dim) * params.bits);
  for (float& p : projection_) p = g(rng);
}

SketchKernel SketchIndex::BestKernel() {
  static const SketchKernel best = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) return SketchKernel::kAvx512;
    if (__builtin_cpu_supports("popcnt")) return SketchKernel::kPopcnt;
    return SketchKernel::kScalar;
  }();
  return best;
}

void SketchIndex::Encode(const float* v, uint64_t* words) const {
  const int bits = params_.bits;
  // Dimension-outer so that the compiler vectorises over the hyperplanes without reordering any
  // sum: every build gives the same sketch for the same vector.
  std::vector<float> proj(bits, 0.f);
  for (int d = 0; d < dim_; ++d) {
    const float x = v[d] - centre_[d];
    const float* p = projection_.data() + static_cast<size_t>(d) * bits;
    for (int b = 0; b < bits; ++b) proj[b] += x * p[b];
  }
  for (size_t w = 0; w < words_; ++w) {
    uint64_t word = 0;
    for (int b = 0; b < 64; ++b) word |= static_cast<uint64_t>(proj[w * 64 + b] > 0) << b;
    words[w] = word;
  }
}

std::vector<uint64_t> SketchIndex::Sketch(std::span<const float> vector) const {
  SketchRequire(vector.size() == static_cast<size_t>(dim_), "Sketch: the vector is not dim() long");
  std::vector<uint64_t> words(words_);
  Encode(vector.data(), words.data());
  return words;
}

std::vector<uint64_t> SketchIndex::RowSketch(size_t row) const {
  SketchRequire(row < rows_, "RowSketch: no such row");
  std::vector<uint64_t> words(words_);
  for (size_t w = 0; w < words_; ++w) words[w] = sketches_[sketch::WordOffset(row, w, words_)];
  return words;
}

void SketchIndex::Recentre() {
  std::vector<double> mean(dim_, 0);
  for (size_t r = 0; r < rows_; ++r)
    for (int d = 0; d < dim_; ++d) mean[d] += data_[r * dim_ + d];
  for (int d = 0; d < dim_; ++d) centre_[d] = static_cast<float>(mean[d] / static_cast<double>(rows_));
  centred_at_ = rows_;
}

Result<size_t> SketchIndex::Add(std::span<const float> vectors) {
  if (vectors.size() % dim_ != 0)
    return Status::InvalidArgument("sketch index: " + std::to_string(vectors.size()) +
                                   " values is not a whole number of " + std::to_string(dim_) + "-d vectors");
  for (float v : vectors)
    if (!std::isfinite(v)) return Status::InvalidArgument("sketch index: a vector holds a non-finite value");
  const size_t first = rows_;
  data_.insert(data_.end(), vectors.begin(), vectors.end());
  rows_ += vectors.size() / dim_;
  sketches_.resize((rows_ + kBlockRows - 1) / kBlockRows * kBlockRows * words_, 0);
  size_t encode_from = first;
  if (centred_at_ < kSketchCentreRows && rows_ >= 2 * centred_at_ && rows_ > 0) {
    Recentre();
    encode_from = 0;
  }
  // Encoded in chunks on every core (a 1,000,000-row gallery: 32 G multiply-adds).
  const size_t n = rows_ - encode_from, chunks = (n + 1023) / 1024;
  RunOn(Threads(0), chunks, [&](size_t c) {
    std::vector<uint64_t> words(words_);
    for (size_t r = encode_from + c * 1024; r < std::min(rows_, encode_from + (c + 1) * 1024); ++r) {
      Encode(Row(r), words.data());
      for (size_t w = 0; w < words_; ++w) sketches_[sketch::WordOffset(r, w, words_)] = words[w];
    }
  });
  return first;
}

Result<size_t> SketchIndex::Remove(size_t row) {
  if (row >= rows_) return Status::NotFound("sketch index: no row " + std::to_string(row));
  const size_t last = rows_ - 1;
  if (row != last) {
    std::memcpy(data_.data() + row * dim_, data_.data() + last * dim_, sizeof(float) * dim_);
    for (size_t w = 0; w < words_; ++w)
      sketches_[sketch::WordOffset(row, w, words_)] = sketches_[sketch::WordOffset(last, w, words_)];
  }
  for (size_t w = 0; w < words_; ++w) sketches_[sketch::WordOffset(last, w, words_)] = 0;
  data_.resize(last * dim_);
  rows_ = last;
  sketches_.resize((rows_ + kBlockRows - 1) / kBlockRows * kBlockRows * words_);
  return last;
}

// The `count` rows nearest in Hamming distance, exactly (ties: lower row). A full histogram would
// cost more than the scan itself, so the threshold comes from a sample: the first kSampleRows rows
// are scanned keeping every distance, the smallest threshold under which that sample predicts
// twice `count` rows is chosen, and the rest is scanned keeping only rows under it. Every row under
// the threshold is kept, so when at least `count` are found the result is exact; when the sample
// misled (fewer found), everything is rescanned with no threshold.
std::vector<uint32_t> SketchIndex::Candidates(std::span<const float> query, size_t count, SketchKernel kernel) const {
  SketchRequire(query.size() == static_cast<size_t>(dim_), "Candidates: the query is not dim() long");
  count = std::min(count, rows_);
  if (count == 0) return {};
  std::vector<uint64_t> q(words_);
  Encode(query.data(), q.data());
  const sketch::ScanFn scan = sketch::ScanKernel(kernel);
  const size_t blocks = (rows_ + kBlockRows - 1) / kBlockRows;
  const uint32_t bits = static_cast<uint32_t>(params_.bits);
  std::vector<Candidate> found, buffer(kChunkRows);
  auto scan_blocks = [&](size_t from, size_t to, uint32_t threshold) {
    for (size_t b = from; b < to; b += kChunkRows / kBlockRows) {
      const size_t n = std::min(kChunkRows / kBlockRows, to - b);
      const size_t got = scan(q.data(), sketches_.data() + b * words_ * kBlockRows, n, words_, threshold,
                              static_cast<uint32_t>(b * kBlockRows), buffer.data());
      for (size_t i = 0; i < got; ++i)
        if (buffer[i].row < rows_) found.push_back(buffer[i]);
    }
  };
  const size_t sample_blocks = std::min(blocks, kSampleRows / kBlockRows);
  scan_blocks(0, sample_blocks, bits);
  uint32_t threshold = bits;
  if (sample_blocks < blocks) {
    std::vector<size_t> histogram(bits + 1, 0);
    for (const Candidate& c : found) ++histogram[c.distance];
    const double scale = static_cast<double>(rows_) / static_cast<double>(found.size());
    size_t below = 0;
    for (threshold = 0; threshold < bits; ++threshold) {
      below += histogram[threshold];
      if (static_cast<double>(below) * scale >= 2.0 * static_cast<double>(count)) break;
    }
    std::erase_if(found, [threshold](const Candidate& c) { return c.distance > threshold; });
    scan_blocks(sample_blocks, blocks, threshold);
    if (found.size() < count) {
      found.clear();
      scan_blocks(0, blocks, bits);
    }
  }
  std::nth_element(found.begin(), found.begin() + (count - 1), found.end(), CloserCandidate);
  found.resize(count);
  std::sort(found.begin(), found.end(), CloserCandidate);
  std::vector<uint32_t> rows(count);
  for (size_t i = 0; i < count; ++i) rows[i] = found[i].row;
  return rows;
}

std::vector<std::vector<IndexHit>> SketchIndex::Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                                       int threads) const {
  return Search(queries, k, metric, threads, BestKernel());
}

std::vector<std::vector<IndexHit>> SketchIndex::Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                                       int threads, SketchKernel kernel) const {
  SketchRequire(queries.size() % dim_ == 0, "Search: queries are not a whole number of vectors");
  const size_t nq = queries.size() / dim_;
  const bool l2 = metric == IndexMetric::kL2;
  k = std::min(k, rows_);
  std::vector<std::vector<IndexHit>> result(nq);
  if (k == 0) return result;
  static const ExactFn exact = BestExact();
  RunOn(Threads(threads), nq, [&](size_t qi) {
    const float* q = queries.data() + qi * dim_;
    const std::vector<uint32_t> rows =
        Candidates(std::span<const float>(q, dim_), std::max(k, params_.candidates), kernel);
    std::vector<IndexHit> hits(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) hits[i] = {rows[i], exact(q, Row(rows[i]), dim_, l2)};
    auto better = [l2](const IndexHit& a, const IndexHit& b) {
      if (a.score != b.score) return l2 ? a.score < b.score : a.score > b.score;
      return a.row < b.row;
    };
    std::partial_sort(hits.begin(), hits.begin() + k, hits.end(), better);
    hits.resize(k);
    result[qi] = std::move(hits);
  });
  return result;
}

size_t SketchIndex::MemoryBytes() const {
  return data_.capacity() * sizeof(float) + sketches_.capacity() * sizeof(uint64_t) +
         (projection_.size() + centre_.size()) * sizeof(float);
}

}  // namespace idreg::face
