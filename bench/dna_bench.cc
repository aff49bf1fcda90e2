// DNA 1:N search at CODIS stringencies on a synthetic database of 1,000,000 profiles drawn from
// the real NIST 1036 allele frequencies (29 loci, the four populations mixed), one thread:
// the bit-parallel gallery scan against the plain reference (sorted allele lists compared with
// std::includes) in the same run. Needs ../shared/data/dna/nist1036_allele_freqs_2017.csv.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/familial_eval.h"
#include "idreg/dna/profile_search.h"

namespace {

using namespace idreg::dna;

constexpr size_t kDatabaseSize = 1'000'000;
constexpr int kProbes = 64;

StrProfile Draw(const PopulationFrequencies& pop, std::mt19937_64& rng) {
  StrProfile p;
  for (LocusId l = 0; l < kLocusCount; ++l) {
    const LocusFrequencies& f = pop.loci[l];
    if (!f.present) continue;
    std::vector<Allele> alleles;
    std::vector<double> weights;
    for (const auto& [a, w] : f.frequency) {
      alleles.push_back(a);
      weights.push_back(w);
    }
    std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
    (void)p.AddLocus(l, {alleles[pick(rng)], alleles[pick(rng)]});
  }
  return p;
}

struct Fixture {
  DnaGallery gallery;
  std::vector<StrProfile> probes;  // half unrelated, half degraded copies of database members
};

const Fixture& Data() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    std::string path = std::string(IDREG_SHARED_DIR) + "/data/dna/nist1036_allele_freqs_2017.csv";
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto tables = FrequencyTables::Parse(text);
    if (!tables.ok()) {
      std::fprintf(stderr, "dna_bench: %s: %s\n", path.c_str(), tables.status().ToString().c_str());
      std::exit(2);
    }
    const auto& pops = tables->populations();
    std::mt19937_64 rng(42);
    for (size_t i = 0; i < kDatabaseSize; ++i) f->gallery.Add(Draw(pops[i % pops.size()], rng));
    for (int q = 0; q < kProbes; ++q) {
      f->probes.push_back(q % 2 ? Degrade(f->gallery.profile(rng() % kDatabaseSize), 0.05, 0.1, rng)
                                : Draw(pops[static_cast<size_t>(q) % pops.size()], rng));
    }
    return f;
  }();
  return *fixture;
}

void BM_BitParallel(benchmark::State& state) {
  const Fixture& f = Data();
  auto s = static_cast<Stringency>(state.range(0));
  size_t q = 0, hits = 0;
  for (auto _ : state) {
    hits += f.gallery.Matches(f.probes[q++ % kProbes], s, kDefaultMinLoci).size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.gallery.size()));
  state.counters["hits_per_search"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.SetLabel(std::string(StringencyName(s)));
}

void BM_PlainReference(benchmark::State& state) {
  const Fixture& f = Data();
  auto s = static_cast<Stringency>(state.range(0));
  size_t q = 0, hits = 0;
  for (auto _ : state) {
    const StrProfile& probe = f.probes[q++ % kProbes];
    for (const StrProfile& c : f.gallery.profiles()) {
      Comparison cmp = CompareProfiles(probe, c, s);
      hits += cmp.agree && cmp.loci_compared >= kDefaultMinLoci;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.gallery.size()));
  state.counters["hits_per_search"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.SetLabel(std::string(StringencyName(s)));
}

// range(0): 0 high, 1 moderate, 2 low.
BENCHMARK(BM_BitParallel)->Arg(1)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_PlainReference)->Arg(1)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
