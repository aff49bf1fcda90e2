// Fuzzes the allele frequency table parser (both CSV layouts). Invariants beyond "no crash": an
// error has a message; a parsed table has per-locus sums near 1 and every frequency used,
// after the 5/2N minimum, in (0, 1].
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/match_statistics.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace idreg::dna;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tables = FrequencyTables::Parse(text);
  if (!tables.ok()) {
    Require(!tables.status().message().empty());
    return 0;
  }
  for (const PopulationFrequencies& pop : tables->populations()) {
    Require(tables->Find(pop.name).ok());
    StrProfile probe;
    for (LocusId l = 0; l < kLocusCount; ++l) {
      if (!pop.Has(l)) continue;
      double sum = 0;
      for (const auto& [a, f] : pop.loci[l].frequency) {
        sum += f;
        double used = pop.loci[l].Of(a);
        Require(used > 0 && used <= 1);
      }
      Require(std::fabs(sum - 1) <= 0.0100001);
      if (!pop.loci[l].frequency.empty()) (void)probe.AddLocus(l, {pop.loci[l].frequency.begin()->first});
    }
    if (!probe.loci.empty()) {
      auto m = ComputeMatchStatistics(probe, pop, 0.01);
      Require(m.ok());
      Require(m->combined_rmp > 0 && m->combined_rmp <= 1.0000001);
    }
  }
  return 0;
}
