// NRC II recommendations 4.1 and 4.10 per locus, combined by the product rule.
#include "idreg/dna/match_statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "idreg/dna/parameters.h"

namespace idreg::dna {

double HeterozygoteRmp(double p, double q) { return 2 * p * q; }

double HomozygoteRmp(double p, double theta) { return p * p + p * (1 - p) * theta; }

double HeterozygoteConditional(double p, double q, double theta) {
  return 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / ((1 + theta) * (1 + 2 * theta));
}

double HomozygoteConditional(double p, double theta) {
  return (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / ((1 + theta) * (1 + 2 * theta));
}

Result<MatchStatistics> ComputeMatchStatistics(const StrProfile& profile, const PopulationFrequencies& freqs,
                                               double theta) {
  if (!(theta >= 0 && theta <= kMaxTheta)) {
    return Status::InvalidArgument("theta must be between 0 and " + std::to_string(kMaxTheta));
  }
  if (profile.loci.empty()) return Status::InvalidArgument("empty profile: no typed locus");
  MatchStatistics m;
  m.population = freqs.name;
  m.theta = theta;
  for (const LocusGenotype& g : profile.loci) {
    if (!freqs.Has(g.locus)) {
      m.skipped.push_back(g.locus);
      continue;
    }
    LocusStatistic s;
    s.locus = g.locus;
    s.alleles = g.alleles;
    for (Allele a : g.alleles) s.frequencies.push_back(freqs.loci[g.locus].Of(a));
    const std::vector<double>& f = s.frequencies;
    if (g.homozygous()) {
      s.formula = "p^2+p(1-p)theta";
      s.rmp = HomozygoteRmp(f[0], theta);
      s.conditional = HomozygoteConditional(f[0], theta);
    } else if (!g.mixed()) {
      s.formula = "2pq";
      s.rmp = HeterozygoteRmp(f[0], f[1]);
      s.conditional = HeterozygoteConditional(f[0], f[1], theta);
    } else {
      double sum = 0;
      for (double x : f) sum += x;
      s.formula = "cpi";
      s.rmp = s.conditional = std::min(1.0, sum * sum);
    }
    s.lr = 1 / s.conditional;
    m.combined_rmp *= s.rmp;
    m.combined_conditional *= s.conditional;
    m.combined_lr *= s.lr;
    m.loci.push_back(std::move(s));
  }
  if (m.loci.empty()) {
    return Status::NotFound("the profile has no locus in common with the frequency table of " + freqs.name);
  }
  return m;
}

std::string OneIn(double probability) {
  if (!(probability > 0)) return "1 in infinity";
  double n = 1 / probability;
  char buf[64];
  if (n < 1e9) {
    // Whole numbers with thousands separators: "1 in 1,250,000".
    std::string digits = std::to_string(static_cast<long long>(std::llround(n)));
    std::string grouped;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
      grouped.push_back(digits[i]);
    }
    return "1 in " + grouped;
  }
  std::snprintf(buf, sizeof buf, "1 in %.2g", n);
  return buf;
}

}  // namespace idreg::dna
