// A flat (exhaustive) index of fixed-length float32 embeddings for 1:N search: one contiguous
// row-major matrix, rows added at the end and removed by moving the last row into the hole, exact
// top-k by squared Euclidean distance or by inner product. Kernels: AVX-512F, AVX2/FMA or scalar,
// chosen at run time; the scan is split over threads by row ranges.
//
// Int8 mode (IndexPrecision::kInt8): besides the float32 rows, each row is kept as 128 int8 codes
// with its own scale (max |x_i| / 127) and its exact squared norm; the scan reads only the codes
// (a quarter of the bytes) with AVX-512 VNNI, AVX2 or scalar integer dot products (all exact, so
// all kernels give identical results), and the best candidates by that estimate are re-scored in
// float32 (set_int8_rerank). doc/face.md explains the scale choice and the measured recall.
//
// Bounded mode (IndexPrecision::kFloat32Bounded): EXACT float32 search that reads less memory. Each
// row is also kept as int8 codes of the row minus the index's centre, with its norm, the norm of
// its dequantised codes and its quantisation residual; the scan turns the exact integer dot
// product into an interval that provably holds the score the float32 kernel computes for the row
// (rounding of the kernel and of the bound included), keeps the k-th best upper bound and
// re-scores in float32, with the plain scan's kernel, every row whose lower bound reaches it. The
// hits (rows, scores, order) are those of the plain float32 search with the same float kernel, bit
// for bit; only the time depends on the data (rows re-scored: IndexSearchStats). The centre is the
// mean of the rows, re-estimated (every row re-coded) each time the index doubles while it holds
// fewer than 65,536 rows, then fixed. Queries whose values could overflow float32 in the bound, or
// with tiny scales (below 2^-60), fall back to the plain scan. doc/face.md derives the bound.
//
// Rows are positions, not identities: the caller (a Gallery) keeps the row <-> id mapping and
// updates it from Remove()'s return value. Not thread-safe for writes; concurrent Search calls on
// an unchanging index are safe.
#ifndef IDREG_FACE_EMBEDDING_INDEX_H_
#define IDREG_FACE_EMBEDDING_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/face/vector_index.h"

namespace idreg::face {

// For int8 search kAvx512 means AVX-512 VNNI (vpdpbusd); see BestInt8Kernel().
enum class IndexKernel { kScalar, kAvx2, kAvx512 };

enum class IndexPrecision { kFloat32, kInt8, kFloat32Bounded };

// What a bounded search did (kFloat32Bounded), summed over its queries.
struct IndexSearchStats {
  size_t queries = 0;
  size_t rechecked_rows = 0;  // rows re-scored in float32 because their bound reached the top k
  size_t plain_queries = 0;   // queries answered by the plain float32 scan (values near overflow)
};

class EmbeddingIndex : public VectorIndex {
 public:
  explicit EmbeddingIndex(int dim = 128, IndexPrecision precision = IndexPrecision::kFloat32);  // dim > 0

  int dim() const override { return dim_; }
  size_t size() const override { return rows_; }
  const float* Row(size_t row) const override { return data_.data() + row * dim_; }
  IndexPrecision precision() const { return precision_; }

  // Int8 mode: how many candidates (at least k) the int8 scan keeps per query for the exact
  // float32 re-scoring; 0 returns the int8 estimates themselves. Ignored in float32 mode.
  void set_int8_rerank(size_t candidates) { rerank_ = candidates; }
  size_t int8_rerank() const { return rerank_; }

  // Appends vectors.size() / dim() rows; returns the row of the first. InvalidArgument when the
  // size is not a multiple of dim() or a value is not finite.
  Result<size_t> Add(std::span<const float> vectors) override;

  // Removes `row` by moving the last row into it. Returns the former row number of the moved row
  // (== row when it was the last), so that the caller can update its id mapping. NotFound when
  // there is no such row.
  Result<size_t> Remove(size_t row) override;

  // The k best rows for each of queries.size() / dim() queries (the size must be a multiple of
  // dim(): anything else is a programming error and aborts), best first (ties: lower row first).
  // threads <= 0: every core. kernel: the fastest this CPU supports unless forced (tests, benches).
  // In the int8 and bounded modes the kernel is that of the int8 scan (the re-scoring uses
  // BestKernel(), or rescore_kernel in the last overload).
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads = 0) const override;
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads, IndexKernel kernel) const;
  // rescore_kernel: the float32 kernel of the int8 and bounded modes' re-scoring (ignored in
  // float32 mode). stats (optional) receives what the search did.
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads, IndexKernel kernel, IndexKernel rescore_kernel,
                                            IndexSearchStats* stats) const;

  // Bytes held per row in `precision` (the float32 row, and in the int8 and bounded modes its
  // codes and per-row terms), apart from tile padding and vector growth.
  static size_t BytesPerRow(int dim, IndexPrecision precision);

  // The kernel Search uses on this CPU (float32), and the one the int8 scan uses.
  static IndexKernel BestKernel();
  static IndexKernel BestInt8Kernel();

 private:
  std::vector<std::vector<IndexHit>> SearchFloat(std::span<const float> queries, size_t k, IndexMetric metric,
                                                 int threads, IndexKernel kernel) const;
  std::vector<std::vector<IndexHit>> SearchInt8(std::span<const float> queries, size_t k, IndexMetric metric,
                                                int threads, IndexKernel kernel, IndexKernel rescore_kernel) const;
  std::vector<std::vector<IndexHit>> SearchBounded(std::span<const float> queries, size_t k, IndexMetric metric,
                                                   int threads, IndexKernel kernel, IndexKernel rescore_kernel,
                                                   IndexSearchStats* stats) const;
  void ResizeCodes();
  void QuantizeRow(size_t row);
  void QuantizeRowBounded(size_t row);
  void Recentre();

  int dim_;
  IndexPrecision precision_;
  size_t rows_ = 0;
  std::vector<float> data_;
  // Int8 mode: codes in tiles of 16 rows (see int8_scan.h), per-row scale, squared norm, code sum.
  size_t rerank_ = 64;
  std::vector<int8_t> codes_;
  std::vector<float> code_scale_;
  std::vector<float> sq_norm_;
  std::vector<int32_t> code_sum_;
  // Bounded mode: codes_ etc. hold the centred rows; sq_norm_ is |x - centre|^2. Per row also the
  // norm of the dequantised codes, the residual and centre . (x - centre) (see bounded_scan.h).
  std::vector<float> centre_;
  double centre_sq_norm_ = 0;
  size_t centre_rows_ = 0;  // rows when the centre was last estimated
  std::vector<float> dq_norm_, resid_, centre_dot_;
  double max_sq_norm_ = 0;  // of the centred rows; never lowered by Remove (conservative)
  float min_scale_ = 0;     // smallest non-zero row scale; never raised by Remove (conservative)
};

}  // namespace idreg::face

#endif  // IDREG_FACE_EMBEDDING_INDEX_H_
