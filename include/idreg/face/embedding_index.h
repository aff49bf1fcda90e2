// A flat (exhaustive) index of fixed-length float32 embeddings for 1:N search: one contiguous
// row-major matrix, rows added at the end and removed by moving the last row into the hole, exact
// top-k by squared Euclidean distance or by inner product. Kernels: AVX-512F, AVX2/FMA or scalar,
// chosen at run time; the scan is split over threads by row ranges.
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

namespace idreg::face {

enum class IndexMetric {
  kL2,            // squared Euclidean distance, smaller is closer (descriptors of this network)
  kInnerProduct,  // dot product, larger is closer (cosine on L2-normalised vectors)
};

enum class IndexKernel { kScalar, kAvx2, kAvx512 };

struct IndexHit {
  uint32_t row = 0;
  float score = 0;  // squared distance (kL2) or inner product (kInnerProduct)
};

class EmbeddingIndex {
 public:
  explicit EmbeddingIndex(int dim = 128);  // dim > 0

  int dim() const { return dim_; }
  size_t size() const { return rows_; }
  const float* Row(size_t row) const { return data_.data() + row * dim_; }

  // Appends vectors.size() / dim() rows; returns the row of the first. InvalidArgument when the
  // size is not a multiple of dim() or a value is not finite.
  Result<size_t> Add(std::span<const float> vectors);

  // Removes `row` by moving the last row into it. Returns the former row number of the moved row
  // (== row when it was the last), so that the caller can update its id mapping. NotFound when
  // there is no such row.
  Result<size_t> Remove(size_t row);

  // The k best rows for each of queries.size() / dim() queries (the size must be a multiple of
  // dim(): anything else is a programming error and aborts), best first (ties: lower row first).
  // threads <= 0: every core. kernel: the fastest this CPU supports unless forced (tests, benches).
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads = 0) const;
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads, IndexKernel kernel) const;

  // The kernel Search uses on this CPU.
  static IndexKernel BestKernel();

 private:
  int dim_;
  size_t rows_ = 0;
  std::vector<float> data_;
};

}  // namespace idreg::face

#endif  // IDREG_FACE_EMBEDDING_INDEX_H_
