// Face benchmarks: the networks (detect + landmarks + embed of a 640x480 photo; embed of one
// crop) and 1:N flat search of idreg's EmbeddingIndex (float32 and int8) against FAISS
// IndexFlatL2/IndexFlatIP on the same random 128-d data, the same thread count and the same k,
// beside the memory bandwidth this binary measures; and the HNSW index on 1,000,000 descriptor-like
// vectors queried with mates. Run: scripts/bench face [FILTER].
#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <memory>
#include <random>
#include <vector>

#include "idreg/face/embedding_index.h"
#include "idreg/face/hnsw_index.h"
#include "idreg/face/networks.h"
#include "idreg/face/pipeline.h"

namespace {

using namespace idreg::face;

constexpr int kDim = 128;
constexpr size_t kK = 10;

const std::vector<float>& Data(size_t rows) {
  static std::vector<float> data;
  static size_t made = 0;
  if (made < rows) {
    std::mt19937 rng(7);
    std::normal_distribution<float> g(0, 1);
    data.resize(rows * kDim);
    for (float& v : data) v = g(rng);
    made = rows;
  }
  return data;
}

std::vector<float> Queries(size_t n) {
  std::mt19937 rng(11);
  std::normal_distribution<float> g(0, 1);
  std::vector<float> q(n * kDim);
  for (float& v : q) v = g(rng);
  return q;
}

const EmbeddingIndex& Ours(size_t rows) {
  static std::unique_ptr<EmbeddingIndex> index;
  if (!index || index->size() != rows) {
    index = std::make_unique<EmbeddingIndex>(kDim);
    (void)index->Add(std::span<const float>(Data(rows).data(), rows * kDim));
  }
  return *index;
}

const EmbeddingIndex& OursInt8(size_t rows) {
  static std::unique_ptr<EmbeddingIndex> index;
  if (!index || index->size() != rows) {
    index.reset();
    index = std::make_unique<EmbeddingIndex>(kDim, IndexPrecision::kInt8);
    (void)index->Add(std::span<const float>(Data(rows).data(), rows * kDim));
  }
  return *index;
}

template <typename Index>
Index& Faiss(size_t rows) {
  static std::unique_ptr<Index> index;
  if (!index || static_cast<size_t>(index->ntotal) != rows) {
    index = std::make_unique<Index>(kDim);
    index->add(static_cast<faiss::Index::idx_t>(rows), Data(rows).data());
  }
  return *index;
}

void SetRates(benchmark::State& state, size_t rows, size_t batch) {
  const double vectors = static_cast<double>(rows) * state.iterations();
  state.counters["Mvec_per_s"] = benchmark::Counter(vectors / 1e6, benchmark::Counter::kIsRate);
  state.counters["GB_per_s"] = benchmark::Counter(vectors * kDim * 4 / 1e9, benchmark::Counter::kIsRate);
  state.counters["batch"] = static_cast<double>(batch);
}

// Args: rows, batch (queries per call), threads.
void BM_IdregFlat(benchmark::State& state, IndexMetric metric) {
  const size_t rows = state.range(0), batch = state.range(1);
  const int threads = static_cast<int>(state.range(2));
  const EmbeddingIndex& index = Ours(rows);
  const auto q = Queries(batch);
  for (auto _ : state) benchmark::DoNotOptimize(index.Search(q, kK, metric, threads));
  SetRates(state, rows, batch);
}

template <typename Index>
void BM_FaissFlat(benchmark::State& state) {
  const size_t rows = state.range(0), batch = state.range(1);
  omp_set_num_threads(static_cast<int>(state.range(2)));
  Index& index = Faiss<Index>(rows);
  const auto q = Queries(batch);
  std::vector<float> d(batch * kK);
  std::vector<faiss::Index::idx_t> ids(batch * kK);
  for (auto _ : state) index.search(static_cast<faiss::Index::idx_t>(batch), q.data(), kK, d.data(), ids.data());
  SetRates(state, rows, batch);
}

// The int8 scan with float32 re-scoring of its best candidates; recall_at_10 is measured once
// against the exact float32 result of the same queries.
void BM_IdregFlatInt8(benchmark::State& state) {
  const size_t rows = state.range(0), batch = state.range(1);
  const int threads = static_cast<int>(state.range(2));
  const EmbeddingIndex& index = OursInt8(rows);
  const auto q = Queries(batch);
  for (auto _ : state) benchmark::DoNotOptimize(index.Search(q, kK, IndexMetric::kL2, threads));
  const auto got = index.Search(Queries(64), kK, IndexMetric::kL2, threads);
  const auto truth = Ours(rows).Search(Queries(64), kK, IndexMetric::kL2, threads);
  size_t found = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    std::set<uint32_t> t;
    for (const IndexHit& h : truth[i]) t.insert(h.row);
    for (const IndexHit& h : got[i]) found += t.count(h.row);
  }
  const double vectors = static_cast<double>(rows) * state.iterations();
  state.counters["Mvec_per_s"] = benchmark::Counter(vectors / 1e6, benchmark::Counter::kIsRate);
  // Bytes the scan reads: the 128 codes of each row, plus its scale, norm and code sum.
  state.counters["GB_per_s"] = benchmark::Counter(vectors * (kDim + 12) / 1e9, benchmark::Counter::kIsRate);
  state.counters["batch"] = static_cast<double>(batch);
  state.counters["recall_at_10"] = static_cast<double>(found) / (truth.size() * kK);
}

