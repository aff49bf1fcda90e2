// Fingerprint benchmarks: extraction time per image (one core) and the 1:N matching rate of a
// prepared probe over a gallery, fast path against the scalar reference. Needs ../shared/data/fingerprint
// (FVC2002 DB1_B).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include "idreg/finger/extractor.h"
#include "idreg/finger/gallery.h"
#include "idreg/finger/matcher.h"
#include "idreg/finger/synthetic.h"
#include "idreg/image/decode.h"

namespace {

const std::string kData = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/";

std::vector<idreg::GrayImage> LoadImages(const std::string& db, int count) {
  std::vector<idreg::GrayImage> out;
  for (int f = 101; f <= 110 && static_cast<int>(out.size()) < count; ++f) {
    for (int i = 1; i <= 8 && static_cast<int>(out.size()) < count; ++i) {
      auto img =
          idreg::ReadImageFile(kData + db + "/" + std::to_string(f) + "_" + std::to_string(i) + ".tif");
      if (img.ok()) out.push_back(std::move(*img));
    }
  }
  return out;
}

void BM_Extract(benchmark::State& state, const char* db) {
  cv::setNumThreads(1);  // one core, as the target says
  const std::vector<idreg::GrayImage> images = LoadImages(db, 16);
  if (images.empty()) return state.SkipWithError("FVC2002 images not found under ../shared/data");
  size_t i = 0;
  for (auto _ : state) {
    auto t = idreg::finger::ExtractMinutiae(images[i++ % images.size()]);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_CAPTURE(BM_Extract, DB1_B, "DB1_B")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Extract, DB2_B, "DB2_B")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Extract, DB3_B, "DB3_B")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Extract, DB4_B, "DB4_B")->Unit(benchmark::kMillisecond);

// 1:N: one prepared probe streamed over a gallery of real DB1_B..DB4_B templates (320), fast
// kernel against the scalar reference of the same algorithm, in the same run.
struct Gallery {
  std::vector<idreg::finger::SearchTemplate> templates;
  std::optional<idreg::finger::FingerProbe> probe;
  size_t bytes = 0;
};

const Gallery& SharedGallery() {
  static const Gallery g = [] {
    Gallery g;
    for (const char* db : {"DB1_B", "DB2_B", "DB3_B", "DB4_B"}) {
      for (const auto& img : LoadImages(db, 80)) {
        auto t = idreg::finger::ExtractMinutiae(img);
        if (!t.ok()) continue;
        if (!g.probe) g.probe.emplace(*t);
        g.templates.emplace_back(*t);
        g.bytes += g.templates.back().MemoryBytes();
      }
    }
    return g;
  }();
  return g;
}

void BM_Identify(benchmark::State& state, bool fast) {
  const Gallery& g = SharedGallery();
  if (g.templates.empty()) return state.SkipWithError("FVC2002 images not found under ../shared/data");
  for (auto _ : state) {
    float best = 0;
    for (const auto& t : g.templates)
      best = std::max(best, fast ? g.probe->Match(t) : g.probe->MatchReference(t));
    benchmark::DoNotOptimize(best);
  }
  state.SetItemsProcessed(state.iterations() * g.templates.size());
  state.counters["bytes_per_template"] = static_cast<double>(g.bytes) / g.templates.size();
}
BENCHMARK_CAPTURE(BM_Identify, fast, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Identify, scalar_reference, false)->Unit(benchmark::kMillisecond);

