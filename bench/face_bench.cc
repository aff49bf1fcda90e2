// Face benchmarks: the networks (detect + landmarks + embed of a 640x480 photo; embed of one
// crop) and 1:N flat search of idreg's EmbeddingIndex against FAISS IndexFlatL2/IndexFlatIP on the
// same random 128-d data, the same thread count and the same k, beside the memory bandwidth this
// binary measures. Run: scripts/bench face [FILTER].
#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <vector>

#include "idreg/face/embedding_index.h"
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

void SearchArgs(benchmark::internal::Benchmark* b) {
  for (int64_t rows : {100000, 1000000})
    for (int64_t batch : {1, 64})
      for (int64_t threads : {1, 2}) b->Args({rows, batch, threads});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK_CAPTURE(BM_IdregFlat, L2, IndexMetric::kL2)->Apply(SearchArgs);
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

std::shared_ptr<const FaceNetworks> Nets(benchmark::State& state) {
  static const auto nets = FaceNetworks::LoadDefault();
  if (!nets.ok()) {
    state.SkipWithError(nets.status().ToString().c_str());
    return nullptr;
  }
  return *nets;
}

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
