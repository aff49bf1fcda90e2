#include "idreg/face/hnsw_index.h"

// hnswlib 0.6.2 prefetches one entry past the end of a link list when it sees __SSE__ (a read
// that AddressSanitizer reports); idreg brings its own distance kernels, so its SIMD is off.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "int8_row.h"
#include "int8_scan.h"
#include "parallel_for.h"

namespace idreg::face {
namespace {

// hnswlib's distance signature: (a, b, &dim). Inner product is turned into a distance as
// hnswlib's own InnerProductSpace does (1 - a.b); Search turns it back.
float L2Scalar(const void* a, const void* b, const void* param) {
  const float *x = static_cast<const float*>(a), *y = static_cast<const float*>(b);
  const size_t dim = *static_cast<const size_t*>(param);
  float s = 0;
  for (size_t i = 0; i < dim; ++i) s += (x[i] - y[i]) * (x[i] - y[i]);
  return s;
}

float IpScalar(const void* a, const void* b, const void* param) {
  const float *x = static_cast<const float*>(a), *y = static_cast<const float*>(b);
  const size_t dim = *static_cast<const size_t*>(param);
  float s = 0;
  for (size_t i = 0; i < dim; ++i) s += x[i] * y[i];
  return 1 - s;
}

__attribute__((target("avx2,fma"))) float Sum8(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

template <bool kL2>
__attribute__((target("avx2,fma"))) float DistAvx2(const void* a, const void* b, const void* param) {
  const float *x = static_cast<const float*>(a), *y = static_cast<const float*>(b);
  const size_t dim = *static_cast<const size_t*>(param);
  __m256 acc = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 8 <= dim; i += 8) {
    const __m256 u = _mm256_loadu_ps(x + i), v = _mm256_loadu_ps(y + i);
    if constexpr (kL2) {
      const __m256 e = _mm256_sub_ps(u, v);
      acc = _mm256_fmadd_ps(e, e, acc);
    } else {
      acc = _mm256_fmadd_ps(u, v, acc);
    }
  }
  float s = Sum8(acc);
  for (; i < dim; ++i) s += kL2 ? (x[i] - y[i]) * (x[i] - y[i]) : x[i] * y[i];
  return kL2 ? s : 1 - s;
}

template <bool kL2>
__attribute__((target("avx512f"))) float DistAvx512(const void* a, const void* b, const void* param) {
  const float *x = static_cast<const float*>(a), *y = static_cast<const float*>(b);
  const size_t dim = *static_cast<const size_t*>(param);
  __m512 acc = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    const __m512 u = _mm512_loadu_ps(x + i), v = _mm512_loadu_ps(y + i);
    if constexpr (kL2) {
      const __m512 e = _mm512_sub_ps(u, v);
      acc = _mm512_fmadd_ps(e, e, acc);
    } else {
      acc = _mm512_fmadd_ps(u, v, acc);
    }
  }
  // Summed through memory: GCC 12's reduce/extract intrinsics warn about undefined upper halves.
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, acc);
  float s = 0;
  for (float v : lanes) s += v;
  for (; i < dim; ++i) s += kL2 ? (x[i] - y[i]) * (x[i] - y[i]) : x[i] * y[i];
  return kL2 ? s : 1 - s;
}

}  // namespace

// Named, not anonymous: HnswIndex::Impl (external linkage) holds one.
namespace hnsw_detail {

class Space : public hnswlib::SpaceInterface<float> {
 public:
  Space(size_t dim, bool l2) : dim_(dim) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
      fn_ = l2 ? DistAvx512<true> : DistAvx512<false>;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      fn_ = l2 ? DistAvx2<true> : DistAvx2<false>;
    else
      fn_ = l2 ? L2Scalar : IpScalar;
  }
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return fn_; }
  void* get_dist_func_param() override { return &dim_; }

 private:
  size_t dim_;
  hnswlib::DISTFUNC<float> fn_;
};

