// The identification engine: 1:N decision time per modality on large galleries, fusion and
// decision, memory per person, and start-up (building the galleries from the store).
//  - finger: synthetic templates (finger/synthetic.h) in the two-stage FingerGallery on every core,
//    against the reference a user would otherwise run: exhaustive MCC over prebuilt search forms
//    (the engine's finger gallery before the two stages);
//  - enrollment decision: face + 2 fingers + DNA against N synthetic persons
//    (IDREG_ENGINE_BENCH_PERSONS, default 1,000,000), split per modality (BM_EnrollmentDecision);
//    IDREG_ENGINE_BENCH_FINGER_POOL=shared draws both finger positions from N cached fingers
//    instead of 2N (SharedFingerPool);
//  - dna: random genotypes drawn from the NIST 1036 allele frequencies;
//  - startup: Engine::Build from an SQLite store of N persons with one finger each, and the split of
//    its cost per finger: store read, ISO parsing, cylinders + coarse codes, and parsing the stored
//    coarse forms that replace them (BM_StartupSplit); the same split on an existing store of any
//    size, e.g. 1,000,000 persons from bench/load_populate (BM_StartupExistingStore);
//  - face: FaceGallery over random 128-d descriptors (its automatic index: the exact
//    face::EmbeddingIndex below 65,536 samples, face::SketchIndex from there on), against the
//    reference a user would write: one scalar pass computing every distance, then a partial sort;
//  - voice: VoiceSampleGallery (s-norm) over random templates of the shipped model's size.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <tuple>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <optional>
#include <thread>
#include <unordered_set>

#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/profile_io.h"
#include "idreg/finger/gallery.h"
#include "idreg/finger/synthetic.h"
#include "idreg/match/engine.h"
#include "idreg/match/records.h"

