// The identification engine: 1:N decision time per modality on large galleries, fusion and
// decision, memory per person, and start-up (building the galleries from the store).
//  - finger: synthetic templates (finger/synthetic.h) in a FingerGallery on every core, against
//    the reference a user would otherwise run: the same scan on one thread (what
//    `idreg finger identify` does per image, minus the file reading);
//  - dna: random genotypes drawn from the NIST 1036 allele frequencies;
//  - startup: Engine::Build from an SQLite store of N persons with one finger each.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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
    e.biometrics.push_back(*FingerRecord(kSynthetic.Impression(static_cast<uint64_t>(i), 0), "right_index"));
    if (!(*store)->Enroll(e, actor).ok()) return state.SkipWithError("enroll failed");
  }
  EngineOptions eo;
  eo.calibrations["finger"] = *FitLogistic("finger", {0.05, 0.1}, {0.01, 0.02});
  for (auto _ : state) {
    auto engine = Engine::Build(**store, actor, eo);
    benchmark::DoNotOptimize(engine);
  }
  state.counters["persons"] = static_cast<double>(state.range(0));
  state.counters["persons_per_s"] =
      benchmark::Counter(static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StartupFromStore)->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace idreg::match

BENCHMARK_MAIN();