// What building a gallery costs per template, one core: the synthetic impression alone, then its
// coarse form straight from the minutiae (what FingerGallery::Add does) against the full cylinders
// downsampled (the same codes, coarse_direct_test.cc).
void BM_BuildCoarse(benchmark::State& state, int mode) {
  const idreg::finger::SyntheticFingers gen(1);
  uint64_t finger = 0;
  for (auto _ : state) {
    const auto t = gen.Impression(finger++, 0);
    if (mode == 1) benchmark::DoNotOptimize(idreg::finger::MakeCoarseTemplate(t));
    if (mode == 2) benchmark::DoNotOptimize(idreg::finger::MakeCoarseTemplate(idreg::finger::SearchTemplate(t)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_BuildCoarse, synthetic_only, 0)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_BuildCoarse, direct, 1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_BuildCoarse, via_cylinders, 2)->Unit(benchmark::kMicrosecond);

// 1:N on a synthetic gallery (synthetic.h): IDREG_FINGER_BENCH_GALLERY templates (default
// 1,000,000), impression 0 of fingers 0..N-1 (seed 1); probes are impression 1 of fingers spread over
// the gallery. Building it takes minutes (the coarse form of every template), so it is cached in the
// gallery's persistent form under IDREG_FINGER_BENCH_CACHE (default /tmp) and loaded on later runs.
size_t SyntheticGallerySize() {
  const char* env = std::getenv("IDREG_FINGER_BENCH_GALLERY");
  return env ? std::strtoull(env, nullptr, 10) : 1000000;
}

const idreg::finger::FingerGallery& SyntheticGallery() {
  static const idreg::finger::FingerGallery g = [] {
    const size_t n = SyntheticGallerySize();
    const char* dir = std::getenv("IDREG_FINGER_BENCH_CACHE");
    const std::string path =
        std::string(dir ? dir : "/tmp") + "/idreg-finger-synthetic-" + std::to_string(n) + ".idfg";
    std::ifstream in(path, std::ios::binary);
    if (in) {
      idreg::Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto parsed = idreg::finger::ParseGallery(bytes);
      if (parsed.ok() && parsed->size() == n) {
        // As a gallery holds it (Append keeps the 16 compared cylinders of files that hold all).
        idreg::finger::FingerGallery kept;
        kept.Append(*parsed);
        return kept;
      }
    }
    const idreg::finger::SyntheticFingers gen(1);
    // Built in parallel slices, then appended in order (Add itself is not thread-safe).
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<idreg::finger::FingerGallery> parts(threads);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) parts[t].Add(gen.Impression(i, 0));
      });
    }
    for (auto& th : pool) th.join();
    idreg::finger::FingerGallery g;
    for (auto& part : parts) {
      g.Append(part);
      part = {};  // a million templates take gigabytes: no second copy
    }
    const idreg::Bytes bytes = idreg::finger::SerializeGallery(g);
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return g;
  }();
  return g;
}

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The whole 1:N search (coarse stage over every template + MCC on the shortlist), all cores.
void BM_SyntheticIdentify(benchmark::State& state) {
  const auto& g = SyntheticGallery();
  const idreg::finger::SyntheticFingers gen(1);
  idreg::finger::FingerGallery::SearchOptions o;
  o.shortlist = static_cast<size_t>(state.range(0));
  size_t probe = 0, hits = 0, searches = 0;
  double cpu = 0;
  for (auto _ : state) {
    const uint64_t finger = (probe++ * 7919) % g.size();
    state.PauseTiming();
    const auto tmpl = gen.Impression(finger, 1);
    state.ResumeTiming();
    const double cpu0 = ProcessCpuSeconds();
    const auto c = g.Search(tmpl, o);
    cpu += ProcessCpuSeconds() - cpu0;
    hits += !c.empty() && c[0].index == finger;
    ++searches;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g.size()));
  state.counters["gallery"] = static_cast<double>(g.size());
  state.counters["bytes_per_template"] = static_cast<double>(g.MemoryBytes()) / static_cast<double>(g.size());
  state.counters["rank1"] = searches ? static_cast<double>(hits) / static_cast<double>(searches) : 0;
  state.counters["probes"] = static_cast<double>(searches);
  // CPU seconds of every thread per search: the figure that holds when other jobs load the machine.
  state.counters["cpu_ms"] = searches ? 1e3 * cpu / static_cast<double>(searches) : 0;
}
// IDREG_FINGER_BENCH_PROBES=N runs exactly N searches (N probes) per shortlist, so that rank-1 is
// measured over a chosen number of probes (100 make it meaningful at 1,000,000).
[[maybe_unused]] auto* const kSyntheticIdentify = [] {
  auto* b = benchmark::RegisterBenchmark("BM_SyntheticIdentify", BM_SyntheticIdentify)
                ->Arg(200)
                ->Arg(1000)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
  if (const char* probes = std::getenv("IDREG_FINGER_BENCH_PROBES")) b->Iterations(std::strtoll(probes, nullptr, 10));
  return b;
}();

// The reference a user would otherwise pick: plain exhaustive MCC (prepared probe, prebuilt
// cylinders) over the first 20,000 synthetic templates, one core; rate per template.
void BM_SyntheticExhaustiveMcc(benchmark::State& state) {
  static const std::vector<idreg::finger::SearchTemplate> refs = [] {
    const idreg::finger::SyntheticFingers gen(1);
    std::vector<idreg::finger::SearchTemplate> r;
    for (size_t i = 0; i < 20000; ++i) r.emplace_back(gen.Impression(i, 0));
    return r;
  }();
  const idreg::finger::SyntheticFingers gen(1);
  const idreg::finger::FingerProbe probe(gen.Impression(17, 1));
  for (auto _ : state) {
    float best = 0;
    for (const auto& t : refs) best = std::max(best, probe.Match(t));
    benchmark::DoNotOptimize(best);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * refs.size()));
  size_t bytes = 0;
  for (const auto& t : refs) bytes += t.MemoryBytes();
  state.counters["bytes_per_template"] = static_cast<double>(bytes) / static_cast<double>(refs.size());
}
BENCHMARK(BM_SyntheticExhaustiveMcc)->Unit(benchmark::kMillisecond)->Iterations(1);

// The coarse kernel alone over the synthetic gallery, one core: the fastest kernel for the CPU
// (AVX-512 VPOPCNTDQ here) against the portable scalar reference. IDREG_FINGER_COARSE_KERNEL=avx2
// (or popcnt) makes the first one measure that kernel instead.
void BM_CoarseScan(benchmark::State& state, bool fast) {
  const auto& g = SyntheticGallery();
  const idreg::finger::SyntheticFingers gen(1);
  const auto coarse = idreg::finger::MakeCoarseTemplate(idreg::finger::SearchTemplate(gen.Impression(3, 1)));
  for (auto _ : state) benchmark::DoNotOptimize(g.CoarseShortlist(coarse, 200, 1, !fast));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g.size()));
}
BENCHMARK_CAPTURE(BM_CoarseScan, avx512, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_CoarseScan, scalar_reference, false)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