namespace idreg::match {
namespace {

const finger::SyntheticFingers kSynthetic(2026);

std::unique_ptr<FingerGallery> FingerGalleryOf(size_t n, unsigned threads, size_t shortlist) {
  FingerGalleryOptions o{threads, shortlist};
  // The exhaustive reference keeps every search form (the engine's design before the two stages).
  if (shortlist == 0) o.prebuilt_limit = n;
  auto g = std::make_unique<FingerGallery>(o);
  std::vector<SampleKey> keys;
  std::vector<finger::FingerTemplate> ts;
  for (size_t i = 0; i < n; ++i) {
    keys.push_back({ProfileId::Random(), Id::Random(), "right_index"});
    ts.push_back(kSynthetic.Impression(i, 0));
  }
  (void)g->Add(keys, std::move(ts));
  return g;
}

void BM_FingerSearch(benchmark::State& state) {
  static std::map<std::tuple<int64_t, int64_t, int64_t>, std::unique_ptr<FingerGallery>> cache;
  auto& g = cache[{state.range(0), state.range(1), state.range(2)}];
  if (!g) {
    g = FingerGalleryOf(static_cast<size_t>(state.range(0)), static_cast<unsigned>(state.range(1)),
                        static_cast<size_t>(state.range(2)));
  }
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
// Args: gallery size, threads (0: every core; 1: one thread), shortlist (0: exhaustive MCC over
// prebuilt search forms, the engine before the two stages and the reference a user would otherwise
// run; 200: the engine's default two-stage search, cylinders rebuilt for the shortlist).
BENCHMARK(BM_FingerSearch)
    ->Args({10000, 0, 0})
    ->Args({10000, 0, 200})
    ->Args({10000, 1, 200})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

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

// A fresh SQLite store in its own temporary folder, removed when the benchmark ends.
class TempStore {
 public:
  TempStore() : dir_(std::filesystem::temp_directory_path() / ("idreg-match-bench-" + Id::Random().ToString())) {
    std::filesystem::create_directories(dir_);
    StoreOptions o;
    o.master_key = MasterKey::Generate();
    o.create_if_missing = true;
    auto store = Store::Open("sqlite:" + (dir_ / "s.db").string(), o);
    if (store.ok()) {
      store_ = std::move(*store);
    } else {
      status_ = store.status();
    }
  }
  ~TempStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  const Status& status() const { return status_; }
  Store& operator*() const { return *store_; }
  Store* operator->() const { return store_.get(); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  Status status_;
};

face::Descriptor RandomDescriptor(std::mt19937& rng) {
  std::normal_distribution<float> n(0, 0.09f);
  face::Descriptor d;
  for (float& x : d) x = n(rng);
  return d;
}

void BM_StartupFromStore(benchmark::State& state) {
  TempStore store;
  if (!store.status().ok()) return state.SkipWithError(store.status().ToString().c_str());
  const Actor actor{"bench", "admin", "benchmark"};
  for (int64_t i = 0; i < state.range(0); ++i) {
    Enrollment e;
    if (state.range(1) == 1) {
      // Faces: one random descriptor each (the template record only; decoding is what is timed).
      std::mt19937 rng(static_cast<unsigned>(i));
      FaceTemplate t;
      t.descriptor = RandomDescriptor(rng);
      e.biometrics.push_back(FaceRecord(t, "frontal", 90));
    } else {
      e.biometrics.push_back(*FingerRecord(kSynthetic.Impression(static_cast<uint64_t>(i), 0), "right_index"));
    }
    if (!store->Enroll(e, actor).ok()) return state.SkipWithError("enroll failed");
  }
  EngineOptions eo;
  eo.calibrations["finger"] = *FitLogistic("finger", {0.05, 0.1}, {0.01, 0.02});
  for (auto _ : state) {
    auto engine = Engine::Build(*store, actor, eo);
    benchmark::DoNotOptimize(engine);
  }
  state.counters["persons"] = static_cast<double>(state.range(0));
  // (the face run's persons_per_s is faces decoded and indexed per second)
  state.counters["persons_per_s"] =
      benchmark::Counter(static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Start-up per finger, split: (1) the store's audited bulk read (SQLite + unsealing), (2) + ISO
// parsing (FingerTemplateOf), (3) + the finger gallery's Add (cylinders and coarse codes, on every
// core). Each stage is timed as its own pass over the same store of N persons with one finger each.
void BM_StartupSplit(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  TempStore store;
  if (!store.status().ok()) return state.SkipWithError(store.status().ToString().c_str());
  const Actor actor{"bench", "admin", "benchmark"};
  const int64_t n = state.range(0);
  for (int64_t i = 0; i < n; ++i) {
    Enrollment e;
    e.biometrics.push_back(*FingerRecord(kSynthetic.Impression(static_cast<uint64_t>(i), 0), "right_index"));
    if (!store->Enroll(e, actor).ok()) return state.SkipWithError("enroll failed");
  }
  double read_s = 0, parse_s = 0, build_s = 0;
  for (auto _ : state) {
    auto t = Clock::now();
    size_t bytes = 0;
    (void)store->ForEachBiometric("finger", actor, [&](const ProfileId&, const BiometricRecord& r) {
      bytes += r.payload.size();
      return true;
    });
    read_s += std::chrono::duration<double>(Clock::now() - t).count();
    t = Clock::now();
    std::vector<SampleKey> keys;
    std::vector<finger::FingerTemplate> ts;
    (void)store->ForEachBiometric("finger", actor, [&](const ProfileId& id, const BiometricRecord& r) {
      auto tmpl = FingerTemplateOf(r);
      if (tmpl.ok()) {
        keys.push_back({id, r.id, r.position});
        ts.push_back(std::move(*tmpl));
      }
      return true;
    });
    parse_s += std::chrono::duration<double>(Clock::now() - t).count();
    t = Clock::now();
    // prebuilt_limit 0: what a large gallery builds (coarse codes only, no kept search forms).
    FingerGallery g(FingerGalleryOptions{0, 200, 0});
    for (size_t b = 0; b < ts.size(); b += 1024) {  // Engine::Build's batches
      const size_t e = std::min(ts.size(), b + 1024);
      (void)g.Add(std::span(keys).subspan(b, e - b), std::vector<finger::FingerTemplate>(ts.begin() + b, ts.begin() + e));
    }
    build_s += std::chrono::duration<double>(Clock::now() - t).count();
    benchmark::DoNotOptimize(bytes);
  }
  // Since the fifth session each record carries its stored coarse form: (4) parsing it
  // (StoredCoarseOf) and (5) the gallery's Add taking the parsed codes, which is what start-up now
  // does instead of (3).
  double coarse_s = 0, add_stored_s = 0;
  // The stored form's size (version 2: the 16 kept cylinders) against version 1's, which held every
  // cylinder (12 + 97 bytes per cylinder of MakeCoarseTemplate).
  double form_bytes = 0, v1_form_bytes = 0;
  (void)store->ForEachBiometric("finger", actor, [&](const ProfileId&, const BiometricRecord& r) {
    for (const DerivedForm& d : r.derived) form_bytes += static_cast<double>(d.payload.size());
    if (auto tmpl = FingerTemplateOf(r); tmpl.ok()) {
      v1_form_bytes += 12.0 + 97.0 * static_cast<double>(finger::MakeCoarseTemplate(*tmpl).size());
    }
    return true;
  });
  state.counters["form_bytes_per_finger"] = form_bytes / static_cast<double>(n);
  state.counters["v1_form_bytes_per_finger"] = v1_form_bytes / static_cast<double>(n);
  for (int it = 0; it < 2; ++it) {
    std::vector<SampleKey> keys;
    std::vector<finger::FingerTemplate> ts;
    std::vector<std::optional<finger::CoarseTemplate>> cs;
    (void)store->ForEachBiometric("finger", actor, [&](const ProfileId& id, const BiometricRecord& r) {
      auto tmpl = FingerTemplateOf(r);
      if (!tmpl.ok()) return true;
      const auto t = Clock::now();
      cs.push_back(StoredCoarseOf(r, *tmpl));
      coarse_s += std::chrono::duration<double>(Clock::now() - t).count();
      keys.push_back({id, r.id, r.position});
      ts.push_back(std::move(*tmpl));
      return true;
    });
    if (std::count(cs.begin(), cs.end(), std::nullopt) > 0) return state.SkipWithError("a stored coarse form is unusable");
    const auto t = Clock::now();
    FingerGallery g(FingerGalleryOptions{0, 200, 0});
    for (size_t b = 0; b < ts.size(); b += 1024) {
      const size_t e = std::min(ts.size(), b + 1024);
      (void)g.Add(std::span(keys).subspan(b, e - b), std::vector<finger::FingerTemplate>(ts.begin() + b, ts.begin() + e),
                  std::vector<std::optional<finger::CoarseTemplate>>(cs.begin() + b, cs.begin() + e));
    }
    add_stored_s += std::chrono::duration<double>(Clock::now() - t).count();
  }
  const double per = 1e6 / (static_cast<double>(n) * static_cast<double>(state.iterations()));
  state.counters["read_us_per_finger"] = read_s * per;
  state.counters["parse_us_per_finger"] = (parse_s - read_s) * per;
  state.counters["build_us_per_finger"] = build_s * per;
  state.counters["coarse_parse_us_per_finger"] = coarse_s * 1e6 / (2.0 * static_cast<double>(n));
  state.counters["add_stored_us_per_finger"] = add_stored_s * 1e6 / (2.0 * static_cast<double>(n));
}
BENCHMARK(BM_StartupSplit)->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

// Start-up from an existing store (IDREG_STARTUP_STORE=PATH, its master key at PATH.key, as
// bench/load_populate writes them; skipped without it), one timed pass each, per finger record:
//  raw_read: the SQL scan ForEachBiometric runs (same query, blobs touched), without unsealing;
//  read: ForEachBiometric (+ unwrapping keys and unsealing payloads and coarse forms);
//  iso_parse / coarse_parse: FingerTemplateOf / StoredCoarseOf timed around each call in a third pass;
//  build: Engine::Build itself (fingers only in that store), whose log line is printed.
void BM_StartupExistingStore(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const char* path = std::getenv("IDREG_STARTUP_STORE");
  if (!path) return state.SkipWithError("set IDREG_STARTUP_STORE to a store made by bench/load_populate");
  auto key = MasterKey::Load(std::string(path) + ".key");
  if (!key.ok()) return state.SkipWithError(key.status().ToString().c_str());
  StoreOptions o;
  o.master_key = *key;
  auto store = Store::Open(std::string("sqlite:") + path, o);
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  const Actor actor{"bench", "admin", "benchmark"};
  auto secs = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  for (auto _ : state) {
    size_t rows = 0, bytes = 0;
    auto t = Clock::now();
    {
      sqlite3* db = nullptr;
      sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr);
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(db,
                         "SELECT b.person_id, b.id, b.encounter_id, b.position, b.format, b.quality, b.sealed,"
                         " b.created_at, k.wrapped, d.kind, d.version, d.sealed FROM biometric b"
                         " JOIN person_key k ON k.person_id = b.person_id"
                         " LEFT JOIN biometric_derived d ON d.biometric_id = b.id"
                         " WHERE b.modality = 'finger' ORDER BY b.person_id, b.id",
                         -1, &st, nullptr);
      while (sqlite3_step(st) == SQLITE_ROW) {
        ++rows;
        for (int c : {6, 8, 11}) bytes += static_cast<size_t>(sqlite3_column_bytes(st, c));
        bytes += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))).size();
      }
      sqlite3_finalize(st);
      sqlite3_close(db);
    }
    const double raw_s = secs(t);
    t = Clock::now();
    size_t n = 0;
    (void)(*store)->ForEachBiometric("finger", actor, [&](const ProfileId&, const BiometricRecord& r) {
      n += !r.payload.empty();
      return true;
    });
    const double read_s = secs(t);
    double iso_s = 0, coarse_s = 0;
    size_t usable = 0;
    (void)(*store)->ForEachBiometric("finger", actor, [&](const ProfileId&, const BiometricRecord& r) {
      auto t0 = Clock::now();
      auto tmpl = FingerTemplateOf(r);
      iso_s += secs(t0);
      if (!tmpl.ok()) return true;
      t0 = Clock::now();
      usable += StoredCoarseOf(r, *tmpl).has_value();
      coarse_s += secs(t0);
      return true;
    });
    std::ostringstream log;
    EngineOptions eo;
    eo.calibrations["finger"] = *FitLogistic("finger", {0.05, 0.1}, {0.01, 0.02});
    eo.log = &log;
    t = Clock::now();
    auto engine = Engine::Build(**store, actor, eo);
    const double build_s = secs(t);
    if (!engine.ok()) return state.SkipWithError(engine.status().ToString().c_str());
    std::fprintf(stderr, "%s", log.str().c_str());
    const double per = 1e6 / static_cast<double>(std::max<size_t>(1, n));
    state.counters["fingers"] = static_cast<double>(n);
    state.counters["stored_forms_usable"] = static_cast<double>(usable);
    state.counters["raw_read_us"] = raw_s * per;
    state.counters["read_us"] = read_s * per;
    state.counters["iso_parse_us"] = iso_s * per;
    state.counters["coarse_parse_us"] = coarse_s * per;
    state.counters["build_s"] = build_s;
    state.counters["build_fingers_per_s"] = static_cast<double>(n) / build_s;
    state.counters["memory_MB"] = static_cast<double>((*engine)->finger_gallery().MemoryBytes()) / 1e6;
    benchmark::DoNotOptimize(rows + bytes);
  }
}
BENCHMARK(BM_StartupExistingStore)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

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
    for (float& x : t.embedding) {
      x = nd(rng);
      norm += double(x) * x;
    }
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
// 2 bands x 128 components x 38 features: the shipped two-band GMM-UBM supervector (voice/parameters.h,
// doc/voice.md); 4,864 is one band's, as before the fourth voice session.
BENCHMARK(BM_VoiceSearch)->Args({10000, 9728})->Args({10000, 4864})->Unit(benchmark::kMillisecond)->UseRealTime();

// Args: persons, 0 = one finger each, 1 = one face each.
// The issue-6 target: one enrollment with face + 2 fingers + DNA decided against a synthetic gallery
// of IDREG_ENGINE_BENCH_PERSONS persons (default 1,000,000), the way Engine::Identify decides it:
// each modality's top-k, every candidate scored in every modality, fusion, decision.
// Person i: fingers 2i (right_index) and 2i+1 (left_index) = impression 0 of finger::SyntheticFingers(1)
// (the finger bench's generator and seed, so the same cached IDFG files serve both), a random face
// descriptor, a random genotype from the NIST 1036 Caucasian frequencies. The 2N finger templates
// are built once (cylinders + coarse codes on every core) and cached as
// $IDREG_FINGER_BENCH_CACHE/idreg-finger-synthetic-<2N>.idfg (default /tmp); a larger build extends
// the largest smaller cached file. Arg: 1 = a mated probe (person N/2's second impressions, a
// noisy face, the same genotype), 0 = a new person.
struct SyntheticWorld {
  size_t persons = 0;
  std::vector<ProfileId> ids;
  std::unique_ptr<FingerGallery> finger;
  std::unique_ptr<FaceGallery> face;
  std::unique_ptr<DnaSampleGallery> dna;
  face::Descriptor mated_face{};
  dna::StrProfile mated_dna;
  std::map<std::string, Calibration> calibrations;
  double finger_build_s = 0, finger_built = 0, finger_load_s = 0, finger_index_s = 0;
  std::string error;
};

size_t EnginePersons() {
  const char* env = std::getenv("IDREG_ENGINE_BENCH_PERSONS");
  return env ? std::strtoull(env, nullptr, 10) : 1000000;
}

// IDREG_ENGINE_BENCH_FINGER_POOL=shared: both finger positions draw from the same N synthetic
// fingers (World()); by default the 2N fingers are all distinct.
bool SharedFingerPool() {
  const char* env = std::getenv("IDREG_ENGINE_BENCH_FINGER_POOL");
  return env && std::string(env) == "shared";
}

std::string FingerCachePath(size_t n) {
  const char* dir = std::getenv("IDREG_FINGER_BENCH_CACHE");
  return std::string(dir ? dir : "/tmp") + "/idreg-finger-synthetic-" + std::to_string(n) + ".idfg";
}

std::optional<finger::FingerGallery> LoadFingerCache(size_t n) {
  std::ifstream in(FingerCachePath(n), std::ios::binary);
  if (!in) return std::nullopt;
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = finger::ParseGallery(bytes);
  if (!parsed.ok() || parsed->size() != n) return std::nullopt;
  return std::move(*parsed);
}

// The first n synthetic templates (impression 0 of fingers 0..n-1, seed 1).
finger::FingerGallery SyntheticFingerTemplates(size_t n, SyntheticWorld& w) {
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  if (auto cached = LoadFingerCache(n)) {
    w.finger_load_s = std::chrono::duration<double>(Clock::now() - t0).count();
    return std::move(*cached);
  }
  // The largest cached prefix.
  finger::FingerGallery g;
  size_t have = 0;
  const char* dir = std::getenv("IDREG_FINGER_BENCH_CACHE");
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir ? dir : "/tmp", ec)) {
    const std::string name = e.path().filename().string();
    const std::string prefix = "idreg-finger-synthetic-";
    if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 6 || name.substr(name.size() - 5) != ".idfg") continue;
    const size_t k = std::strtoull(name.c_str() + prefix.size(), nullptr, 10);
    if (k > have && k < n) {
      if (auto cached = LoadFingerCache(k)) {
        g = std::move(*cached);
        have = k;
      }
    }
  }
  w.finger_load_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  const finger::SyntheticFingers gen(1);
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<finger::FingerGallery> parts(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const size_t m = n - have;
      for (size_t i = have + m * t / threads; i < have + m * (t + 1) / threads; ++i) parts[t].Add(gen.Impression(i, 0));
    });
  }
  for (auto& th : pool) th.join();
  for (auto& part : parts) g.Append(part);
  w.finger_build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  w.finger_built = static_cast<double>(n - have);
  const Bytes bytes = finger::SerializeGallery(g);
  std::ofstream(FingerCachePath(n), std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return g;
}