void SearchArgs(benchmark::internal::Benchmark* b) {
  for (int64_t rows : {100000, 1000000})
    for (int64_t batch : {1, 64})
      for (int64_t threads : {1, 2}) b->Args({rows, batch, threads});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK_CAPTURE(BM_IdregFlat, L2, IndexMetric::kL2)->Apply(SearchArgs);
BENCHMARK(BM_IdregFlatInt8)->Apply(SearchArgs);
BENCHMARK_TEMPLATE(BM_FaissFlat, faiss::IndexFlatL2)->Apply(SearchArgs);
BENCHMARK_CAPTURE(BM_IdregFlat, IP, IndexMetric::kInnerProduct)->Apply(SearchArgs);
BENCHMARK_TEMPLATE(BM_FaissFlat, faiss::IndexFlatIP)->Apply(SearchArgs);

// Streaming read bandwidth of one core over the 1M x 128 matrix (512 MB), for the GB/s above.
void BM_MemoryReadBandwidth(benchmark::State& state) {
  const std::vector<float>& data = Data(1000000);
  for (auto _ : state) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i + 4 <= data.size(); i += 4) {
      s0 += data[i];
      s1 += data[i + 1];
      s2 += data[i + 2];
      s3 += data[i + 3];
    }
    benchmark::DoNotOptimize(s0 + s1 + s2 + s3);
  }
  state.counters["GB_per_s"] =
      benchmark::Counter(static_cast<double>(data.size()) * 4 * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MemoryReadBandwidth)->Unit(benchmark::kMillisecond)->UseRealTime();

// HNSW on 1,000,000 descriptor-like vectors queried as identification queries a gallery: a common
// mean plus isotropic spread, so that unrelated vectors lie 0.83 apart (the impostor mean of
// bbt-crops), and each query a mate of one gallery vector moved in a random direction by a
// genuine distance drawn from N(0.428, 0.071) (bbt-crops' genuine distances, --no-detect).
constexpr size_t kHnswRows = 1000000, kMateQueries = 1000;

struct MateSet {
  std::vector<float> gallery, queries;
  std::vector<uint32_t> mates;
};

