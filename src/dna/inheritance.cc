// Mendelian inheritance and degradation, for simulated relatives in `idreg eval dna`.
#include <random>

#include "idreg/dna/familial_eval.h"

namespace idreg::dna {
namespace {

// One allele from a parent's genotype, mutated one repeat up or down with probability `mu`.
Allele Transmitted(const LocusGenotype& g, double mu, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(0, 1);
  Allele a = g.alleles.size() == 1 ? g.alleles[0] : g.alleles[static_cast<size_t>(pick(rng))];
  if (std::bernoulli_distribution(mu)(rng)) {
    bool up = pick(rng) == 1 || a.tenths <= 10;
    a.tenths = static_cast<uint16_t>(up ? std::min<int>(a.tenths + 10, kMaxAlleleTenths) : a.tenths - 10);
  }
  return a;
}

}  // namespace

StrProfile SimulateChild(const StrProfile& mother, const StrProfile& father, double mutation_rate,
                         std::mt19937_64& rng, std::string id) {
  StrProfile child;
  child.id = std::move(id);
  child.population = mother.population;
  for (const LocusGenotype& m : mother.loci) {
    const LocusGenotype* f = father.Find(m.locus);
    if (f == nullptr || m.mixed() || f->mixed()) continue;
    Allele from_mother = Transmitted(m, mutation_rate, rng);
    Allele from_father = Transmitted(*f, mutation_rate, rng);
    (void)child.AddLocus(m.locus, {from_mother, from_father});  // loci come in order, once each
  }
  return child;
}

StrProfile Degrade(const StrProfile& p, double dropout, double missing_locus, std::mt19937_64& rng) {
  StrProfile copy;
  copy.id = p.id;
  copy.population = p.population;
  std::bernoulli_distribution lose(missing_locus), drop(dropout);
  for (const LocusGenotype& g : p.loci) {
    if (lose(rng)) continue;
    std::vector<Allele> kept;
    for (Allele a : g.alleles) {
      if (g.alleles.size() == 1 || !drop(rng)) kept.push_back(a);
    }
    if (kept.empty()) kept.push_back(g.alleles[0]);  // both dropped: the locus keeps one
    (void)copy.AddLocus(g.locus, std::move(kept));
  }
  return copy;
}

}  // namespace idreg::dna