// The int8 graph's vectors: RowBytes(dim) codes (int8::Quantize, zero-padded), then the code sum
// (for the VNNI kernel), the scale and the exact squared norm of the float32 row. Queries are
// encoded the same way, so one function serves insertion (node to node) and search.
struct Int8Footer {
  int32_t code_sum;
  float scale;
  float sq_norm;
};

struct Int8Param {
  size_t bytes;
  int8::RowDotFn dot;
};

inline Int8Footer FooterOf(const void* v, size_t bytes) {
  Int8Footer f;
  std::memcpy(&f, static_cast<const char*>(v) + bytes, sizeof f);
  return f;
}

// The estimated inner product s_a s_b (A . B) of two encoded vectors; their footers in *fa, *fb.
inline float ScaledDot(const void* a, const void* b, const Int8Param& p, Int8Footer* fa, Int8Footer* fb) {
  *fa = FooterOf(a, p.bytes);
  *fb = FooterOf(b, p.bytes);
  const int32_t dot = p.dot(static_cast<const int8_t*>(a), static_cast<const int8_t*>(b), fb->code_sum, p.bytes);
  return fa->scale * fb->scale * static_cast<float>(dot);
}

// |a - b|^2 ~ |a|^2 + |b|^2 - 2 s_a s_b (A . B): the norms are exact, only the product is
// estimated (doc/face.md, "Flat, int8").
float Int8L2(const void* a, const void* b, const void* param) {
  Int8Footer fa, fb;
  const float product = ScaledDot(a, b, *static_cast<const Int8Param*>(param), &fa, &fb);
  return fa.sq_norm + fb.sq_norm - 2 * product;
}

float Int8Ip(const void* a, const void* b, const void* param) {
  Int8Footer fa, fb;
  return 1 - ScaledDot(a, b, *static_cast<const Int8Param*>(param), &fa, &fb);
}

class Int8Space : public hnswlib::SpaceInterface<float> {
 public:
  Int8Space(int dim, bool l2)
      : dim_(dim), param_{int8::RowBytes(dim), int8::RowDotKernel(EmbeddingIndex::BestInt8Kernel())}, l2_(l2) {}
  size_t get_data_size() override { return param_.bytes + sizeof(Int8Footer); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return l2_ ? Int8L2 : Int8Ip; }
  void* get_dist_func_param() override { return &param_; }

  // Writes get_data_size() bytes for the float32 vector v.
  void Encode(const float* v, char* out) const {
    auto* codes = reinterpret_cast<int8_t*>(out);
    Int8Footer f{};
    f.scale = int8::Quantize(v, dim_, codes);
    std::memset(codes + dim_, 0, param_.bytes - dim_);
    for (int i = 0; i < dim_; ++i) {
      f.code_sum += codes[i];
      f.sq_norm += v[i] * v[i];
    }
    std::memcpy(out + param_.bytes, &f, sizeof f);
  }

 private:
  int dim_;
  Int8Param param_;
  bool l2_;
};

}  // namespace hnsw_detail

namespace {

void HnswRequire(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "idreg: HnswIndex: %s\n", what);
    std::abort();
  }
}

using parallel::RunOn;
using parallel::Threads;

}  // namespace

struct HnswIndex::Impl {
  Impl(int dim, bool l2, const HnswParams& p)
      : exact(static_cast<size_t>(dim), l2),
        int8(p.precision == IndexPrecision::kInt8 ? std::make_unique<hnsw_detail::Int8Space>(dim, l2) : nullptr),
        graph(int8 ? static_cast<hnswlib::SpaceInterface<float>*>(int8.get()) : &exact, 1024, p.m, p.ef_construction,
              p.seed) {
    graph.setEf(p.ef_search);
  }
  // The float32 distance: the graph's in float32 mode, the re-scoring's in int8 mode.
  hnsw_detail::Space exact;
  std::unique_ptr<hnsw_detail::Int8Space> int8;
  hnswlib::HierarchicalNSW<float> graph;
  // Int8 mode: the float32 rows by slot (one slot per vector ever inserted, like the graph's
  // nodes), and the slot of each row.
  std::vector<float> rows;
  std::vector<uint32_t> row_slot;
};

