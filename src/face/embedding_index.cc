#include "idreg/face/embedding_index.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bounded_scan.h"
#include "int8_scan.h"
#include "parallel_for.h"

namespace idreg::face {
namespace {

// Rows scored per block: a block of 128-d rows (64 KB) stays in L2 while every query of the batch
// is scored against it, so memory is streamed once per batch, not once per query.
constexpr size_t kBlockRows = 128;

// Bounded mode: the centre is re-estimated while the index doubles below this many rows.
constexpr size_t kRecentreBelow = 65536;

using ScoreFn = void (*)(const float* q, const float* rows, size_t n, int dim, bool l2, float* out);

void ScoreScalar(const float* q, const float* rows, size_t n, int dim, bool l2, float* out) {
  for (size_t r = 0; r < n; ++r) {
    const float* x = rows + r * dim;
    float s = 0;
    if (l2) {
      for (int i = 0; i < dim; ++i) s += (q[i] - x[i]) * (q[i] - x[i]);
    } else {
      for (int i = 0; i < dim; ++i) s += q[i] * x[i];
    }
    out[r] = s;
  }
}

__attribute__((target("avx2,fma"))) float HSum256(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) void ScoreAvx2(const float* q, const float* rows, size_t n, int dim, bool l2,
                                                    float* out) {
  const int d8 = dim / 8 * 8;
  for (size_t r = 0; r < n; ++r) {
    const float* x = rows + r * dim;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    int i = 0;
    if (l2) {
      for (; i + 16 <= d8; i += 16) {
        const __m256 e0 = _mm256_sub_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i));
        const __m256 e1 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 8), _mm256_loadu_ps(x + i + 8));
        a0 = _mm256_fmadd_ps(e0, e0, a0);
        a1 = _mm256_fmadd_ps(e1, e1, a1);
      }
      for (; i < d8; i += 8) {
        const __m256 e0 = _mm256_sub_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i));
        a0 = _mm256_fmadd_ps(e0, e0, a0);
      }
    } else {
      for (; i + 16 <= d8; i += 16) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), _mm256_loadu_ps(x + i + 8), a1);
      }
      for (; i < d8; i += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i), a0);
    }
    float s = HSum256(_mm256_add_ps(a0, a1));
    for (; i < dim; ++i) s += l2 ? (q[i] - x[i]) * (q[i] - x[i]) : q[i] * x[i];
    out[r] = s;
  }
}

__attribute__((target("avx512f"))) void ScoreAvx512(const float* q, const float* rows, size_t n, int dim, bool l2,
                                                     float* out) {
  const int d16 = dim / 16 * 16;
  for (size_t r = 0; r < n; ++r) {
    const float* x = rows + r * dim;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    int i = 0;
    if (l2) {
      for (; i + 32 <= d16; i += 32) {
        const __m512 e0 = _mm512_sub_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(x + i));
        const __m512 e1 = _mm512_sub_ps(_mm512_loadu_ps(q + i + 16), _mm512_loadu_ps(x + i + 16));
        a0 = _mm512_fmadd_ps(e0, e0, a0);
        a1 = _mm512_fmadd_ps(e1, e1, a1);
      }
      for (; i < d16; i += 16) {
        const __m512 e0 = _mm512_sub_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(x + i));
        a0 = _mm512_fmadd_ps(e0, e0, a0);
      }
    } else {
      for (; i + 32 <= d16; i += 32) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(x + i), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), _mm512_loadu_ps(x + i + 16), a1);
      }
      for (; i < d16; i += 16) a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(x + i), a0);
    }
    // Summed through memory: GCC 12's extract intrinsics warn about their undefined upper halves.
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, _mm512_add_ps(a0, a1));
    float s = 0;
    for (float v : lanes) s += v;
    for (; i < dim; ++i) s += l2 ? (q[i] - x[i]) * (q[i] - x[i]) : q[i] * x[i];
    out[r] = s;
  }
}

ScoreFn Kernel(IndexKernel k) {
  switch (k) {
    case IndexKernel::kAvx512: return ScoreAvx512;
    case IndexKernel::kAvx2: return ScoreAvx2;
    default: return ScoreScalar;
  }
}

// "a is better than b": smaller distance / larger product, then the lower row.
bool Better(const IndexHit& a, const IndexHit& b, bool l2) {
  if (a.score != b.score) return l2 ? a.score < b.score : a.score > b.score;
  return a.row < b.row;
}

