// The interface every 1:N face index offers: fixed-length float32 vectors stored at row numbers,
// added at the end, removed by moving the last row into the hole, searched for the k best rows.
// EmbeddingIndex (exhaustive, float32 or int8) and HnswIndex (approximate graph) implement it, so
// that a gallery can switch from one to the other by configuration.
//
// Rows are positions, not identities: the caller keeps the row <-> id mapping and updates it from
// Remove()'s return value. Writes are not thread-safe; concurrent Search calls on an unchanging
// index are.
#ifndef IDREG_FACE_VECTOR_INDEX_H_
#define IDREG_FACE_VECTOR_INDEX_H_

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

struct IndexHit {
  uint32_t row = 0;
  float score = 0;  // squared distance (kL2) or inner product (kInnerProduct)
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  virtual int dim() const = 0;
  virtual size_t size() const = 0;
  // The stored float32 vector of `row` (< size()).
  virtual const float* Row(size_t row) const = 0;

  // Appends vectors.size() / dim() rows; returns the row of the first. InvalidArgument when the
  // size is not a multiple of dim() or a value is not finite.
  virtual Result<size_t> Add(std::span<const float> vectors) = 0;

  // Removes `row` by moving the last row into it. Returns the former row number of the moved row
  // (== row when it was the last). NotFound when there is no such row.
  virtual Result<size_t> Remove(size_t row) = 0;

  // The k best rows for each of queries.size() / dim() queries, best first. threads <= 0: every
  // core. A query size that is not a multiple of dim() is a programming error and aborts.
  virtual std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                                    int threads = 0) const = 0;
};

}  // namespace idreg::face

#endif  // IDREG_FACE_VECTOR_INDEX_H_
