// `idreg dna show|rmp|kinship`: one profile's JSON form, its match statistics (NRC II 4.1 and
// 4.10), and the kinship likelihood ratio of two profiles.
#include <cmath>
#include <iomanip>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/dna_commands.h"
#include "idreg/dna/kinship.h"
#include "idreg/dna/match_statistics.h"
#include "idreg/dna/parameters.h"
#include "idreg/dna/profile_io.h"

namespace idreg::cli {
namespace {

using Json = nlohmann::ordered_json;
constexpr auto kReplace = Json::error_handler_t::replace;

struct DnaArgs {
  std::string profile, other, freqs, population, relation = "parent-child";
  double theta = dna::kDefaultTheta;
  double mutation_rate = dna::kMutationRate;
  bool json = false;
};

std::string Alleles(const std::vector<dna::Allele>& alleles) {
  std::string s;
  for (dna::Allele a : alleles) s += (s.empty() ? "" : ",") + dna::AlleleToString(a);
  return s;
}

Json AlleleArray(const std::vector<dna::Allele>& alleles) {
  Json j = Json::array();
  for (dna::Allele a : alleles) j.push_back(dna::AlleleToString(a));
  return j;
}

std::string Num(double v, int precision = 4) {
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

void RunShow(Context& ctx, const DnaArgs& args) {
  Result<dna::StrProfile> p = LoadDnaProfile(args.profile);
  if (!p.ok()) return ctx.Fail(p.status());
  *ctx.out << dna::ProfileToJson(*p) << "\n";
}

void RunRmp(Context& ctx, const DnaArgs& args) {
  Result<dna::StrProfile> p = LoadDnaProfile(args.profile);
  if (!p.ok()) return ctx.Fail(p.status());
  Result<dna::PopulationFrequencies> f = LoadPopulation(args.freqs, args.population);
  if (!f.ok()) return ctx.Fail(f.status());
  Result<dna::MatchStatistics> m = dna::ComputeMatchStatistics(*p, *f, args.theta);
  if (!m.ok()) return ctx.Fail(m.status());
  if (args.json) {
    Json j;
    j["population"] = m->population;
    j["theta"] = m->theta;
    Json loci = Json::array();
    for (const dna::LocusStatistic& s : m->loci) {
      loci.push_back({{"locus", dna::LocusName(s.locus)}, {"alleles", AlleleArray(s.alleles)},
                      {"frequencies", s.frequencies}, {"formula", s.formula}, {"rmp", s.rmp},
                      {"conditional", s.conditional}, {"lr", s.lr}});
    }
    j["loci"] = loci;
    Json skipped = Json::array();
    for (dna::LocusId l : m->skipped) skipped.push_back(dna::LocusName(l));
    j["skipped"] = skipped;
    j["combined_rmp"] = m->combined_rmp;
    j["one_in"] = 1 / m->combined_rmp;
    j["combined_conditional"] = m->combined_conditional;
    j["combined_lr"] = m->combined_lr;
    j["summary"] = dna::OneIn(m->combined_rmp);
    *ctx.out << j.dump(2, ' ', false, kReplace) << "\n";
    return;
  }
  std::ostream& out = *ctx.out;
  out << "population " << m->population << ", theta " << m->theta << "\n";
  out << std::left << std::setw(10) << "LOCUS" << std::setw(14) << "ALLELES" << std::setw(20) << "FREQUENCIES"
      << std::setw(17) << "FORMULA" << std::setw(12) << "RMP" << std::setw(12) << "NRC II 4.10" << "LR\n";
  for (const dna::LocusStatistic& s : m->loci) {
    std::string freqs;
    for (double x : s.frequencies) freqs += (freqs.empty() ? "" : ",") + Num(x, 3);
    out << std::setw(10) << dna::LocusName(s.locus) << std::setw(14) << Alleles(s.alleles) << std::setw(20) << freqs
        << std::setw(17) << s.formula << std::setw(12) << Num(s.rmp) << std::setw(12) << Num(s.conditional)
        << Num(s.lr) << "\n";
  }
  for (dna::LocusId l : m->skipped) out << dna::LocusName(l) << ": not in the table, not counted\n";
  out << "combined random match probability: " << Num(m->combined_rmp, 3) << " (" << dna::OneIn(m->combined_rmp)
      << ")\n";
  out << "combined NRC II 4.10 match probability: " << Num(m->combined_conditional, 3) << " ("
      << dna::OneIn(m->combined_conditional) << "); likelihood ratio " << Num(m->combined_lr, 3) << "\n";
}

void RunKinship(Context& ctx, const DnaArgs& args) {
  Result<dna::Relationship> r = dna::ParseRelationship(args.relation);
  if (!r.ok()) return ctx.Fail(r.status());
  Result<dna::StrProfile> a = LoadDnaProfile(args.profile);
  if (!a.ok()) return ctx.Fail(a.status());
  Result<dna::StrProfile> b = LoadDnaProfile(args.other);
  if (!b.ok()) return ctx.Fail(b.status());
  Result<dna::PopulationFrequencies> f = LoadPopulation(args.freqs, args.population);
  if (!f.ok()) return ctx.Fail(f.status());
  dna::KinshipOptions options{args.theta, args.mutation_rate};
  Result<dna::KinshipResult> k = dna::ComputeKinship(*a, *b, *f, *r, options);
  if (!k.ok()) return ctx.Fail(k.status());
  double lr = std::pow(10.0, k->log10_lr);
  if (args.json) {
    Json j;
    j["relation"] = dna::RelationshipName(*r);
    j["population"] = f->name;
    j["theta"] = args.theta;
    j["mutation_rate"] = *r == dna::Relationship::kParentChild ? args.mutation_rate : 0.0;
    Json loci = Json::array();
    for (const dna::LocusKinship& l : k->loci) {
      loci.push_back({{"locus", dna::LocusName(l.locus)}, {"a", AlleleArray(a->Find(l.locus)->alleles)},
                      {"b", AlleleArray(b->Find(l.locus)->alleles)}, {"lr", l.lr}});
    }
    j["loci"] = loci;
    j["lr"] = lr;
    j["log10_lr"] = k->log10_lr;
    *ctx.out << j.dump(2, ' ', false, kReplace) << "\n";
    return;
  }
  std::ostream& out = *ctx.out;
  out << dna::RelationshipName(*r) << " vs unrelated, population " << f->name << ", theta " << args.theta << "\n";
  out << std::left << std::setw(10) << "LOCUS" << std::setw(14) << "A" << std::setw(14) << "B" << "LR\n";
  for (const dna::LocusKinship& l : k->loci) {
    out << std::setw(10) << dna::LocusName(l.locus) << std::setw(14) << Alleles(a->Find(l.locus)->alleles)
        << std::setw(14) << Alleles(b->Find(l.locus)->alleles) << Num(l.lr) << "\n";
  }
  out << "likelihood ratio: " << Num(lr, 4) << " (log10 " << Num(k->log10_lr, 4) << ") over " << k->loci.size()
      << " loci\n";
}

}  // namespace

void AddDnaCommands(CLI::App& app, Context& ctx) {
  CLI::App* dna = app.add_subcommand("dna", "DNA STR profiles: match statistics, stringency and familial search");
  dna->require_subcommand(1);
  auto args = std::make_shared<DnaArgs>();

  CLI::App* show = dna->add_subcommand("show", "Print a profile (JSON or one-person NIST 1036 CSV) as idreg JSON");
  show->add_option("profile", args->profile, "Profile file")->required();
  show->callback([&ctx, args] { RunShow(ctx, *args); });

  CLI::App* rmp = dna->add_subcommand("rmp", "Random match probability (NRC II 4.1) and 4.10 match probability");
  rmp->add_option("profile", args->profile, "Profile file (JSON or one-person NIST 1036 CSV)")->required();
  rmp->add_option("--freqs", args->freqs, "Allele frequency table (CSV)")->required();
  rmp->add_option("--population", args->population, "Population in the table")->required();
  rmp->add_option("--theta", args->theta, "Coancestry coefficient (default 0.01, NRC II 4.1)");
  rmp->add_flag("--json", args->json, "Print JSON");
  rmp->callback([&ctx, args] { RunRmp(ctx, *args); });

  auto kargs = std::make_shared<DnaArgs>();
  kargs->theta = 0;  // kinship: theta 0 unless given
  CLI::App* kin = dna->add_subcommand("kinship", "Kinship likelihood ratio of two profiles");
  kin->add_option("a", kargs->profile, "First profile file")->required();
  kin->add_option("b", kargs->other, "Second profile file")->required();
  kin->add_option("--relation", kargs->relation,
                  "parent-child, full-sibling, half-sibling (= avuncular, grandparent), first-cousin")
      ->required();
  kin->add_option("--freqs", kargs->freqs, "Allele frequency table (CSV)")->required();
  kin->add_option("--population", kargs->population, "Population in the table")->required();
  kin->add_option("--theta", kargs->theta, "Coancestry coefficient (default 0)");
  kin->add_option("--mutation-rate", kargs->mutation_rate, "Per-locus mutation rate, parent-child (default 0.002)");
  kin->add_flag("--json", kargs->json, "Print JSON");
  kin->callback([&ctx, kargs] { RunKinship(ctx, *kargs); });

  AddDnaSearchCommands(*dna, ctx);
}

}  // namespace idreg::cli
