// `idreg dna search` (CODIS stringencies, ranked by match weight) and `idreg dna familial`
// (ranked by kinship LR) over a NIST 1036 CSV or the store's DNA records.
#include <cmath>
#include <iomanip>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/dna_commands.h"
#include "idreg/dna/kinship.h"
#include "idreg/dna/parameters.h"
#include "idreg/dna/profile_search.h"

namespace idreg::cli {
namespace {

using Json = nlohmann::ordered_json;

struct SearchArgs {
  std::string profile, db, stringency = "moderate", relation = "parent-child", freqs, population;
  int min_loci = dna::kDefaultMinLoci;
  size_t max_hits = 20;
  double theta = dna::kDefaultTheta;
  bool json = false;
};

// The table given, or (without --freqs) allele frequencies counted from the database itself.
Result<dna::PopulationFrequencies> Frequencies(const SearchArgs& args, const std::vector<dna::StrProfile>& db) {
  if (args.freqs.empty()) return dna::FrequencyTables::FromProfiles(db, "database").populations()[0];
  if (args.population.empty()) return Status::InvalidArgument("--freqs needs --population");
  return LoadPopulation(args.freqs, args.population);
}

void PrintHits(Context& ctx, const SearchArgs& args, const Json& head, const std::vector<dna::StrProfile>& db,
               const std::vector<std::tuple<size_t, int, double>>& hits) {
  if (args.json) {
    Json j = head;
    Json list = Json::array();
    int rank = 0;
    for (const auto& [i, loci, log10] : hits) {
      list.push_back({{"rank", ++rank}, {"id", db[i].id}, {"population", db[i].population},
                      {"loci_compared", loci}, {"log10_lr", log10}, {"lr", std::pow(10.0, log10)}});
    }
    j["hits"] = list;
    *ctx.out << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return;
  }
  std::ostream& out = *ctx.out;
  out << std::left << std::setw(6) << "RANK" << std::setw(28) << "ID" << std::setw(8) << "LOCI" << "LOG10 LR\n";
  int rank = 0;
  for (const auto& [i, loci, log10] : hits) {
    out << std::setw(6) << ++rank << std::setw(28) << db[i].id << std::setw(8) << loci << std::fixed
        << std::setprecision(2) << log10 << std::defaultfloat << "\n";
  }
  out << hits.size() << (hits.size() == 1 ? " hit" : " hits") << " among " << db.size() << " profiles\n";
}

// The probe, the database searched and the frequencies to weigh hits by: what both searches load.
struct SearchInputs {
  dna::StrProfile probe;
  std::vector<dna::StrProfile> db;
  dna::PopulationFrequencies freqs;
};

Result<SearchInputs> LoadSearchInputs(Context& ctx, const SearchArgs& args) {
  IDREG_ASSIGN_OR_RETURN(dna::StrProfile probe, LoadDnaProfile(args.profile));
  IDREG_ASSIGN_OR_RETURN(std::vector<dna::StrProfile> db, LoadDnaDatabase(ctx, args.db));
  IDREG_ASSIGN_OR_RETURN(dna::PopulationFrequencies freqs, Frequencies(args, db));
  return SearchInputs{std::move(probe), std::move(db), std::move(freqs)};
}

void RunSearch(Context& ctx, const SearchArgs& args) {
  Result<dna::Stringency> s = dna::ParseStringency(args.stringency);
  if (!s.ok()) return ctx.Fail(s.status());
  Result<SearchInputs> in = LoadSearchInputs(ctx, args);
  if (!in.ok()) return ctx.Fail(in.status());
  const dna::StrProfile* probe = &in->probe;
  const std::vector<dna::StrProfile>* db = &in->db;
  const dna::PopulationFrequencies* f = &in->freqs;
  dna::DnaGallery gallery;
  for (const dna::StrProfile& p : *db) gallery.Add(p);
  dna::SearchOptions options;
  options.stringency = *s;
  options.min_loci = args.min_loci;
  options.max_hits = args.max_hits;
  options.theta = args.theta;
  std::vector<std::tuple<size_t, int, double>> hits;
  for (const dna::SearchHit& h : gallery.Search(*probe, options, *f)) hits.emplace_back(h.index, h.loci_compared, h.log10_lr);
  Json head = {{"stringency", dna::StringencyName(*s)}, {"min_loci", args.min_loci}, {"database_size", db->size()},
               {"frequencies", f->name}};
  PrintHits(ctx, args, head, *db, hits);
}

void RunFamilial(Context& ctx, const SearchArgs& args) {
  Result<dna::Relationship> r = dna::ParseRelationship(args.relation);
  if (!r.ok()) return ctx.Fail(r.status());
  Result<SearchInputs> in = LoadSearchInputs(ctx, args);
  if (!in.ok()) return ctx.Fail(in.status());
  const dna::StrProfile* probe = &in->probe;
  const std::vector<dna::StrProfile>* db = &in->db;
  const dna::PopulationFrequencies* f = &in->freqs;
  dna::KinshipOptions options;
  options.theta = args.theta;
  std::vector<std::tuple<size_t, int, double>> hits;
  for (const dna::FamilialHit& h : dna::FamilialSearch(*probe, *db, *f, *r, options, args.max_hits)) {
    hits.emplace_back(h.index, h.loci_compared, h.log10_lr);
  }
  Json head = {{"relation", dna::RelationshipName(*r)}, {"database_size", db->size()}, {"frequencies", f->name}};
  PrintHits(ctx, args, head, *db, hits);
}

void CommonOptions(CLI::App* cmd, SearchArgs& args) {
  cmd->add_option("profile", args.profile, "Probe profile (JSON or one-person NIST 1036 CSV)")->required();
  cmd->add_option("--db", args.db, "Database: a NIST 1036 CSV, or a store URL (sqlite:PATH)")->required();
  cmd->add_option("--freqs", args.freqs, "Allele frequency table for the LRs (default: counted from the database)");
  cmd->add_option("--population", args.population, "Population in --freqs");
  cmd->add_option("--max", args.max_hits, "Most hits shown (default 20)");
  cmd->add_flag("--json", args.json, "Print JSON");
}

}  // namespace

void AddDnaSearchCommands(CLI::App& dna, Context& ctx) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* search = dna.add_subcommand("search", "1:N search at CODIS high, moderate or low stringency");
  CommonOptions(search, *args);
  search->add_option("--stringency", args->stringency, "high, moderate (default) or low");
  search->add_option("--min-loci", args->min_loci, "Minimum loci compared for a hit (default 8)");
  search->add_option("--theta", args->theta, "Theta for the match weights (default 0.01)");
  search->callback([&ctx, args] { RunSearch(ctx, *args); });

  auto fargs = std::make_shared<SearchArgs>();
  fargs->theta = 0;
  CLI::App* familial = dna.add_subcommand("familial", "Rank a database by kinship likelihood ratio with the probe");
  CommonOptions(familial, *fargs);
  familial->add_option("--relation", fargs->relation, "parent-child (default), full-sibling, half-sibling, first-cousin");
  familial->add_option("--theta", fargs->theta, "Theta (default 0)");
  familial->callback([&ctx, fargs] { RunFamilial(ctx, *fargs); });
}

}  // namespace idreg::cli