SyntheticWorld& World() {
  static SyntheticWorld w = [] {
    SyntheticWorld w;
    w.persons = EnginePersons();
    auto freqs = Frequencies();
    if (!freqs) {
      w.error = "missing ../shared/data/dna/nist1036_allele_freqs_2017.csv";
      return w;
    }
    auto cals = LoadCalibrationDir(DefaultCalibrationDir());
    if (!cals.ok() || !cals->count("finger") || !cals->count("face")) {
      w.error = "missing data/calibration/finger.json or face.json";
      return w;
    }
    w.calibrations = *cals;
    w.calibrations["dna"] = Log10LrCalibration("dna");
    const size_t n = w.persons;
    for (size_t i = 0; i < n; ++i) w.ids.push_back(ProfileId::Random());
    if (SharedFingerPool()) {
      // Each position's n fingers are the n synthetic fingers 0..n-1: right index of person i is
      // finger i, left index finger (i + n/2) mod n. A probe finger is compared only with its
      // position's fingers (n distinct ones), so the scans and shortlists are those of 2n distinct
      // fingers, from a cache half the size (2,000,000 fingers take hours to build on a loaded machine).
      const finger::FingerGallery templates = SyntheticFingerTemplates(n, w);
      const auto t0 = std::chrono::steady_clock::now();
      std::vector<SampleKey> right, left;
      right.reserve(n);
      left.reserve(n);
      for (size_t j = 0; j < n; ++j) {
        right.push_back({w.ids[j], Id::Random(), "right_index"});
        left.push_back({w.ids[(j + n - n / 2) % n], Id::Random(), "left_index"});
      }
      w.finger = std::make_unique<FingerGallery>();
      for (const auto* keys : {&right, &left}) {
        if (Status s = w.finger->AddGallery(*keys, templates); !s.ok()) w.error = s.ToString();
      }
      w.finger_index_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } else {
      const finger::FingerGallery templates = SyntheticFingerTemplates(2 * n, w);
      const auto t0 = std::chrono::steady_clock::now();
      std::vector<SampleKey> keys;
      keys.reserve(2 * n);
      for (size_t i = 0; i < n; ++i) {
        keys.push_back({w.ids[i], Id::Random(), "right_index"});
        keys.push_back({w.ids[i], Id::Random(), "left_index"});
      }
      w.finger = std::make_unique<FingerGallery>();
      if (Status s = w.finger->AddGallery(keys, templates); !s.ok()) w.error = s.ToString();
      w.finger_index_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    std::mt19937 rng(11);
    {
      std::vector<SampleKey> keys;
      std::vector<face::Descriptor> ds;
      for (size_t i = 0; i < n; ++i) {
        keys.push_back({w.ids[i], Id::Random(), "frontal"});
        ds.push_back(RandomDescriptor(rng));
      }
      std::normal_distribution<float> noise(0, 0.01f);
      w.mated_face = ds[n / 2];
      for (float& x : w.mated_face) x += noise(rng);
      w.face = std::make_unique<FaceGallery>();
      if (Status s = w.face->Add(keys, std::move(ds)); !s.ok()) w.error = s.ToString();
    }
    {
      std::mt19937_64 drng(7);
      std::vector<SampleKey> keys;
      std::vector<dna::StrProfile> ps;
      for (size_t i = 0; i < n; ++i) {
        keys.push_back({w.ids[i], Id::Random(), "profile"});
        ps.push_back(RandomGenotype(*freqs, drng));
      }
      w.mated_dna = ps[n / 2];
      w.dna = std::make_unique<DnaSampleGallery>(DnaGalleryOptions{{}, freqs});
      if (Status s = w.dna->Add(keys, std::move(ps)); !s.ok()) w.error = s.ToString();
    }
    return w;
  }();
  return w;
}

void BM_EnrollmentDecision(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  SyntheticWorld& w = World();
  if (!w.error.empty()) return state.SkipWithError(w.error.c_str());
  const bool mated = state.range(0) == 1;
  const size_t n = w.persons;
  const finger::SyntheticFingers gen(1);
  std::vector<FingerProbeSample> fingers;
  std::vector<FaceProbeSample> faces;
  std::vector<dna::StrProfile> dnas;
  std::mt19937 rng(99);
  std::mt19937_64 drng(99);
  if (mated && SharedFingerPool()) {
    fingers = {{gen.Impression(n / 2, 1), "right_index"}, {gen.Impression((n / 2 + n / 2) % n, 1), "left_index"}};
    faces = {{w.mated_face, "face#1"}};
    dnas = {w.mated_dna};
  } else if (mated) {
    fingers = {{gen.Impression(2 * (n / 2), 1), "right_index"}, {gen.Impression(2 * (n / 2) + 1, 1), "left_index"}};
    faces = {{w.mated_face, "face#1"}};
    dnas = {w.mated_dna};
  } else {
    fingers = {{gen.Impression(2 * n + 10, 0), "right_index"}, {gen.Impression(2 * n + 11, 0), "left_index"}};
    faces = {{RandomDescriptor(rng), "face#1"}};
    dnas = {RandomGenotype(*Frequencies(), drng)};
  }
  const DecisionPolicy policy;
  const size_t k = policy.top_k;
  double finger_s = 0, face_s = 0, dna_s = 0, fuse_s = 0, finger_cpu = 0, face_cpu = 0, dna_cpu = 0;
  size_t right = 0;
  // Wall time and the process's CPU time (all threads): under load the CPU seconds are the
  // figure that does not depend on what else runs.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  };
  double* cpu_acc = nullptr;
  auto timed = [&](double& acc, auto&& fn) {
    const auto t = Clock::now();
    const double c = cpu_now();
    fn();
    acc += std::chrono::duration<double>(Clock::now() - t).count();
    if (cpu_acc) *cpu_acc += cpu_now() - c;
    cpu_acc = nullptr;
  };
  for (auto _ : state) {
    CandidateLists fl, vl, dl;
    cpu_acc = &finger_cpu;
    timed(finger_s, [&] { fl = w.finger->Search(fingers, k, {}); });
    cpu_acc = &face_cpu;
    timed(face_s, [&] { vl = w.face->Search(faces, k, {}); });
    cpu_acc = &dna_cpu;
    timed(dna_s, [&] { dl = w.dna->Search(dnas, k, {}); });
    std::vector<ProfileId> all;
    {
      std::unordered_set<ProfileId, IdHash> seen;
      for (const CandidateLists* l : {&fl, &vl, &dl}) {
        for (const auto& per : *l) {
          for (const Candidate& c : per) {
            if (seen.insert(c.profile).second) all.push_back(c.profile);
          }
        }
      }
    }
    auto append = [](CandidateLists& to, CandidateLists from) {
      for (size_t p = 0; p < to.size(); ++p) to[p].insert(to[p].end(), from[p].begin(), from[p].end());
    };
    cpu_acc = &finger_cpu;
    timed(finger_s, [&] { append(fl, w.finger->Score(fingers, all)); });
    cpu_acc = &face_cpu;
    timed(face_s, [&] { append(vl, w.face->Score(faces, all)); });
    cpu_acc = &dna_cpu;
    timed(dna_s, [&] { append(dl, w.dna->Score(dnas, all)); });
    Decision d;
    timed(fuse_s, [&] {
      std::vector<ModalityScores> scores{{"finger", {"right_index", "left_index"}, std::move(fl)},
                                         {"face", {"face#1"}, std::move(vl)},
                                         {"dna", {"profile"}, std::move(dl)}};
      auto fused = Fuse(scores, w.calibrations, policy.fusion);
      if (fused.ok()) d = Decide(policy, n, std::move(*fused));
    });
    right += mated ? (d.outcome == Outcome::kMatch && d.candidates.size() == 1 && d.candidates[0].profile == w.ids[n / 2])
                   : d.outcome == Outcome::kNew;
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["persons"] = static_cast<double>(n);
  state.counters["finger_ms"] = 1e3 * finger_s / it;
  state.counters["face_ms"] = 1e3 * face_s / it;
  state.counters["dna_ms"] = 1e3 * dna_s / it;
  state.counters["fuse_decide_ms"] = 1e3 * fuse_s / it;
  state.counters["finger_cpu_ms"] = 1e3 * finger_cpu / it;
  state.counters["face_cpu_ms"] = 1e3 * face_cpu / it;
  state.counters["dna_cpu_ms"] = 1e3 * dna_cpu / it;
  state.counters["right_decisions"] = static_cast<double>(right) / it;
  const double fb = static_cast<double>(w.finger->MemoryBytes()), vb = static_cast<double>(w.face->MemoryBytes()),
               db = static_cast<double>(w.dna->MemoryBytes());
  state.counters["finger_B_per_person"] = fb / static_cast<double>(n);
  state.counters["face_B_per_person"] = vb / static_cast<double>(n);
  state.counters["dna_B_per_person"] = db / static_cast<double>(n);
  state.counters["B_per_person"] = (fb + vb + db) / static_cast<double>(n);
  // Start-up of the finger gallery from templates in gallery form: parse the cached file + index
  // the keys; and, when this run built templates, the cost of building them (cylinders + codes).
  state.counters["finger_cache_load_s"] = w.finger_load_s;
  state.counters["finger_index_s"] = w.finger_index_s;
  if (w.finger_built > 0) state.counters["finger_build_per_s"] = w.finger_built / w.finger_build_s;
}
BENCHMARK(BM_EnrollmentDecision)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

// The finger stage of BM_EnrollmentDecision split into its sub-stages, per decision (both probe
// fingers): probe preparation (cylinders + coarse codes, one thread), the coarse prefilter and the
// full coarse score (each wall and CPU over the threads), the merges of the threads' bests, the
// fine stage (full MCC of the 200 shortlisted, cylinders rebuilt). CPU / wall of a stage is its
// parallel efficiency on the 2 cores (2.0 = both busy throughout). Same world and probes.
void BM_FingerStageSplit(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  SyntheticWorld& w = World();
  if (!w.error.empty()) return state.SkipWithError(w.error.c_str());
  const bool mated = state.range(0) == 1;
  const size_t n = w.persons;
  const finger::SyntheticFingers gen(1);
  std::vector<FingerProbeSample> fingers;
  if (mated && SharedFingerPool()) {
    fingers = {{gen.Impression(n / 2, 1), "right_index"}, {gen.Impression((n / 2 + n / 2) % n, 1), "left_index"}};
  } else if (mated) {
    fingers = {{gen.Impression(2 * (n / 2), 1), "right_index"}, {gen.Impression(2 * (n / 2) + 1, 1), "left_index"}};
  } else {
    fingers = {{gen.Impression(2 * n + 10, 0), "right_index"}, {gen.Impression(2 * n + 11, 0), "left_index"}};
  }
  auto process_cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  };
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const finger::FingerGallery& g = w.finger->templates();
  const size_t shortlist = w.finger->options().shortlist;
  double prepare_wall = 0, prepare_cpu = 0, fine_wall = 0, fine_cpu = 0, total_wall = 0, total_cpu = 0;
  finger::FingerGallery::CoarseStats sum;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    const double c0 = process_cpu();
    for (const FingerProbeSample& f : fingers) {
      auto t = Clock::now();
      double c = process_cpu();
      const finger::FingerProbe probe(f.tmpl);
      const finger::CoarseTemplate coarse = finger::MakeCoarseTemplate(probe.search());
      prepare_wall += since(t);
      prepare_cpu += process_cpu() - c;
      finger::FingerGallery::Filter filter;
      filter.OnlyTags({0, static_cast<uint8_t>(std::max(0, w.finger->PositionCodeOf(f.position)))});
      finger::FingerGallery::CoarseStats st;
      const std::vector<uint32_t> list = g.CoarseShortlist(coarse, shortlist, 0, filter, false, &st);
      sum.prefilter_wall_s += st.prefilter_wall_s;
      sum.prefilter_cpu_s += st.prefilter_cpu_s;
      sum.score_wall_s += st.score_wall_s;
      sum.score_cpu_s += st.score_cpu_s;
      sum.merge_s += st.merge_s;
      sum.busiest_cpu_s += st.busiest_cpu_s;
      sum.admitted = st.admitted;
      sum.kept = st.kept;
      t = Clock::now();
      c = process_cpu();
      benchmark::DoNotOptimize(g.MatchIndices(probe, list, 0));
      fine_wall += since(t);
      fine_cpu += process_cpu() - c;
    }
    total_wall += since(t0);
    total_cpu += process_cpu() - c0;
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["prepare_ms"] = 1e3 * prepare_wall / it;
  state.counters["prepare_cpu_ms"] = 1e3 * prepare_cpu / it;
  state.counters["prefilter_ms"] = 1e3 * sum.prefilter_wall_s / it;
  state.counters["prefilter_cpu_ms"] = 1e3 * sum.prefilter_cpu_s / it;
  state.counters["score_ms"] = 1e3 * sum.score_wall_s / it;
  state.counters["score_cpu_ms"] = 1e3 * sum.score_cpu_s / it;
  state.counters["merge_ms"] = 1e3 * sum.merge_s / it;
  // The coarse passes' CPU over their busiest thread's: 2.0 = evenly shared by 2 threads (the
  // speed-up on 2 idle cores), 1.0 = one thread did all (independent of the machine's load).
  state.counters["coarse_cpu_per_busiest"] =
      (sum.prefilter_cpu_s + sum.score_cpu_s) / std::max(1e-9, sum.busiest_cpu_s);
  state.counters["fine_ms"] = 1e3 * fine_wall / it;
  state.counters["fine_cpu_ms"] = 1e3 * fine_cpu / it;
  state.counters["stage_ms"] = 1e3 * total_wall / it;
  state.counters["stage_cpu_ms"] = 1e3 * total_cpu / it;
  state.counters["cpu_per_wall"] = total_cpu / std::max(1e-9, total_wall);
  state.counters["admitted"] = static_cast<double>(sum.admitted);
  state.counters["kept"] = static_cast<double>(sum.kept);
}
BENCHMARK(BM_FingerStageSplit)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

BENCHMARK(BM_StartupFromStore)->Args({2000, 0})->Args({5000, 1})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace idreg::match

BENCHMARK_MAIN();