// Keeps the k best hits as a heap whose top is the worst kept.
struct TopK {
  size_t k;
  bool l2;
  std::vector<IndexHit> heap;
  void Push(IndexHit h) {
    auto cmp = [this](const IndexHit& a, const IndexHit& b) { return Better(a, b, l2); };
    if (heap.size() < k) {
      heap.push_back(h);
      std::push_heap(heap.begin(), heap.end(), cmp);
    } else if (Better(h, heap.front(), l2)) {
      std::pop_heap(heap.begin(), heap.end(), cmp);
      heap.back() = h;
      std::push_heap(heap.begin(), heap.end(), cmp);
    }
  }
  // Cheap rejection before Push: can `score` enter at all?
  bool Admits(float score) const {
    if (heap.size() < k) return true;
    return l2 ? score <= heap.front().score : score >= heap.front().score;
  }
};

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "idreg: EmbeddingIndex: %s\n", what);
    std::abort();
  }
}

// Threads for `units` pieces of work: threads <= 0 means every core; never more than the pieces.
size_t ThreadCount(int threads, size_t units) {
  const size_t nt = parallel::Threads(threads);
  return std::max<size_t>(1, std::min(nt, units));
}

}  // namespace

EmbeddingIndex::EmbeddingIndex(int dim, IndexPrecision precision) : dim_(dim), precision_(precision) {
  Require(dim > 0, "dim must be positive");
}

void EmbeddingIndex::QuantizeRow(size_t row) {
  std::vector<int8_t> c(dim_);
  const float* v = Row(row);
  code_scale_[row] = int8::Quantize(v, dim_, c.data());
  float n = 0;
  int32_t sum = 0;
  for (int d = 0; d < dim_; ++d) {
    n += v[d] * v[d];
    sum += c[d];
    codes_[int8::CodeOffset(row, d, dim_)] = c[d];
  }
  sq_norm_[row] = n;
  code_sum_[row] = sum;
}

Result<size_t> EmbeddingIndex::Add(std::span<const float> vectors) {
  if (vectors.size() % dim_ != 0)
    return Status::InvalidArgument("embedding index: " + std::to_string(vectors.size()) +
                                   " values is not a whole number of " + std::to_string(dim_) + "-d vectors");
  for (float v : vectors)
    if (!std::isfinite(v)) return Status::InvalidArgument("embedding index: a vector holds a non-finite value");
  const size_t first = rows_;
  data_.insert(data_.end(), vectors.begin(), vectors.end());
  rows_ += vectors.size() / dim_;
  if (precision_ == IndexPrecision::kInt8) {
    ResizeCodes();
    for (size_t r = first; r < rows_; ++r) QuantizeRow(r);
  } else if (precision_ == IndexPrecision::kFloat32Bounded) {
    ResizeCodes();
    if (centre_rows_ == 0 || (centre_rows_ < kRecentreBelow && rows_ >= 2 * centre_rows_)) {
      Recentre();
    } else {
      for (size_t r = first; r < rows_; ++r) QuantizeRowBounded(r);
    }
  }
  return first;
}

size_t EmbeddingIndex::BytesPerRow(int dim, IndexPrecision precision) {
  const size_t row = static_cast<size_t>(dim) * sizeof(float);
  if (precision == IndexPrecision::kFloat32) return row;
  // Codes (4-dimension groups), scale, squared norm, code sum; bounded: norm of the dequantised
  // codes, residual, centre dot product (ResizeCodes).
  const size_t codes = int8::TileBytes(dim) / int8::kTileRows + 3 * sizeof(float);
  return row + codes + (precision == IndexPrecision::kFloat32Bounded ? 3 * sizeof(float) : 0);
}

// Storage padded to whole tiles; padding rows keep zero codes and a zero code sum.
void EmbeddingIndex::ResizeCodes() {
  const size_t padded = (rows_ + int8::kTileRows - 1) / int8::kTileRows * int8::kTileRows;
  codes_.resize(padded / int8::kTileRows * int8::TileBytes(dim_), 0);
  code_scale_.resize(padded, 0);
  sq_norm_.resize(padded, 0);
  code_sum_.resize(padded, 0);
  if (precision_ == IndexPrecision::kFloat32Bounded) {
    dq_norm_.resize(padded, 0);
    resid_.resize(padded, 0);
    centre_dot_.resize(padded, 0);
  }
}

