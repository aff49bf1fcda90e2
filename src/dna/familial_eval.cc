// `idreg eval dna`: simulated families on real genotypes; familial search and false hits.
#include "idreg/dna/familial_eval.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "idreg/dna/kinship.h"
#include "idreg/dna/profile_search.h"

namespace idreg::dna {
namespace {

Log10Summary Summarise(std::vector<double> v) {
  Log10Summary s;
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto q = [&](double f) { return v[static_cast<size_t>(f * static_cast<double>(v.size() - 1) + 0.5)]; };
  s.min = v.front();
  s.p05 = q(0.05);
  s.median = q(0.5);
  s.p95 = q(0.95);
  s.max = v.back();
  s.above_zero = static_cast<double>(std::count_if(v.begin(), v.end(), [](double x) { return x > 0; })) /
                 static_cast<double>(v.size());
  return s;
}

double KinshipLog10(const StrProfile& a, const StrProfile& b, const PopulationFrequencies& f, Relationship r) {
  Result<KinshipResult> k = ComputeKinship(a, b, f, r, KinshipOptions{});
  return k.ok() ? k->log10_lr : 0;
}

// Scores `probe` against every database entry not in `skip`; true when `truth` ranks first
// (ties count against it). Appends the true and the unrelated log10 LRs.
bool RankFirst(const StrProfile& probe, const std::vector<const StrProfile*>& db, const StrProfile* truth_a,
               const StrProfile* truth_b, const PopulationFrequencies& f, Relationship r, std::vector<double>& truth,
               std::vector<double>& unrelated) {
  double best_true = -INFINITY, best_other = -INFINITY;
  for (const StrProfile* c : db) {
    double lr = KinshipLog10(probe, *c, f, r);
    if (c == truth_a || c == truth_b) {
      best_true = std::max(best_true, lr);
      if (c == truth_a) truth.push_back(lr);
    } else {
      best_other = std::max(best_other, lr);
      unrelated.push_back(lr);
    }
  }
  return best_true > best_other;
}

}  // namespace

Result<FamilialEvalReport> EvaluateFamilial(const std::vector<StrProfile>& all_people, const FrequencyTables& tables,
                                            const FamilialEvalOptions& options) {
  std::vector<StrProfile> people = all_people;
  if (options.max_people > 0 && people.size() > options.max_people) people.resize(options.max_people);
  if (people.size() < 4) return Status::InvalidArgument("the evaluation needs at least 4 people");
  if (options.families < 1) return Status::InvalidArgument("the evaluation needs at least one family");
  std::map<std::string, std::vector<size_t>> by_population;
  std::map<std::string, const PopulationFrequencies*> table_of;
  for (size_t i = 0; i < people.size(); ++i) {
    const std::string& pop = people[i].population;
    if (!table_of.count(pop)) {
      Result<const PopulationFrequencies*> t = tables.Find(pop);
      if (!t.ok()) return Status::InvalidArgument("sample " + people[i].id + ": " + t.status().message());
      table_of[pop] = *t;
    }
    by_population[pop].push_back(i);
  }
  std::mt19937_64 rng(options.seed);
  FamilialEvalReport report;
  report.people = people.size();
  report.families = options.families;
  std::vector<double> pt, pu, st, su;
  int parent_ok = 0, sibling_ok = 0;
  std::uniform_int_distribution<size_t> anyone(0, people.size() - 1);
  for (int fam = 0; fam < options.families; ++fam) {
    // Parents: two different people of one population (chosen through a random first parent).
    size_t mi = anyone(rng);
    const std::vector<size_t>& group = by_population[people[mi].population];
    if (group.size() < 2) {
      --fam;  // a population of one cannot make a couple; draw again
      continue;
    }
    size_t fi = mi;
    std::uniform_int_distribution<size_t> in_group(0, group.size() - 1);
    while (fi == mi) fi = group[in_group(rng)];
    const StrProfile &mother = people[mi], &father = people[fi];
    const PopulationFrequencies& f = *table_of[mother.population];
    StrProfile child1 = SimulateChild(mother, father, options.mutation_rate, rng, "child1");
    StrProfile child2 = SimulateChild(mother, father, options.mutation_rate, rng, "child2");
    StrProfile probe1 = Degrade(child1, options.dropout, options.missing_locus, rng);
    StrProfile probe2 = Degrade(child2, options.dropout, options.missing_locus, rng);
    // Parent search: the real database, both parents in it.
    std::vector<const StrProfile*> db;
    for (const StrProfile& p : people) db.push_back(&p);
    parent_ok += RankFirst(probe1, db, &mother, &father, f, Relationship::kParentChild, pt, pu);
    // Sibling search: the parents replaced by the first child (parents would rank as kin too).
    std::erase_if(db, [&](const StrProfile* p) { return p == &mother || p == &father; });
    db.push_back(&child1);
    sibling_ok += RankFirst(probe2, db, &child1, nullptr, f, Relationship::kFullSibling, st, su);
  }
  report.parent_rank1 = static_cast<double>(parent_ok) / options.families;
  report.sibling_rank1 = static_cast<double>(sibling_ok) / options.families;
  report.parent_true = Summarise(std::move(pt));
  report.parent_unrelated = Summarise(std::move(pu));
  report.sibling_true = Summarise(std::move(st));
  report.sibling_unrelated = Summarise(std::move(su));

  // Moderate stringency over every unrelated pair, then degraded copies against everyone else.
  DnaGallery gallery;
  for (const StrProfile& p : people) gallery.Add(p);
  for (size_t i = 0; i < people.size(); ++i) {
    for (size_t j : gallery.Matches(people[i], Stringency::kModerate, options.min_loci)) {
      if (j > i) ++report.moderate_false_hits;
    }
    StrProfile degraded = Degrade(people[i], options.dropout, options.missing_locus, rng);
    for (size_t j : gallery.Matches(degraded, Stringency::kModerate, options.min_loci)) {
      if (j != i) ++report.degraded_moderate_false_hits;
    }
  }
  report.unrelated_pairs = people.size() * (people.size() - 1) / 2;
  report.degraded_pairs = people.size() * (people.size() - 1);
  return report;
}

}  // namespace idreg::dna
