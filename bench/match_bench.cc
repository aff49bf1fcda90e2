// The identification engine: 1:N decision time per modality on large galleries, fusion and
// decision, memory per person, and start-up (building the galleries from the store).
//  - finger: synthetic templates (finger/synthetic.h) in a FingerGallery on every core, against
//    the reference a user would otherwise run: the same scan on one thread (what
//    `idreg finger identify` does per image, minus the file reading);
//  - dna: random genotypes drawn from the NIST 1036 allele frequencies;
//  - startup: Engine::Build from an SQLite store of N persons with one finger each;
//  - face: FaceGallery (face::EmbeddingIndex, SIMD on every core) over random 128-d descriptors,
//    against the reference a user would write: one scalar pass computing every distance, then
//    a partial sort;
//  - voice: VoiceSampleGallery (s-norm) over random templates of the installed model's size.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <algorithm>
#include <cmath>
#include <random>

#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/profile_io.h"
#include "idreg/finger/synthetic.h"
#include "idreg/match/engine.h"
#include "idreg/match/records.h"

namespace idreg::match {
namespace {

const finger::SyntheticFingers kSynthetic(2026);

std::unique_ptr<FingerGallery> FingerGalleryOf(size_t n, unsigned threads) {
  auto g = std::make_unique<FingerGallery>(FingerGalleryOptions{threads});
  std::vector<SampleKey> keys;
  std::vector<finger::SearchTemplate> ts;
  for (size_t i = 0; i < n; ++i) {
    keys.push_back({ProfileId::Random(), Id::Random(), "right_index"});
    ts.emplace_back(kSynthetic.Impression(i, 0));
  }
  (void)g->AddSearchTemplates(keys, std::move(ts));
  return g;
}

void BM_FingerSearch(benchmark::State& state) {
  static std::map<std::pair<int64_t, int64_t>, std::unique_ptr<FingerGallery>> cache;
  auto& g = cache[{state.range(0), state.range(1)}];
  if (!g) g = FingerGalleryOf(static_cast<size_t>(state.range(0)), static_cast<unsigned>(state.range(1)));
  std::vector<FingerProbeSample> probe{{kSynthetic.Impression(7, 1), "right_index"}};
  size_t hits = 0;
  for (auto _ : state) {
    auto r = g->Search(probe, 10, {});
    hits += !r[0].empty() && r[0][0].score > 0;
    benchmark::DoNotOptimize(r);
  }
  state.counters["gallery"] = static_cast<double>(g->samples());
  state.counters["bytes_per_person"] = static_cast<double>(g->MemoryBytes()) / static_cast<double>(g->profiles());
  state.counters["comparisons_per_s"] =
      benchmark::Counter(static_cast<double>(g->samples()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
// Args: gallery size, threads (0: every core; 1: the single-thread reference).
BENCHMARK(BM_FingerSearch)->Args({10000, 1})->Args({10000, 0})->Args({100000, 0})->Unit(benchmark::kMillisecond)->UseRealTime();

std::shared_ptr<dna::PopulationFrequencies> Frequencies() {
  std::ifstream f(std::string(IDREG_SHARED_DIR) + "/data/dna/nist1036_allele_freqs_2017.csv");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto tables = dna::FrequencyTables::Parse(text);
  if (!tables.ok()) return nullptr;
  auto cauc = tables->Find("Cauc");
  return cauc.ok() ? std::make_shared<dna::PopulationFrequencies>(**cauc) : nullptr;
}

dna::StrProfile RandomGenotype(const dna::PopulationFrequencies& f, std::mt19937_64& rng) {
  dna::StrProfile p;
  std::uniform_real_distribution<double> u(0, 1);
  for (int l = 0; l < dna::kLocusCount; ++l) {
    const auto& lf = f.loci[static_cast<size_t>(l)];
    if (!lf.present || lf.frequency.empty()) continue;
    auto draw = [&] {
      double x = u(rng);
      for (const auto& [allele, p] : lf.frequency) {
        if ((x -= p) <= 0) return allele;
      }
      return lf.frequency.rbegin()->first;
    };
    (void)p.AddLocus(static_cast<dna::LocusId>(l), {draw(), draw()});
  }
  return p;
}

void BM_DnaSearch(benchmark::State& state) {
  static auto freqs = Frequencies();
  if (!freqs) return state.SkipWithError("missing ../shared/data/dna/nist1036_allele_freqs_2017.csv");
  static std::map<int64_t, std::unique_ptr<DnaSampleGallery>> cache;
  static dna::StrProfile probe;
  auto& g = cache[state.range(0)];
  if (!g) {
    g = std::make_unique<DnaSampleGallery>(DnaGalleryOptions{{}, freqs});
    std::mt19937_64 rng(7);
    std::vector<SampleKey> keys;
    std::vector<dna::StrProfile> ps;
    for (int64_t i = 0; i < state.range(0); ++i) {
      keys.push_back({ProfileId::Random(), Id::Random(), "profile"});
      ps.push_back(RandomGenotype(*freqs, rng));
    }
    probe = ps[ps.size() / 2];
    (void)g->Add(keys, std::move(ps));
  }
  std::vector<dna::StrProfile> probes{probe};
  for (auto _ : state) benchmark::DoNotOptimize(g->Search(probes, 10, {}));
  state.counters["gallery"] = static_cast<double>(g->samples());
  state.counters["bytes_per_person"] = static_cast<double>(g->MemoryBytes()) / static_cast<double>(g->profiles());
}
BENCHMARK(BM_DnaSearch)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FuseAndDecide(benchmark::State& state) {
  std::map<std::string, Calibration> cals{{"finger", *FitLogistic("finger", {0.05, 0.1, 0.2}, {0.01, 0.02, 0.005})},
                                          {"dna", Log10LrCalibration("dna")}};
  std::vector<ModalityScores> scores{{"finger", {"a", "b"}, CandidateLists(2)}, {"dna", {"p"}, CandidateLists(1)}};
  std::mt19937 rng(1);
  for (int i = 0; i < 10; ++i) {
    const ProfileId id = ProfileId::Random();
    scores[0].lists[0].push_back({id, Id::Random(), "", 0.01 * (rng() % 10)});
    scores[0].lists[1].push_back({id, Id::Random(), "", 0.01 * (rng() % 10)});
    scores[1].lists[0].push_back({id, Id::Random(), "", -3.0});
  }
  DecisionPolicy policy;
  for (auto _ : state) {
    auto fused = Fuse(scores, cals);
    benchmark::DoNotOptimize(Decide(policy, 1000000, std::move(*fused)));
  }
}
BENCHMARK(BM_FuseAndDecide);

void BM_StartupFromStore(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / ("idreg-match-bench-" + Id::Random().ToString());
  std::filesystem::create_directories(dir);
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = Store::Open("sqlite:" + (dir / "s.db").string(), o);
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  const Actor actor{"bench", "admin", "benchmark"};
  for (int64_t i = 0; i < state.range(0); ++i) {
    Enrollment e;
    if (state.range(1) == 1) {
      // Faces: one random descriptor each (the template record only; decoding is what is timed).
      std::mt19937 rng(static_cast<unsigned>(i));
      std::normal_distribution<float> n(0, 0.09f);
      FaceTemplate t;
      for (float& x : t.descriptor) x = n(rng);
      e.biometrics.push_back(FaceRecord(t, "frontal", 90));
    } else {
      e.biometrics.push_back(*FingerRecord(kSynthetic.Impression(static_cast<uint64_t>(i), 0), "right_index"));
    }
    if (!(*store)->Enroll(e, actor).ok()) return state.SkipWithError("enroll failed");
  }
  EngineOptions eo;
  eo.calibrations["finger"] = *FitLogistic("finger", {0.05, 0.1}, {0.01, 0.02});
  for (auto _ : state) {
    auto engine = Engine::Build(**store, actor, eo);
    benchmark::DoNotOptimize(engine);
  }
  state.counters["persons"] = static_cast<double>(state.range(0));
  // (the face run's persons_per_s is faces decoded and indexed per second)
  state.counters["persons_per_s"] =
      benchmark::Counter(static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  store->reset();
  std::filesystem::remove_all(dir);
}

face::Descriptor RandomDescriptor(std::mt19937& rng) {
  std::normal_distribution<float> n(0, 0.09f);
  face::Descriptor d;
  for (float& x : d) x = n(rng);
  return d;
}

void BM_FaceSearch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const bool reference = state.range(1) == 1;
  std::mt19937 rng(7);
  FaceGallery g;
  std::vector<face::Descriptor> all;
  {
    std::vector<SampleKey> keys;
    for (size_t i = 0; i < n; ++i) {
      keys.push_back({ProfileId::Random(), Id::Random(), "frontal"});
      all.push_back(RandomDescriptor(rng));
    }
    if (!reference && !g.Add(keys, all).ok()) state.SkipWithError("add failed");
  }
  const std::vector<FaceProbeSample> probe{{RandomDescriptor(rng), "probe"}};
  for (auto _ : state) {
    if (reference) {
      std::vector<std::pair<float, uint32_t>> d(n);
      for (size_t i = 0; i < n; ++i) {
        float s = 0;
        for (size_t j = 0; j < 128; ++j) s += (probe[0].descriptor[j] - all[i][j]) * (probe[0].descriptor[j] - all[i][j]);
        d[i] = {s, static_cast<uint32_t>(i)};
      }
      std::partial_sort(d.begin(), d.begin() + 10, d.end());
      benchmark::DoNotOptimize(d.data());
    } else {
      benchmark::DoNotOptimize(g.Search(probe, 10, {}));
    }
  }
  state.counters["bytes_per_person"] = reference ? 512.0 : static_cast<double>(g.MemoryBytes()) / static_cast<double>(n);
}
BENCHMARK(BM_FaceSearch)->Args({1000000, 1})->Args({1000000, 0})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_VoiceSearch(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0)), dim = static_cast<size_t>(state.range(1));
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0, 1);
  auto random_template = [&] {
    voice::VoiceTemplate t;
    t.model_id = "bench";
    t.embedding.resize(dim);
    double norm = 0;
    for (float& x : t.embedding) norm += double(x = nd(rng)) * x;
    for (float& x : t.embedding) x = static_cast<float>(x / std::sqrt(norm));
    t.cohort_std = 0.1f;
    return t;
  };
  VoiceSampleGallery g;
  std::vector<SampleKey> keys;
  std::vector<voice::VoiceTemplate> ts;
  for (size_t i = 0; i < n; ++i) {
    keys.push_back({ProfileId::Random(), Id::Random(), "speech"});
    ts.push_back(random_template());
  }
  if (!g.Add(keys, std::move(ts)).ok()) state.SkipWithError("add failed");
  const std::vector<voice::VoiceTemplate> probe{random_template()};
  for (auto _ : state) benchmark::DoNotOptimize(g.Search(probe, 10, {}));
  state.counters["bytes_per_person"] = static_cast<double>(g.MemoryBytes()) / static_cast<double>(n);
}
// 128 components x 38 features: the current GMM-UBM supervector (voice/parameters.h).
BENCHMARK(BM_VoiceSearch)->Args({10000, 4864})->Unit(benchmark::kMillisecond)->UseRealTime();

// Args: persons, 0 = one finger each, 1 = one face each.
BENCHMARK(BM_StartupFromStore)->Args({2000, 0})->Args({5000, 1})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace idreg::match

BENCHMARK_MAIN();