void EmbeddingIndex::QuantizeRowBounded(size_t row) {
  std::vector<int8_t> c(dim_);
  const bounded::RowTerms t = bounded::QuantizeRow(Row(row), centre_.data(), dim_, c.data());
  for (int d = 0; d < dim_; ++d) codes_[int8::CodeOffset(row, d, dim_)] = c[d];
  code_scale_[row] = t.scale;
  sq_norm_[row] = t.sq_norm;
  code_sum_[row] = t.code_sum;
  dq_norm_[row] = t.dq_norm;
  resid_[row] = t.resid;
  centre_dot_[row] = t.centre_dot;
  max_sq_norm_ = std::max(max_sq_norm_, static_cast<double>(t.sq_norm));
  if (t.scale > 0 && (min_scale_ == 0 || t.scale < min_scale_)) min_scale_ = t.scale;
}

// The mean of the rows (any centre keeps the bound valid; the mean makes it tight), then every row
// re-coded against it.
void EmbeddingIndex::Recentre() {
  std::vector<double> mean(dim_, 0);
  for (size_t r = 0; r < rows_; ++r)
    for (int d = 0; d < dim_; ++d) mean[d] += Row(r)[d];
  centre_.assign(dim_, 0);
  centre_sq_norm_ = 0;
  for (int d = 0; d < dim_; ++d) {
    centre_[d] = rows_ > 0 ? static_cast<float>(mean[d] / rows_) : 0.f;
    centre_sq_norm_ += static_cast<double>(centre_[d]) * centre_[d];
  }
  centre_rows_ = rows_;
  max_sq_norm_ = 0;
  min_scale_ = 0;
  for (size_t r = 0; r < rows_; ++r) QuantizeRowBounded(r);
}

Result<size_t> EmbeddingIndex::Remove(size_t row) {
  if (row >= rows_) return Status::NotFound("embedding index: no row " + std::to_string(row));
  const size_t last = rows_ - 1;
  if (row != last) std::memcpy(data_.data() + row * dim_, data_.data() + last * dim_, sizeof(float) * dim_);
  data_.resize(last * dim_);
  if (precision_ != IndexPrecision::kFloat32) {
    for (int d = 0; d < dim_; ++d) {
      int8_t& from = codes_[int8::CodeOffset(last, d, dim_)];
      codes_[int8::CodeOffset(row, d, dim_)] = from;
      from = 0;
    }
    code_scale_[row] = code_scale_[last];
    sq_norm_[row] = sq_norm_[last];
    code_sum_[row] = code_sum_[last];
    code_scale_[last] = sq_norm_[last] = 0;
    code_sum_[last] = 0;
    if (precision_ == IndexPrecision::kFloat32Bounded) {
      dq_norm_[row] = dq_norm_[last];
      resid_[row] = resid_[last];
      centre_dot_[row] = centre_dot_[last];
      dq_norm_[last] = resid_[last] = centre_dot_[last] = 0;
    }
  }
  rows_ = last;
  if (precision_ != IndexPrecision::kFloat32) ResizeCodes();
  if (precision_ == IndexPrecision::kFloat32Bounded && rows_ == 0) {
    centre_rows_ = 0;  // the next Add estimates a new centre
    max_sq_norm_ = 0;
    min_scale_ = 0;
  }
  return last;
}

IndexKernel EmbeddingIndex::BestKernel() {
  static const IndexKernel best = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return IndexKernel::kAvx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return IndexKernel::kAvx2;
    return IndexKernel::kScalar;
  }();
  return best;
}

IndexKernel EmbeddingIndex::BestInt8Kernel() {
  static const IndexKernel best = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vnni"))
      return IndexKernel::kAvx512;
    if (__builtin_cpu_supports("avx2")) return IndexKernel::kAvx2;
    return IndexKernel::kScalar;
  }();
  return best;
}

std::vector<std::vector<IndexHit>> EmbeddingIndex::Search(std::span<const float> queries, size_t k,
                                                          IndexMetric metric, int threads) const {
  return Search(queries, k, metric, threads,
                precision_ == IndexPrecision::kFloat32 ? BestKernel() : BestInt8Kernel());
}

std::vector<std::vector<IndexHit>> EmbeddingIndex::Search(std::span<const float> queries, size_t k,
                                                          IndexMetric metric, int threads, IndexKernel kernel) const {
  return Search(queries, k, metric, threads, kernel, BestKernel(), nullptr);
}