Status HnswIndex::CheckParams(int dim, IndexMetric metric, const HnswParams& p) {
  const auto bad = [](const std::string& what) { return Status::InvalidArgument("hnsw index: " + what); };
  if (dim <= 0) return bad("dim " + std::to_string(dim) + " is not positive");
  if (metric != IndexMetric::kL2 && metric != IndexMetric::kInnerProduct) return bad("unknown metric");
  // m 1 makes hnswlib's level multiplier 1 / ln(1) infinite; above 1024 the links dwarf the vectors.
  if (p.m < 2 || p.m > 1024) return bad("m " + std::to_string(p.m) + " is outside [2, 1024]");
  if (p.ef_construction == 0) return bad("ef_construction is 0");
  if (p.ef_search == 0) return bad("ef_search is 0");
  if (p.precision != IndexPrecision::kFloat32 && p.precision != IndexPrecision::kInt8) return bad("precision must be kFloat32 or kInt8");
  return Status::Ok();
}

Result<std::unique_ptr<HnswIndex>> HnswIndex::Create(int dim, IndexMetric metric, HnswParams params) {
  IDREG_RETURN_IF_ERROR(CheckParams(dim, metric, params));
  return std::make_unique<HnswIndex>(dim, metric, params);
}

HnswIndex::HnswIndex(int dim, IndexMetric metric, HnswParams params)
    : dim_(dim), metric_(metric), params_(params) {
  const Status ok = CheckParams(dim, metric, params);
  HnswRequire(ok.ok(), ok.ToString().c_str());
  impl_ = std::make_unique<Impl>(dim, metric == IndexMetric::kL2, params_);
}

HnswIndex::~HnswIndex() = default;

const float* HnswIndex::Row(size_t row) const {
  if (impl_->int8) return impl_->rows.data() + static_cast<size_t>(impl_->row_slot.at(row)) * dim_;
  return reinterpret_cast<const float*>(impl_->graph.getDataByInternalId(impl_->graph.label_lookup_.at(row)));
}

Result<size_t> HnswIndex::Add(std::span<const float> vectors) {
  if (vectors.size() % dim_ != 0)
    return Status::InvalidArgument("hnsw index: " + std::to_string(vectors.size()) +
                                   " values is not a whole number of " + std::to_string(dim_) + "-d vectors");
  for (float v : vectors)
    if (!std::isfinite(v)) return Status::InvalidArgument("hnsw index: a vector holds a non-finite value");
  const size_t n = vectors.size() / dim_, first = rows_;
  hnswlib::HierarchicalNSW<float>& g = impl_->graph;
  try {
    // Deleted nodes keep their slots, so capacity counts every node ever inserted.
    const size_t needed = g.cur_element_count + n;
    if (needed > g.max_elements_) g.resizeIndex(std::max(needed, g.max_elements_ * 2));
    // hnswlib's insertion is thread-safe once the capacity is reserved; labels are row numbers.
    if (impl_->int8) {
      // The float32 rows first, in slots after every node ever inserted (g.cur_element_count).
      const size_t slot = impl_->rows.size() / dim_;
      impl_->rows.insert(impl_->rows.end(), vectors.begin(), vectors.end());
      for (size_t i = 0; i < n; ++i) impl_->row_slot.push_back(static_cast<uint32_t>(slot + i));
      const hnsw_detail::Int8Space& space = *impl_->int8;
      RunOn(Threads(params_.build_threads), n, [&](size_t i) {
        thread_local std::vector<char> code;
        code.resize(impl_->int8->get_data_size());
        space.Encode(vectors.data() + i * dim_, code.data());
        g.addPoint(code.data(), first + i);
      });
    } else {
      RunOn(Threads(params_.build_threads), n, [&](size_t i) { g.addPoint(vectors.data() + i * dim_, first + i); });
    }
  } catch (const std::exception& e) {
    return Status::Internal(std::string("hnsw index: ") + e.what());
  }
  rows_ += n;
  return first;
}