const MateSet& Mates() {
  static const MateSet set = [] {
    MateSet s;
    std::mt19937 rng(21);
    std::normal_distribution<float> g(0, 1);
    std::vector<float> mean(kDim);
    for (float& m : mean) m = 0.1f * g(rng);
    const float sigma = 0.827f / std::sqrt(2.0f * kDim);
    s.gallery.resize(kHnswRows * kDim);
    for (size_t i = 0; i < s.gallery.size(); ++i) s.gallery[i] = mean[i % kDim] + sigma * g(rng);
    for (size_t i = 0; i < kMateQueries; ++i) {
      const size_t row = (i * 7919 + 13) % kHnswRows;
      std::vector<float> e(kDim);
      float norm = 0;
      for (float& x : e) {
        x = g(rng);
        norm += x * x;
      }
      const float distance = std::clamp(0.428f + 0.071f * g(rng), 0.2f, 0.7f);
      for (int d = 0; d < kDim; ++d) s.queries.push_back(s.gallery[row * kDim + d] + e[d] * distance / std::sqrt(norm));
      s.mates.push_back(static_cast<uint32_t>(row));
    }
    return s;
  }();
  return set;
}

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

struct BuiltHnsw {
  std::unique_ptr<HnswIndex> index;
  double build_s = 0, rss_mb = 0;
  double exact_rank1 = 0;  // share of mates the exact flat search puts at rank 1
};

const BuiltHnsw& Hnsw() {
  static const BuiltHnsw built = [] {
    BuiltHnsw b;
    const MateSet& m = Mates();
    const size_t before = ResidentBytes();
    const auto t0 = std::chrono::steady_clock::now();
    b.index = std::make_unique<HnswIndex>(kDim, IndexMetric::kL2, HnswParams{.build_threads = 2});
    (void)b.index->Add(m.gallery);
    b.build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    b.rss_mb = (ResidentBytes() - before) / 1e6;
    EmbeddingIndex flat(kDim);
    (void)flat.Add(m.gallery);
    const auto exact = flat.Search(m.queries, 1, IndexMetric::kL2, 2);
    size_t hits = 0;
    for (size_t i = 0; i < kMateQueries; ++i) hits += exact[i][0].row == m.mates[i];
    b.exact_rank1 = static_cast<double>(hits) / kMateQueries;
    return b;
  }();
  return built;
}

// Arg: ef_search. One query per call on one thread, cycling through the mate queries.
void BM_HnswMates(benchmark::State& state) {
  const BuiltHnsw& b = Hnsw();
  const MateSet& m = Mates();
  b.index->set_ef_search(static_cast<size_t>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        b.index->Search(std::span<const float>(m.queries.data() + i * kDim, kDim), kK, IndexMetric::kL2, 1));
    i = (i + 1) % kMateQueries;
  }
  const auto all = b.index->Search(m.queries, 1, IndexMetric::kL2, 1);
  size_t hits = 0;
  for (size_t q = 0; q < kMateQueries; ++q) hits += !all[q].empty() && all[q][0].row == m.mates[q];
  state.counters["mate_rank1"] = static_cast<double>(hits) / kMateQueries;
  state.counters["exact_rank1"] = b.exact_rank1;
  state.counters["build_s"] = b.build_s;
  state.counters["rss_MB"] = b.rss_mb;
  state.counters["index_MB"] = b.index->MemoryBytes() / 1e6;
}
BENCHMARK(BM_HnswMates)->Arg(64)->Arg(128)->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond)->UseRealTime();

std::shared_ptr<const FaceNetworks> Nets(benchmark::State& state) {
  static const auto nets = FaceNetworks::LoadDefault();
  if (!nets.ok()) {
    state.SkipWithError(nets.status().ToString().c_str());
    return nullptr;
  }
  return *nets;
}