std::vector<std::vector<IndexHit>> EmbeddingIndex::Search(std::span<const float> queries, size_t k,
                                                          IndexMetric metric, int threads, IndexKernel kernel,
                                                          IndexKernel rescore_kernel, IndexSearchStats* stats) const {
  Require(queries.size() % dim_ == 0, "Search: queries are not a whole number of vectors");
  switch (precision_) {
    case IndexPrecision::kInt8: return SearchInt8(queries, k, metric, threads, kernel, rescore_kernel);
    case IndexPrecision::kFloat32Bounded:
      return SearchBounded(queries, k, metric, threads, kernel, rescore_kernel, stats);
    default: return SearchFloat(queries, k, metric, threads, kernel);
  }
}

std::vector<std::vector<IndexHit>> EmbeddingIndex::SearchFloat(std::span<const float> queries, size_t k,
                                                               IndexMetric metric, int threads,
                                                               IndexKernel kernel) const {
  const size_t nq = queries.size() / dim_;
  const bool l2 = metric == IndexMetric::kL2;
  const ScoreFn score = Kernel(kernel);
  k = std::min(k, rows_);
  const size_t nt = ThreadCount(threads, (rows_ + kBlockRows - 1) / kBlockRows);
  // Each thread scans a contiguous range of rows for every query and keeps its own top-k.
  std::vector<std::vector<TopK>> partial(nt, std::vector<TopK>(nq, TopK{k, l2, {}}));
  auto scan = [&](size_t t) {
    const size_t begin = rows_ * t / nt, end = rows_ * (t + 1) / nt;
    std::vector<float> out(kBlockRows);
    for (size_t b = begin; b < end; b += kBlockRows) {
      const size_t n = std::min(kBlockRows, end - b);
      for (size_t qi = 0; qi < nq; ++qi) {
        score(queries.data() + qi * dim_, Row(b), n, dim_, l2, out.data());
        TopK& top = partial[t][qi];
        for (size_t r = 0; r < n; ++r)
          if (top.Admits(out[r])) top.Push({static_cast<uint32_t>(b + r), out[r]});
      }
    }
  };
  if (k > 0) parallel::RunOn(nt, nt, scan);
  std::vector<std::vector<IndexHit>> result(nq);
  for (size_t qi = 0; qi < nq; ++qi) {
    TopK merged{k, l2, {}};
    for (size_t t = 0; t < nt && k > 0; ++t)
      for (const IndexHit& h : partial[t][qi].heap) merged.Push(h);
    result[qi] = std::move(merged.heap);
    std::sort(result[qi].begin(), result[qi].end(), [l2](const IndexHit& a, const IndexHit& b) { return Better(a, b, l2); });
  }
  return result;
}

