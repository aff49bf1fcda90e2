// Stringency comparisons (plain reference), match weights, and the bit-parallel gallery scan.
#include "idreg/dna/profile_search.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "idreg/dna/match_statistics.h"

namespace idreg::dna {
namespace {

constexpr int kOverflowBit = 63;  // shared by alleles beyond the first 63 of a locus

template <Stringency S>
inline bool MasksAgree(uint64_t a, uint64_t b) {
  if constexpr (S == Stringency::kHigh) return a == b;
  if constexpr (S == Stringency::kModerate) return (a & ~b) == 0 || (b & ~a) == 0;
  return (a & b) != 0;
}

struct ProbeColumn {
  uint64_t mask;
  const uint64_t* column;
};

// The scan: a candidate leaves at its first disagreeing locus; columns are in probe order.
template <Stringency S>
void Scan(const std::vector<ProbeColumn>& probe, size_t n, const std::vector<uint32_t>& typed, uint32_t probe_typed,
          int min_loci, std::vector<size_t>& out) {
  for (size_t i = 0; i < n; ++i) {
    bool agree = true;
    for (const ProbeColumn& pc : probe) {
      uint64_t c = pc.column[i];
      if (c != 0 && !MasksAgree<S>(pc.mask, c)) {
        agree = false;
        break;
      }
    }
    if (agree && std::popcount(typed[i] & probe_typed) >= min_loci) out.push_back(i);
  }
}

double SumOf(const std::vector<Allele>& alleles, const LocusFrequencies& f) {
  double s = 0;
  for (Allele a : alleles) s += f.Of(a);
  return std::min(1.0, s);
}

}  // namespace

Result<Stringency> ParseStringency(std::string_view name) {
  if (name == "high") return Stringency::kHigh;
  if (name == "moderate") return Stringency::kModerate;
  if (name == "low") return Stringency::kLow;
  return Status::InvalidArgument("unknown stringency '" + std::string(name.substr(0, 20)) +
                                 "': expected high, moderate or low");
}

std::string_view StringencyName(Stringency s) {
  switch (s) {
    case Stringency::kHigh: return "high";
    case Stringency::kModerate: return "moderate";
    case Stringency::kLow: return "low";
  }
  return "?";
}

bool GenotypesAgree(const LocusGenotype& a, const LocusGenotype& b, Stringency s) {
  const auto &x = a.alleles, &y = b.alleles;
  switch (s) {
    case Stringency::kHigh:
      return x == y;
    case Stringency::kModerate:
      return std::includes(y.begin(), y.end(), x.begin(), x.end()) ||
             std::includes(x.begin(), x.end(), y.begin(), y.end());
    case Stringency::kLow:
      for (Allele v : x) {
        if (std::binary_search(y.begin(), y.end(), v)) return true;
      }
      return false;
  }
  return false;
}

Comparison CompareProfiles(const StrProfile& probe, const StrProfile& candidate, Stringency s) {
  Comparison c;
  auto i = probe.loci.begin();
  auto j = candidate.loci.begin();
  while (i != probe.loci.end() && j != candidate.loci.end()) {
    if (i->locus < j->locus) {
      ++i;
    } else if (j->locus < i->locus) {
      ++j;
    } else {
      if (!GenotypesAgree(*i, *j, s)) return Comparison{false, c.loci_compared};
      ++c.loci_compared;
      ++i;
      ++j;
    }
  }
  c.agree = true;
  return c;
}

double MatchWeightLog10(const StrProfile& probe, const StrProfile& candidate, const PopulationFrequencies& freqs,
                        double theta) {
  double log10 = 0;
  for (const LocusGenotype& a : probe.loci) {
    const LocusGenotype* b = candidate.Find(a.locus);
    if (b == nullptr || !freqs.Has(a.locus)) continue;
    const LocusFrequencies& f = freqs.loci[a.locus];
    double p_agree;
    if (a.alleles == b->alleles && !a.mixed()) {
      p_agree = a.homozygous() ? HomozygoteConditional(f.Of(a.alleles[0]), theta)
                               : HeterozygoteConditional(f.Of(a.alleles[0]), f.Of(a.alleles[1]), theta);
    } else if (GenotypesAgree(a, *b, Stringency::kModerate)) {
      double s = SumOf(a.alleles.size() >= b->alleles.size() ? a.alleles : b->alleles, f);
      p_agree = s * s;
    } else {
      std::vector<Allele> shared;
      std::set_intersection(a.alleles.begin(), a.alleles.end(), b->alleles.begin(), b->alleles.end(),
                            std::back_inserter(shared));
      if (shared.empty()) continue;  // not an agreeing locus: no weight either way
      double miss = 1 - SumOf(shared, f);
      p_agree = 1 - miss * miss;
    }
    if (p_agree > 0) log10 -= std::log10(std::min(1.0, p_agree));
  }
  return log10;
}

uint64_t DnaGallery::MaskOf(LocusId locus, const std::vector<Allele>& alleles) const {
  uint64_t mask = 0;
  const std::vector<Allele>& dict = dictionary_[locus];
  for (Allele a : alleles) {
    auto it = std::find(dict.begin(), dict.end(), a);
    mask |= uint64_t{1} << (it == dict.end() ? kOverflowBit : it - dict.begin());
  }
  return mask;
}

void DnaGallery::Add(StrProfile profile) {
  for (auto& column : columns_) column.push_back(0);
  for (const LocusGenotype& g : profile.loci) {
    std::vector<Allele>& dict = dictionary_[g.locus];
    for (Allele a : g.alleles) {
      if (dict.size() < kOverflowBit && std::find(dict.begin(), dict.end(), a) == dict.end()) dict.push_back(a);
    }
    columns_[g.locus].back() = MaskOf(g.locus, g.alleles);
  }
  typed_.push_back(profile.TypedLoci());
  profiles_.push_back(std::move(profile));
}

std::vector<size_t> DnaGallery::Matches(const StrProfile& probe, Stringency s, int min_loci) const {
  // Loci with more alleles in the gallery reject more candidates: test them first.
  std::vector<std::pair<size_t, ProbeColumn>> order;
  for (const LocusGenotype& g : probe.loci) {
    order.push_back({dictionary_[g.locus].size(), ProbeColumn{MaskOf(g.locus, g.alleles), columns_[g.locus].data()}});
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<ProbeColumn> columns;
  for (const auto& o : order) columns.push_back(o.second);
  std::vector<size_t> candidates;
  uint32_t probe_typed = probe.TypedLoci();
  switch (s) {
    case Stringency::kHigh: Scan<Stringency::kHigh>(columns, size(), typed_, probe_typed, min_loci, candidates); break;
    case Stringency::kModerate:
      Scan<Stringency::kModerate>(columns, size(), typed_, probe_typed, min_loci, candidates);
      break;
    case Stringency::kLow: Scan<Stringency::kLow>(columns, size(), typed_, probe_typed, min_loci, candidates); break;
  }
  // Shared overflow bits can let a candidate through; the plain comparison decides.
  std::vector<size_t> hits;
  for (size_t i : candidates) {
    if (CompareProfiles(probe, profiles_[i], s).agree) hits.push_back(i);
  }
  return hits;
}

std::vector<SearchHit> DnaGallery::Search(const StrProfile& probe, const SearchOptions& options,
                                          const PopulationFrequencies& freqs) const {
  std::vector<SearchHit> hits;
  for (size_t i : Matches(probe, options.stringency, options.min_loci)) {
    SearchHit h;
    h.index = i;
    h.loci_compared = std::popcount(typed_[i] & probe.TypedLoci());
    h.log10_lr = MatchWeightLog10(probe, profiles_[i], freqs, options.theta);
    hits.push_back(h);
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.log10_lr > b.log10_lr;
  });
  if (hits.size() > options.max_hits) hits.resize(options.max_hits);
  return hits;
}

}  // namespace idreg::dna