// Int8 recall on real descriptors: every face of ../shared/data/face (bbt-crops as crops, the
// golden crops, the 6 faces of faces.jpg) embedded with the default pipeline, placed in a gallery
// padded to `rows` with descriptor-like vectors (the real set's per-dimension mean and standard
// deviation, independent Gaussians). Each real descriptor queries the gallery; its own row is
// dropped from both lists and recall@10 compares the int8 search (re-scoring 64, and raw) with
// the exact float32 one. Arg: rows.
std::vector<float> RealDescriptors(const FaceNetworks& nets) {
  std::vector<float> out;
  auto add = [&](const Descriptor& d) { out.insert(out.end(), d.begin(), d.end()); };
  const std::filesystem::path face = std::filesystem::path(IDREG_SHARED_DIR) / "data/face";
  std::vector<std::filesystem::path> crops;
  if (std::filesystem::is_directory(face / "bbt-crops"))
    for (const auto& person : std::filesystem::directory_iterator(face / "bbt-crops"))
      if (person.is_directory())
        for (const auto& f : std::filesystem::directory_iterator(person.path())) crops.push_back(f.path());
  for (const char* f : {"face1.png", "face2.png", "face_rectangular.png"}) crops.push_back(face / "faceapi-golden" / f);
  std::sort(crops.begin(), crops.end());
  for (const auto& p : crops)
    if (auto img = ReadRgbImageFile(p.string()); img.ok()) add(AnalyzeCrop(nets, *img).descriptor);
  if (auto img = ReadRgbImageFile((face / "faceapi-golden/faces.jpg").string()); img.ok())
    for (const AnalyzedFace& f : AnalyzeFaces(nets, *img)) add(f.descriptor);
  return out;
}

double RecallAt10WithoutSelf(const std::vector<std::vector<IndexHit>>& truth,
                             const std::vector<std::vector<IndexHit>>& got) {
  size_t found = 0, total = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    std::set<uint32_t> t;
    for (const IndexHit& h : truth[q])
      if (h.row != q && t.size() < 10) t.insert(h.row);
    size_t taken = 0;
    for (const IndexHit& h : got[q])
      if (h.row != q && taken < 10) {
        ++taken;
        found += t.count(h.row);
      }
    total += t.size();
  }
  return total ? static_cast<double>(found) / total : 0;
}

void BM_Int8RecallRealDescriptors(benchmark::State& state) {
  auto nets = Nets(state);
  if (!nets) return;
  static const std::vector<float> real = RealDescriptors(*nets);
  const size_t n_real = real.size() / kDim, rows = static_cast<size_t>(state.range(0));
  if (n_real < 2) {
    state.SkipWithError("no real faces found under ../shared/data/face");
    return;
  }
  std::vector<double> mean(kDim, 0), sd(kDim, 0);
  for (size_t i = 0; i < n_real; ++i)
    for (int d = 0; d < kDim; ++d) mean[d] += real[i * kDim + d] / n_real;
  for (size_t i = 0; i < n_real; ++i)
    for (int d = 0; d < kDim; ++d) sd[d] += std::pow(real[i * kDim + d] - mean[d], 2) / (n_real - 1);
  std::vector<float> gallery = real;
  gallery.resize(rows * kDim);
  std::mt19937 rng(31);
  std::normal_distribution<double> g(0, 1);
  for (size_t i = real.size(); i < gallery.size(); ++i)
    gallery[i] = static_cast<float>(mean[i % kDim] + std::sqrt(sd[i % kDim]) * g(rng));
  EmbeddingIndex exact(kDim), int8(kDim, IndexPrecision::kInt8);
  (void)exact.Add(gallery);
  (void)int8.Add(gallery);
  const auto truth = exact.Search(real, 11, IndexMetric::kL2, 2);
  size_t q = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(int8.Search(std::span<const float>(real.data() + q * kDim, kDim), kK, IndexMetric::kL2, 1));
    q = (q + 1) % n_real;
  }
  state.counters["real_faces"] = static_cast<double>(n_real);
  state.counters["recall_at_10"] = RecallAt10WithoutSelf(truth, int8.Search(real, 11, IndexMetric::kL2, 2));
  int8.set_int8_rerank(0);
  state.counters["recall_at_10_raw"] = RecallAt10WithoutSelf(truth, int8.Search(real, 11, IndexMetric::kL2, 2));
  // How descriptor-like the padding is: each real face's nearest padding vector (among its 11
  // nearest rows) against its nearest other real face (means over the real faces).
  double pad_nn = 0, real_nn = 0;
  size_t with_pad = 0;
  for (size_t i = 0; i < n_real; ++i) {
    double best_pad = 1e30, best_real = 1e30;
    for (const IndexHit& h : truth[i])
      if (h.row >= n_real) best_pad = std::min<double>(best_pad, h.score);
    for (size_t j = 0; j < n_real; ++j) {
      if (j == i) continue;
      double s2 = 0;
      for (int d = 0; d < kDim; ++d) s2 += std::pow(real[i * kDim + d] - real[j * kDim + d], 2);
      best_real = std::min(best_real, s2);
    }
    if (best_pad < 1e30) pad_nn += std::sqrt(best_pad), ++with_pad;
    real_nn += std::sqrt(best_real) / n_real;
  }
  state.counters["nearest_padding_dist"] = with_pad ? pad_nn / with_pad : 0;
  state.counters["nearest_real_dist"] = real_nn;
}
BENCHMARK(BM_Int8RecallRealDescriptors)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