// The int8 scan keeps, per query, the best max(k, rerank) rows by the estimate
//   L2: |q|^2 + |x|^2 - 2 s_q s_x (Q . X)      inner product: s_q s_x (Q . X)
// where Q, X are the codes, s the scales and |x|^2 the exact norm of the stored float32 row
// (|q|^2 is the same for every row and added only at the end); then re-scores them in float32.
std::vector<std::vector<IndexHit>> EmbeddingIndex::SearchInt8(std::span<const float> queries, size_t k,
                                                              IndexMetric metric, int threads,
                                                              IndexKernel kernel, IndexKernel rescore_kernel) const {
  const size_t nq = queries.size() / dim_;
  const bool l2 = metric == IndexMetric::kL2;
  k = std::min(k, rows_);
  const size_t keep = rerank_ == 0 ? k : std::min(rows_, std::max(k, rerank_));
  const int groups = int8::Groups(dim_);
  const size_t tile_bytes = int8::TileBytes(dim_);
  std::vector<int8_t> qcodes(nq * groups * 4, 0);
  std::vector<float> factor(nq), qnorm(nq, 0);
  for (size_t qi = 0; qi < nq; ++qi) {
    const float* q = queries.data() + qi * dim_;
    const float s = int8::Quantize(q, dim_, qcodes.data() + qi * groups * 4);
    factor[qi] = l2 ? -2 * s : s;
    for (int d = 0; d < dim_; ++d) qnorm[qi] += q[d] * q[d];
  }
  const int8::DotFn dots_of = int8::DotKernel(kernel);
  const size_t tiles = (rows_ + int8::kTileRows - 1) / int8::kTileRows;
  constexpr size_t kChunkTiles = kBlockRows / int8::kTileRows;
  const size_t nt = ThreadCount(threads, (tiles + kChunkTiles - 1) / kChunkTiles);
  std::vector<std::vector<TopK>> partial(nt, std::vector<TopK>(nq, TopK{keep, l2, {}}));
  auto scan = [&](size_t t) {
    const size_t begin = tiles * t / nt, end = tiles * (t + 1) / nt;
    int32_t dots[kBlockRows];
    float est[kBlockRows];
    for (size_t b = begin; b < end; b += kChunkTiles) {
      const size_t n_tiles = std::min(kChunkTiles, end - b);
      const size_t row0 = b * int8::kTileRows;
      const size_t n = std::min(n_tiles * int8::kTileRows, rows_ - row0);
      for (size_t qi = 0; qi < nq; ++qi) {
        dots_of(qcodes.data() + qi * groups * 4, codes_.data() + b * tile_bytes, code_sum_.data() + row0, n_tiles,
                groups, dots);
        const float f = factor[qi];
        if (l2) {
          for (size_t r = 0; r < n; ++r) est[r] = sq_norm_[row0 + r] + f * code_scale_[row0 + r] * dots[r];
        } else {
          for (size_t r = 0; r < n; ++r) est[r] = f * code_scale_[row0 + r] * dots[r];
        }
        TopK& top = partial[t][qi];
        for (size_t r = 0; r < n; ++r)
          if (top.Admits(est[r])) top.Push({static_cast<uint32_t>(row0 + r), est[r]});
      }
    }
  };
  if (k > 0) parallel::RunOn(nt, nt, scan);
  const ScoreFn exact = Kernel(rescore_kernel);
  auto better = [l2](const IndexHit& a, const IndexHit& b) { return Better(a, b, l2); };
  std::vector<std::vector<IndexHit>> result(nq);
  for (size_t qi = 0; qi < nq; ++qi) {
    TopK merged{keep, l2, {}};
    for (size_t t = 0; t < nt && k > 0; ++t)
      for (const IndexHit& h : partial[t][qi].heap) merged.Push(h);
    std::vector<IndexHit>& hits = merged.heap;
    for (IndexHit& h : hits) {
      if (rerank_ == 0) {
        if (l2) h.score = std::max(0.f, h.score + qnorm[qi]);
      } else {
        exact(queries.data() + qi * dim_, Row(h.row), 1, dim_, l2, &h.score);
      }
    }
    std::sort(hits.begin(), hits.end(), better);
    hits.resize(std::min(hits.size(), k));
    result[qi] = std::move(hits);
  }
  return result;
}

