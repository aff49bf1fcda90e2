// Fuzzes the DNA profile parsers (NIST 1036 CSV and the JSON form). Invariants beyond "no crash":
// an error has a message; a parsed profile has sorted, distinct loci with sorted, distinct,
// non-empty alleles, and its JSON form parses back to the same loci.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "idreg/dna/profile_io.h"
#include "idreg/dna/profile_search.h"
#include "require.h"

namespace {

using namespace idreg::dna;

void CheckProfile(const StrProfile& p) {
  Require(!p.loci.empty());
  for (size_t i = 0; i < p.loci.size(); ++i) {
    Require(p.loci[i].locus < kLocusCount);
    if (i > 0) Require(p.loci[i - 1].locus < p.loci[i].locus);
    const auto& a = p.loci[i].alleles;
    Require(!a.empty());
    for (size_t k = 1; k < a.size(); ++k) Require(a[k - 1] < a[k]);
  }
  auto back = ParseProfileJson(ProfileToJson(p, false));
  Require(back.ok());
  Require(back->loci.size() == p.loci.size());
  for (size_t i = 0; i < p.loci.size(); ++i) Require(back->loci[i].alleles == p.loci[i].alleles);
  Require(CompareProfiles(p, *back, Stringency::kHigh).agree);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = ParseProfileJson(text);
  if (json.ok()) CheckProfile(*json); else Require(!json.status().message().empty());
  auto csv = ParseNist1036Csv(text);
  if (csv.ok()) {
    for (const StrProfile& p : *csv) CheckProfile(p);
  } else {
    Require(!csv.status().message().empty());
  }
  return 0;
}