const RgbImage* Photo(benchmark::State& state, int w, int h) {
  static RgbImage photo;
  if (photo.width == 0) {
    auto img = ReadRgbImageFile(std::string(IDREG_SHARED_DIR) + "/data/face/faceapi-golden/faces.jpg");
    if (!img.ok()) {
      state.SkipWithError(img.status().ToString().c_str());
      return nullptr;
    }
    // Stretch the 710x473 group photo to 640x480 (nearest neighbour keeps it simple).
    photo.width = w;
    photo.height = h;
    photo.pixels.resize(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        std::memcpy(&photo.pixels[(static_cast<size_t>(y) * w + x) * 3],
                    &img->pixels[(static_cast<size_t>(y * img->height / h) * img->width + x * img->width / w) * 3], 3);
  }
  return &photo;
}

// One core, the whole pipeline on a 640x480 photo with 6 faces: detection, then landmarks,
// alignment, embedding and quality per face.
void BM_PhotoDetectLandmarksEmbed640x480(benchmark::State& state) {
  auto nets = Nets(state);
  const RgbImage* photo = Photo(state, 640, 480);
  if (!nets || !photo) return;
  size_t faces = 0;
  for (auto _ : state) {
    auto f = AnalyzeFaces(*nets, *photo);
    faces = f.size();
    benchmark::DoNotOptimize(f);
  }
  state.counters["faces"] = static_cast<double>(faces);
}
BENCHMARK(BM_PhotoDetectLandmarksEmbed640x480)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Detect640x480(benchmark::State& state) {
  auto nets = Nets(state);
  const RgbImage* photo = Photo(state, 640, 480);
  if (!nets || !photo) return;
  for (auto _ : state) benchmark::DoNotOptimize(nets->Detect(*photo));
}
BENCHMARK(BM_Detect640x480)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EmbedCrop150(benchmark::State& state) {
  auto nets = Nets(state);
  if (!nets) return;
  RgbImage crop;
  crop.width = crop.height = 150;
  crop.pixels.assign(150 * 150 * 3, 0);
  std::mt19937 rng(5);
  for (auto& p : crop.pixels) p = static_cast<uint8_t>(rng());
  for (auto _ : state) benchmark::DoNotOptimize(nets->EmbedCrop(crop));
}
BENCHMARK(BM_EmbedCrop150)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Landmarks(benchmark::State& state) {
  auto nets = Nets(state);
  const RgbImage* photo = Photo(state, 640, 480);
  if (!nets || !photo) return;
  for (auto _ : state) benchmark::DoNotOptimize(nets->Landmarks(*photo, {200, 220, 140, 130}));
}
BENCHMARK(BM_Landmarks)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
