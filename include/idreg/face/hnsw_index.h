// An approximate 1:N index for very large face galleries: hnswlib's hierarchical navigable small
// world graph (Debian's libhnswlib-dev, header-only) behind the VectorIndex interface, with
// distance functions chosen at run time (AVX-512 / AVX2 / scalar) instead of hnswlib's
// compile-time ones.
//
// Precision (HnswParams::precision): kFloat32 (the default) builds and walks the graph over the
// float32 rows; kInt8 builds and walks it over int8 codes of the rows (int8::Quantize's symmetric
// per-vector scale, 140 B per 128-d vector instead of 512 B) with an int8 distance chosen at run
// time (AVX-512 VNNI / AVX2 / scalar), and re-scores the ef_search candidates the walk keeps
// exactly in float32 (the float32 rows stay in memory), so returned scores are exact float scores
// and only the candidate list is approximate (doc/face.md, "Approximate, HNSW").
//
// The metric is fixed when the index is built (the graph is built for it); Search with another
// metric is a programming error and aborts. Remove keeps the row numbering of the flat index (the
// last row takes the removed row's number) by relabelling graph nodes; the removed node stays in
// the graph as a deleted waypoint, so memory is reclaimed only by rebuilding (doc/face.md).
#ifndef IDREG_FACE_HNSW_INDEX_H_
#define IDREG_FACE_HNSW_INDEX_H_

#include <memory>

#include "idreg/core/result.h"
#include "idreg/face/embedding_index.h"
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
  // What the graph is built and walked over; kInt8: int8 codes, candidates re-scored in float32.
  IndexPrecision precision = IndexPrecision::kFloat32;
};

class HnswIndex : public VectorIndex {
 public:
  // Parameters CheckParams refuses are a programming error here and abort; Create returns them.
  explicit HnswIndex(int dim = 128, IndexMetric metric = IndexMetric::kL2, HnswParams params = {});
  static Result<std::unique_ptr<HnswIndex>> Create(int dim, IndexMetric metric, HnswParams params);
  // InvalidArgument naming the bad value: dim <= 0, m < 2 or > 1024, ef_construction or ef_search
  // 0, a precision other than kFloat32 / kInt8, an unknown metric.
  static Status CheckParams(int dim, IndexMetric metric, const HnswParams& params);
  ~HnswIndex() override;
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  int dim() const override { return dim_; }
  size_t size() const override { return rows_; }
  const float* Row(size_t row) const override;
  IndexMetric metric() const { return metric_; }
  IndexPrecision precision() const { return params_.precision; }

  Result<size_t> Add(std::span<const float> vectors) override;
  Result<size_t> Remove(size_t row) override;
  // Scores are squared distances (kL2) or inner products, as EmbeddingIndex's. Queries are spread
  // over threads; each query runs on one.
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads = 0) const override;

  // Recall/speed trade-off of Search (ef >= 1; in int8 mode also the number of candidates
  // re-scored in float32); not safe while a Search runs.
  void set_ef_search(size_t ef);
  // Bytes held by the graph and its vectors, float32 rows of the int8 mode included (deleted
  // nodes included).
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
