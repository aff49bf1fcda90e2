// An approximate 1:N index for very large face galleries: hnswlib's hierarchical navigable small
// world graph (Debian's libhnswlib-dev, header-only) behind the VectorIndex interface, with
// distance functions chosen at run time (AVX-512 / AVX2 / scalar) instead of hnswlib's
// compile-time ones.
//
// The metric is fixed when the index is built (the graph is built for it); Search with another
// metric is a programming error and aborts. Remove keeps the row numbering of the flat index (the
// last row takes the removed row's number) by relabelling graph nodes; the removed node stays in
// the graph as a deleted waypoint, so memory is reclaimed only by rebuilding (doc/face.md).
#ifndef IDREG_FACE_HNSW_INDEX_H_
#define IDREG_FACE_HNSW_INDEX_H_

#include <memory>

#include "idreg/face/vector_index.h"

namespace idreg::face {

// Defaults measured on descriptor-like 128-d vectors queried with mates (doc/face.md): m 16
// leaves mates unfound that m 32 finds at the same search time.
struct HnswParams {
  size_t m = 32;                  // graph degree (2*m on the bottom layer)
  size_t ef_construction = 100;   // candidate list while inserting
  size_t ef_search = 128;         // candidate list while searching (at least k)
  int build_threads = 0;          // threads inserting a batch in Add; <= 0: every core
  size_t seed = 100;
};

class HnswIndex : public VectorIndex {
 public:
  explicit HnswIndex(int dim = 128, IndexMetric metric = IndexMetric::kL2, HnswParams params = {});  // dim > 0
  ~HnswIndex() override;
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  int dim() const override { return dim_; }
  size_t size() const override { return rows_; }
  const float* Row(size_t row) const override;
  IndexMetric metric() const { return metric_; }

  Result<size_t> Add(std::span<const float> vectors) override;
  Result<size_t> Remove(size_t row) override;
  // Scores are squared distances (kL2) or inner products, as EmbeddingIndex's. Queries are spread
  // over threads; each query runs on one.
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads = 0) const override;

  // Recall/speed trade-off of Search; not safe while a Search runs.
  void set_ef_search(size_t ef);
  // Bytes held by the graph and its vectors (deleted nodes included).
  size_t MemoryBytes() const;

 private:
  struct Impl;
  int dim_;
  IndexMetric metric_;
  HnswParams params_;
  size_t rows_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace idreg::face

#endif  // IDREG_FACE_HNSW_INDEX_H_
