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

enum class IndexPrecision { kFloat32, kInt8 };

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
  // In int8 mode the kernel is that of the int8 scan (the re-scoring uses BestKernel()).
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads = 0) const override;
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads, IndexKernel kernel) const;

  // The kernel Search uses on this CPU (float32), and the one the int8 scan uses.
  static IndexKernel BestKernel();
  static IndexKernel BestInt8Kernel();

 private:
  std::vector<std::vector<IndexHit>> SearchFloat(std::span<const float> queries, size_t k, IndexMetric metric,
                                                 int threads, IndexKernel kernel) const;
  std::vector<std::vector<IndexHit>> SearchInt8(std::span<const float> queries, size_t k, IndexMetric metric,
                                                int threads, IndexKernel kernel) const;
  void QuantizeRow(size_t row);

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
};

}  // namespace idreg::face

#endif  // IDREG_FACE_EMBEDDING_INDEX_H_