Result<size_t> HnswIndex::Remove(size_t row) {
  if (row >= rows_) return Status::NotFound("hnsw index: no row " + std::to_string(row));
  hnswlib::HierarchicalNSW<float>& g = impl_->graph;
  const size_t last = rows_ - 1;
  g.markDelete(row);  // the node stays as a waypoint of the graph, never returned
  g.label_lookup_.erase(row);
  if (row != last) {
    // The last row's node takes the removed row's number.
    const auto node = g.label_lookup_.at(last);
    g.setExternalLabel(node, row);
    g.label_lookup_.erase(last);
    g.label_lookup_[row] = node;
  }
  if (impl_->int8) {
    impl_->row_slot[row] = impl_->row_slot[last];
    impl_->row_slot.pop_back();
  }
  rows_ = last;
  return last;
}

std::vector<std::vector<IndexHit>> HnswIndex::Search(std::span<const float> queries, size_t k, IndexMetric metric,
                                                     int threads) const {
  HnswRequire(queries.size() % dim_ == 0, "Search: queries are not a whole number of vectors");
  HnswRequire(metric == metric_, "Search: the metric differs from the one the graph was built for");
  const size_t nq = queries.size() / dim_;
  const bool l2 = metric_ == IndexMetric::kL2;
  k = std::min(k, rows_);
  std::vector<std::vector<IndexHit>> result(nq);
  if (k == 0) return result;
  if (impl_->int8) {
    // The walk keeps ef_search candidates by the int8 estimate; all are re-scored in float32.
    const size_t keep = std::max(k, params_.ef_search);
    const hnswlib::DISTFUNC<float> exact = impl_->exact.get_dist_func();
    void* exact_param = impl_->exact.get_dist_func_param();
    RunOn(Threads(threads), nq, [&](size_t qi) {
      const float* query = queries.data() + qi * dim_;
      thread_local std::vector<char> code;
      code.resize(impl_->int8->get_data_size());
      impl_->int8->Encode(query, code.data());
      auto found = impl_->graph.searchKnn(code.data(), keep);
      std::vector<std::pair<float, uint32_t>> scored;
      scored.reserve(found.size());
      for (; !found.empty(); found.pop()) {
        const auto row = static_cast<uint32_t>(found.top().second);
        scored.emplace_back(exact(query, Row(row), exact_param), row);
      }
      const size_t n = std::min(k, scored.size());
      std::partial_sort(scored.begin(), scored.begin() + n, scored.end());
      std::vector<IndexHit>& hits = result[qi];
      hits.resize(n);
      for (size_t i = 0; i < n; ++i) hits[i] = {scored[i].second, l2 ? scored[i].first : 1 - scored[i].first};
    });
    return result;
  }
  RunOn(Threads(threads), nq, [&](size_t qi) {
    auto found = impl_->graph.searchKnn(queries.data() + qi * dim_, k);
    std::vector<IndexHit>& hits = result[qi];
    hits.resize(found.size());
    // The queue pops the farthest first.
    for (size_t i = found.size(); i-- > 0; found.pop())
      hits[i] = {static_cast<uint32_t>(found.top().second), l2 ? found.top().first : 1 - found.top().first};
  });
  return result;
}

void HnswIndex::set_ef_search(size_t ef) {
  HnswRequire(ef > 0, "set_ef_search: ef is 0");
  params_.ef_search = ef;
  impl_->graph.setEf(ef);
}

size_t HnswIndex::MemoryBytes() const {
  const hnswlib::HierarchicalNSW<float>& g = impl_->graph;
  size_t upper = 0;
  for (size_t i = 0; i < g.cur_element_count; ++i)
    if (g.element_levels_[i] > 0) upper += g.size_links_per_element_ * g.element_levels_[i];
  // Bottom layer (vectors + links), upper layers, per-node pointers, levels and locks, label map.
  return g.max_elements_ * (g.size_data_per_element_ + sizeof(void*) + sizeof(int) + sizeof(std::mutex)) + upper +
         g.label_lookup_.size() * 32 + impl_->rows.capacity() * sizeof(float) +
         impl_->row_slot.capacity() * sizeof(uint32_t);
}

}  // namespace idreg::face
