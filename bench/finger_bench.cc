// Fingerprint benchmarks: extraction time per image (one core) and the 1:N matching rate of a
// prepared probe over a gallery, fast path against the scalar reference. Needs ../shared/data/fingerprint
// (FVC2002 DB1_B).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "idreg/finger/extractor.h"
#include "idreg/finger/matcher.h"
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

}  // namespace

BENCHMARK_MAIN();
