// WSQ decoding of the SourceAFIS sample (832x768, 500 ppi) against a plain reference in the same
// run: OpenCV decoding the same image stored as PNG (wsq-converted.png), the lossless form a
// system without WSQ would keep.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "idreg/image/wsq.h"

namespace {

const std::string kDir = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/sourceafis/";

std::vector<uint8_t> ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void BM_IdregWsqDecode(benchmark::State& state) {
  std::vector<uint8_t> wsq = ReadAll(kDir + "wsq-original.wsq");
  if (wsq.empty()) return state.SkipWithError("missing wsq-original.wsq");
  for (auto _ : state) {
    idreg::Result<idreg::GrayImage> img = idreg::DecodeWsq(wsq);
    if (!img.ok()) return state.SkipWithError(img.status().ToString().c_str());
    benchmark::DoNotOptimize(img->pixels.data());
  }
  state.counters["Mpixel/s"] = benchmark::Counter(832.0 * 768 / 1e6, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["input_bytes"] = static_cast<double>(wsq.size());
}

void BM_OpenCvPngDecode(benchmark::State& state) {
  std::vector<uint8_t> png = ReadAll(kDir + "wsq-converted.png");
  if (png.empty()) return state.SkipWithError("missing wsq-converted.png");
  cv::Mat raw(1, static_cast<int>(png.size()), CV_8U, png.data());
  for (auto _ : state) {
    cv::Mat img = cv::imdecode(raw, cv::IMREAD_GRAYSCALE);
    benchmark::DoNotOptimize(img.data);
  }
  state.counters["Mpixel/s"] = benchmark::Counter(832.0 * 768 / 1e6, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["input_bytes"] = static_cast<double>(png.size());
}

BENCHMARK(BM_IdregWsqDecode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OpenCvPngDecode)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