// Exact search through bounds (bounded_scan.h), in "distance space" (inner products negated): each
// thread keeps, per query, the k smallest upper bounds of its rows (the k-th of them, T, can only
// fall) and every row whose lower bound is at most T when it is scanned. The k-th smallest upper
// bound over all rows, T*, is at least the k-th best float32 score, so a row with lower bound > T*
// has k rows at least as good and strictly better scores: it cannot be among the k best, whatever
// the tie rule. The rows kept with lower bound <= T* are re-scored by the float32 kernel and the k
// best of them (ties: lower row) are the plain scan's k best.
std::vector<std::vector<IndexHit>> EmbeddingIndex::SearchBounded(std::span<const float> queries, size_t k,
                                                                 IndexMetric metric, int threads, IndexKernel kernel,
                                                                 IndexKernel rescore_kernel,
                                                                 IndexSearchStats* stats) const {
  const size_t nq = queries.size() / dim_;
  const bool l2 = metric == IndexMetric::kL2;
  k = std::min(k, rows_);
  std::vector<std::vector<IndexHit>> result(nq);
  if (stats) stats->queries += nq;
  if (k == 0) return result;
  const int groups = int8::Groups(dim_);
  const size_t tile_bytes = int8::TileBytes(dim_);
  std::vector<int8_t> qcodes(nq * groups * 4, 0);
  std::vector<bounded::QueryTerms> terms(nq);
  std::vector<size_t> safe, plain;
  for (size_t qi = 0; qi < nq; ++qi) {
    const float* q = queries.data() + qi * dim_;
    terms[qi] = bounded::PrepareQuery(q, centre_.data(), centre_sq_norm_, dim_, l2, qcodes.data() + qi * groups * 4);
    if (bounded::ScanSafe(q, dim_, terms[qi], centre_sq_norm_, max_sq_norm_, min_scale_)) {
      safe.push_back(qi);
    } else {
      plain.push_back(qi);
    }
  }
  if (!plain.empty()) {
    std::vector<float> pq;
    for (size_t qi : plain) pq.insert(pq.end(), queries.begin() + qi * dim_, queries.begin() + (qi + 1) * dim_);
    auto hits = SearchFloat(pq, k, metric, threads, rescore_kernel);
    for (size_t i = 0; i < plain.size(); ++i) result[plain[i]] = std::move(hits[i]);
    if (stats) stats->plain_queries += plain.size();
  }
  if (safe.empty()) return result;

  struct Partial {
    std::vector<float> upper;  // max-heap of the k smallest upper bounds
    std::vector<std::pair<uint32_t, float>> kept;  // (row, lower bound)
  };
  const int8::DotFn dots_of = int8::DotKernel(kernel);
  const size_t tiles = (rows_ + int8::kTileRows - 1) / int8::kTileRows;
  constexpr size_t kChunkTiles = kBlockRows / int8::kTileRows;
  const size_t nt = ThreadCount(threads, (tiles + kChunkTiles - 1) / kChunkTiles);
  const size_t ns = safe.size();
  std::vector<std::vector<Partial>> partial(nt, std::vector<Partial>(ns));
  auto scan = [&](size_t t) {
    const size_t begin = tiles * t / nt, end = tiles * (t + 1) / nt;
    int32_t dots[kBlockRows];
    float lo[kBlockRows], hi[kBlockRows];
    for (size_t b = begin; b < end; b += kChunkTiles) {
      const size_t n_tiles = std::min(kChunkTiles, end - b);
      const size_t row0 = b * int8::kTileRows;
      const size_t n = std::min(n_tiles * int8::kTileRows, rows_ - row0);
      for (size_t si = 0; si < ns; ++si) {
        const size_t qi = safe[si];
        dots_of(qcodes.data() + qi * groups * 4, codes_.data() + b * tile_bytes, code_sum_.data() + row0, n_tiles,
                groups, dots);
        bounded::Bounds(terms[qi], l2, dots, code_scale_.data() + row0, sq_norm_.data() + row0,
                        dq_norm_.data() + row0, resid_.data() + row0, l2 ? nullptr : centre_dot_.data() + row0, n,
                        lo, hi);
        Partial& p = partial[t][si];
        float cut = p.upper.size() < k ? INFINITY : p.upper.front();
        bool any = false;  // a block with no lower bound at or under the cut has nothing to keep
        for (size_t r = 0; r < n; ++r) any |= lo[r] <= cut;
        if (!any) continue;
        for (size_t r = 0; r < n; ++r) {
          if (p.upper.size() < k) {
            p.upper.push_back(hi[r]);
            std::push_heap(p.upper.begin(), p.upper.end());
            if (p.upper.size() == k) cut = p.upper.front();
          } else if (hi[r] < cut) {
            std::pop_heap(p.upper.begin(), p.upper.end());
            p.upper.back() = hi[r];
            std::push_heap(p.upper.begin(), p.upper.end());
            cut = p.upper.front();
          }
          if (lo[r] <= cut) p.kept.emplace_back(static_cast<uint32_t>(row0 + r), lo[r]);
        }
      }
    }
  };
  parallel::RunOn(nt, nt, scan);
  const ScoreFn exact = Kernel(rescore_kernel);
  auto better = [l2](const IndexHit& a, const IndexHit& b) { return Better(a, b, l2); };
  for (size_t si = 0; si < ns; ++si) {
    const size_t qi = safe[si];
    std::vector<float> upper;
    for (size_t t = 0; t < nt; ++t) upper.insert(upper.end(), partial[t][si].upper.begin(), partial[t][si].upper.end());
    // At least k upper bounds: every thread scanned at least one row, and k <= rows.
    std::nth_element(upper.begin(), upper.begin() + (k - 1), upper.end());
    const float cut = upper[k - 1];
    TopK top{k, l2, {}};
    const float* q = queries.data() + qi * dim_;
    size_t rechecked = 0;
    for (size_t t = 0; t < nt; ++t)
      for (const auto& [row, low] : partial[t][si].kept) {
        if (low > cut) continue;
        IndexHit h{row, 0};
        exact(q, Row(row), 1, dim_, l2, &h.score);
        top.Push(h);
        ++rechecked;
      }
    if (stats) stats->rechecked_rows += rechecked;
    result[qi] = std::move(top.heap);
    std::sort(result[qi].begin(), result[qi].end(), better);
  }
  return result;
}

}  // namespace idreg::face
