// Voice: feature extraction per second of audio, enrollment of a 10 s recording (needs the model
// of scripts/train-voice-model), and 1:N scoring per template with the run-time-dispatched dot
// product against the naive scalar loop a user would otherwise write.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "idreg/voice/features.h"
#include "idreg/voice/gallery.h"
#include "idreg/voice/speaker_model.h"
#include "idreg/voice/voice_template.h"

namespace {

using namespace idreg::voice;

// 10 s of a real prompt sequence when installed (an asterisk prompt, 8 kHz), else a harmonic signal.
Audio TenSeconds() {
  const char* dir = "/usr/share/asterisk/sounds/en_US_f_Allison";
  Audio out{{}, 8000, 0, 0};
  for (const char* n : {"vm-instructions", "vm-options", "vm-intro", "conf-getpin"}) {
    auto a = ReadAudioFile(std::string(dir) + "/" + n + ".wav");
    if (a.ok()) out.samples.insert(out.samples.end(), a->samples.begin(), a->samples.end());
  }
  if (out.samples.size() < 80000) {
    out.samples.assign(80000, 0.0f);
    for (size_t i = 0; i < out.samples.size(); ++i)
      out.samples[i] = 0.3f * float(std::sin(2 * M_PI * 150 * double(i) / 8000) * (i % 8000 < 6000));
  }
  out.samples.resize(80000);
  for (float v : out.samples) out.peak = std::max(out.peak, std::fabs(v));
  return out;
}

void BM_ExtractSpeech10s(benchmark::State& state) {
  const Audio a = TenSeconds();
  for (auto _ : state) benchmark::DoNotOptimize(ExtractSpeech(a));
  state.counters["audio_s_per_s"] = benchmark::Counter(10.0 * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExtractSpeech10s)->Unit(benchmark::kMillisecond);

void BM_Enroll10s(benchmark::State& state) {
  auto model = GmmUbmModel::Load(DefaultModelPath());
  if (!model.ok()) {
    state.SkipWithError("voice model missing: run scripts/train-voice-model");
    return;
  }
  const Audio a = TenSeconds();
  for (auto _ : state) benchmark::DoNotOptimize(Enroll(*model, {a}));
}
BENCHMARK(BM_Enroll10s)->Unit(benchmark::kMillisecond);

// Gallery rows as laid out by VoiceGallery: contiguous unit vectors. The argument is the embedding
// length: 2 x 128 x 38 floats for the two-band model, 128 x 38 for the single-band model it replaced
// (measured in the same run for comparison).
constexpr size_t kTwoBandDim = 2 * 128 * 38;
constexpr size_t kOneBandDim = 128 * 38;
constexpr size_t kGallery = 20000;

std::vector<float> RandomRows(size_t rows, size_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f / std::sqrt(float(dim)));
  std::vector<float> v(rows * dim);
  for (float& x : v) x = g(rng);
  return v;
}

void BM_Score1N_Dispatched(benchmark::State& state) {
  const size_t kDim = size_t(state.range(0));
  const auto gallery = RandomRows(kGallery, kDim, 1), probe = RandomRows(1, kDim, 2);
  for (auto _ : state)
    for (size_t i = 0; i < kGallery; ++i) benchmark::DoNotOptimize(Dot(probe.data(), gallery.data() + i * kDim, kDim));
  state.counters["templates_per_s"] = benchmark::Counter(double(kGallery) * double(state.iterations()),
                                                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Score1N_Dispatched)->Arg(kTwoBandDim)->Arg(kOneBandDim)->Unit(benchmark::kMillisecond);

void BM_Score1N_ScalarLoop(benchmark::State& state) {
  const size_t kDim = size_t(state.range(0));
  const auto gallery = RandomRows(kGallery, kDim, 1), probe = RandomRows(1, kDim, 2);
  for (auto _ : state)
    for (size_t i = 0; i < kGallery; ++i)
      benchmark::DoNotOptimize(DotScalar(probe.data(), gallery.data() + i * kDim, kDim));
  state.counters["templates_per_s"] = benchmark::Counter(double(kGallery) * double(state.iterations()),
                                                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Score1N_ScalarLoop)->Arg(kTwoBandDim)->Arg(kOneBandDim)->Unit(benchmark::kMillisecond);

// The whole 1:N search of VoiceGallery: dot product, duration-matched s-norm (each side's cohort
// statistics interpolated for the other's duration), calibration, top-10.
void BM_GallerySearch_SNorm(benchmark::State& state) {
  const size_t kDim = size_t(state.range(0));
  const auto rows = RandomRows(kGallery, kDim, 1), probe_row = RandomRows(1, kDim, 2);
  auto make = [kDim](const float* row, float seconds) {
    VoiceTemplate t;
    t.model_id = "bench";
    t.embedding.assign(row, row + kDim);
    double norm = 0;
    for (float v : t.embedding) norm += double(v) * v;
    for (float& v : t.embedding) v = float(v / std::sqrt(norm));
    t.speech_seconds = seconds;
    t.cohort_by_duration = {{1, 0.01f, 0.02f}, {3, 0.02f, 0.02f}, {10, 0.03f, 0.02f}};
    return t;
  };
  VoiceGallery gallery;
  for (size_t i = 0; i < kGallery; ++i)
    if (!gallery.Add(std::to_string(i), make(rows.data() + i * kDim, 10)).ok()) state.SkipWithError("add failed");
  const VoiceTemplate probe = make(probe_row.data(), 3);
  for (auto _ : state) benchmark::DoNotOptimize(gallery.Search(probe, 10));
  state.counters["templates_per_s"] = benchmark::Counter(double(kGallery) * double(state.iterations()),
                                                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GallerySearch_SNorm)->Arg(kTwoBandDim)->Arg(kOneBandDim)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
