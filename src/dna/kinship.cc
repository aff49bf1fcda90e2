// Kinship LRs from IBD coefficients, alleles drawn by the Balding-Nichols sampling formula.
#include "idreg/dna/kinship.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace idreg::dna {
namespace {

using Pair = std::array<Allele, 2>;

Pair AsPair(const LocusGenotype& g) { return {g.alleles.front(), g.alleles.back()}; }

// The chance that the next allele drawn is `x`, given the alleles already seen in the pair
// (NRC II eq. 4.10's sampling formula; theta 0 gives p).
double Draw(Allele x, const Allele* seen, int count, const LocusFrequencies& f, double theta) {
  double m = static_cast<double>(std::count(seen, seen + count, x));
  double n = count;
  return (m * theta + (1 - theta) * f.Of(x)) / (1 + (n - 1) * theta);
}

// The chance that a parent's allele `from` is passed on as `to`: stepwise, one repeat steps
// dominate; alleles with another partial repeat are taken as two steps away.
double Transmit(Allele from, Allele to, double mu) {
  if (from == to) return 1 - mu;
  if (mu == 0) return 0;
  int steps = RepeatSteps(from, to);
  if (steps < 0) steps = 2;
  return mu * 0.5 * std::pow(kMultiStepFactor, steps - 1);
}

}  // namespace

Ibd IbdCoefficients(Relationship r) {
  switch (r) {
    case Relationship::kParentChild: return {0, 1, 0};
    case Relationship::kFullSibling: return {0.25, 0.5, 0.25};
    case Relationship::kHalfSibling: return {0.5, 0.5, 0};
    case Relationship::kFirstCousin: return {0.75, 0.25, 0};
  }
  return {1, 0, 0};
}

Result<Relationship> ParseRelationship(std::string_view name) {
  if (name == "parent-child") return Relationship::kParentChild;
  if (name == "full-sibling") return Relationship::kFullSibling;
  if (name == "half-sibling" || name == "avuncular" || name == "grandparent") return Relationship::kHalfSibling;
  if (name == "first-cousin") return Relationship::kFirstCousin;
  return Status::InvalidArgument("unknown relation '" + std::string(name.substr(0, 20)) +
                                 "': expected parent-child, full-sibling, half-sibling, avuncular, grandparent or "
                                 "first-cousin");
}

std::string_view RelationshipName(Relationship r) {
  switch (r) {
    case Relationship::kParentChild: return "parent-child";
    case Relationship::kFullSibling: return "full-sibling";
    case Relationship::kHalfSibling: return "half-sibling";
    case Relationship::kFirstCousin: return "first-cousin";
  }
  return "?";
}

double LocusKinshipLr(const LocusGenotype& a, const LocusGenotype& b, const LocusFrequencies& f, Relationship r,
                      const KinshipOptions& options) {
  const double theta = options.theta;
  const double mu = r == Relationship::kParentChild ? options.mutation_rate : 0;
  Pair x = AsPair(a), y = AsPair(b);
  const bool het = y[0] != y[1];
  // Unrelated: both of B's alleles drawn after A's.
  const Allele seen[3] = {x[0], x[1], y[0]};
  double p0 = Draw(y[0], seen, 2, f, theta) * Draw(y[1], seen, 3, f, theta) * (het ? 2 : 1);
  // One allele IBD: a copy of either of A's alleles (1/2 each), the other drawn after A's.
  double p1 = 0;
  for (Allele from : x) {
    p1 += 0.5 * Transmit(from, y[0], mu) * Draw(y[1], seen, 2, f, theta);
    if (het) p1 += 0.5 * Transmit(from, y[1], mu) * Draw(y[0], seen, 2, f, theta);
  }
  // Two alleles IBD: B has A's genotype.
  double p2 = (x == y) ? 1 : 0;
  Ibd k = IbdCoefficients(r);
  return k.k0 + k.k1 * p1 / p0 + k.k2 * p2 / p0;
}

Result<KinshipResult> ComputeKinship(const StrProfile& a, const StrProfile& b, const PopulationFrequencies& freqs,
                                     Relationship r, const KinshipOptions& options) {
  if (!(options.theta >= 0 && options.theta <= kMaxTheta)) {
    return Status::InvalidArgument("theta must be between 0 and " + std::to_string(kMaxTheta));
  }
  if (!(options.mutation_rate >= 0 && options.mutation_rate < 1)) {
    return Status::InvalidArgument("the mutation rate must be in [0, 1)");
  }
  KinshipResult result;
  for (const LocusGenotype& ga : a.loci) {
    const LocusGenotype* gb = b.Find(ga.locus);
    if (gb == nullptr || ga.mixed() || gb->mixed() || !freqs.Has(ga.locus)) continue;
    double lr = LocusKinshipLr(ga, *gb, freqs.loci[ga.locus], r, options);
    result.loci.push_back({ga.locus, lr});
    result.log10_lr += lr > 0 ? std::log10(lr) : -INFINITY;
  }
  if (result.loci.empty()) {
    return Status::NotFound("the two profiles share no single-source locus present in the table of " + freqs.name);
  }
  return result;
}

std::vector<FamilialHit> FamilialSearch(const StrProfile& probe, const std::vector<StrProfile>& database,
                                        const PopulationFrequencies& freqs, Relationship r,
                                        const KinshipOptions& options, size_t top_k) {
  std::vector<FamilialHit> hits;
  for (size_t i = 0; i < database.size(); ++i) {
    Result<KinshipResult> k = ComputeKinship(probe, database[i], freqs, r, options);
    if (!k.ok()) continue;
    hits.push_back({i, k->log10_lr, static_cast<int>(k->loci.size())});
  }
  auto better = [](const FamilialHit& x, const FamilialHit& y) { return x.log10_lr > y.log10_lr; };
  if (hits.size() > top_k) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(top_k), hits.end(), better);
    hits.resize(top_k);
  } else {
    std::sort(hits.begin(), hits.end(), better);
  }
  return hits;
}

}  // namespace idreg::dna
