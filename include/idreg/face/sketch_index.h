// An approximate 1:N index for very large face galleries that finds mates where a graph index
// loses them: every row is kept in float32 and as a short binary sketch (the signs of `bits`
// random projections of the row minus the gallery's centre, i.e. SimHash), a search scans all
// sketches by Hamming distance (AVX-512 VPOPCNTDQ, POPCNT or a portable scalar loop, chosen at
// run time; all give the same counts), keeps the `candidates` nearest and re-scores them exactly
// in float32. The scan reads bits/8 bytes per row (24 B at the default 192 bits, 1/21 of the float32 rows),
// so its cost is a fixed fraction of a flat scan whatever the data's shape; the recall depends
// only on the angle between a query and its mate around the centre (doc/face.md).
//
// The centre is the mean of the rows, re-estimated, and every sketch recomputed, each time the
// index doubles while it holds fewer than kSketchCentreRows rows; from then on it stays fixed (the
// mean of that many descriptors no longer moves noticeably, and re-encoding a large gallery would
// stall an enrollment).
#ifndef IDREG_FACE_SKETCH_INDEX_H_
#define IDREG_FACE_SKETCH_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "idreg/face/vector_index.h"

namespace idreg::face {

inline constexpr size_t kSketchCentreRows = 65536;

// kAvx512: AVX-512 VPOPCNTDQ; kPopcnt: the POPCNT instruction on 64-bit words.
enum class SketchKernel { kScalar, kPopcnt, kAvx512 };

struct SketchParams {
  // 192 bits and 1,000 candidates found every mate of the 1,000,000-row isotropic benchmark at
  // about 1.2 ms of CPU per query (BENCHMARKS.md, fifth face session); 128 bits lost 0.4%.
  int bits = 192;            // sketch length, a multiple of 64
  size_t candidates = 1000;  // rows re-scored in float32 per query (at least k)
  uint32_t seed = 1;         // of the random projections
};

class SketchIndex : public VectorIndex {
 public:
  // dim > 0, params.bits a positive multiple of 64 (anything else aborts).
  explicit SketchIndex(int dim = 128, SketchParams params = {});

  int dim() const override { return dim_; }
  size_t size() const override { return rows_; }
  const float* Row(size_t row) const override { return data_.data() + row * dim_; }
  const SketchParams& params() const { return params_; }
  void set_candidates(size_t candidates) { params_.candidates = candidates; }

  Result<size_t> Add(std::span<const float> vectors) override;
  Result<size_t> Remove(size_t row) override;
  // Best first (ties: lower row first), scores as EmbeddingIndex's. Queries are spread over
  // threads; each query runs on one.
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads = 0) const override;
  std::vector<std::vector<IndexHit>> Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                            int threads, SketchKernel kernel) const;

  // The sketch of a vector against the current centre: bits/64 words.
  std::vector<uint64_t> Sketch(std::span<const float> vector) const;
  // The stored sketch of `row` (< size()): bits/64 words.
  std::vector<uint64_t> RowSketch(size_t row) const;
  // The rows (best first by Hamming distance, ties: lower row) that a query's scan keeps, before
  // the float32 re-scoring: for measuring the first stage's recall.
  std::vector<uint32_t> Candidates(std::span<const float> query, size_t count,
                                   SketchKernel kernel = BestKernel()) const;

  size_t MemoryBytes() const;
  static SketchKernel BestKernel();

 private:
  void Encode(const float* v, uint64_t* words) const;
  void Recentre();

  int dim_;
  SketchParams params_;
  size_t words_;  // per sketch
  size_t rows_ = 0;
  size_t centred_at_ = 0;  // rows when the centre was last estimated
  std::vector<float> data_;
  std::vector<float> centre_;
  std::vector<float> projection_;  // dim x bits, column b = hyperplane b
  // Sketches in blocks of 8 rows, word-major: word w of the block's 8 rows lies in 64
  // consecutive bytes, so that one 512-bit load serves 8 rows (src/face/sketch_index_scan.h).
  std::vector<uint64_t> sketches_;
};

}  // namespace idreg::face

#endif  // IDREG_FACE_SKETCH_INDEX_H_
