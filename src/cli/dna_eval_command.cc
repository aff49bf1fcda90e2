// `idreg eval dna`: familial search and moderate-stringency false hits on simulated relatives of
// real genotypes (see idreg/dna/familial_eval.h for the protocol).
#include <iomanip>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/dna_commands.h"
#include "cli/eval_commands.h"
#include "idreg/dna/familial_eval.h"
#include "idreg/dna/profile_io.h"

namespace idreg::cli {
namespace {

using Json = nlohmann::ordered_json;

struct EvalDnaArgs {
  std::string genotypes, freqs;
  dna::FamilialEvalOptions options;
  bool json = false;
};

Json SummaryJson(const dna::Log10Summary& s) {
  return {{"count", s.count}, {"min", s.min},       {"p05", s.p05},          {"median", s.median},
          {"p95", s.p95},     {"max", s.max},       {"fraction_lr_above_1", s.above_zero}};
}

void PrintSummary(std::ostream& out, const char* label, const dna::Log10Summary& s) {
  out << "  " << std::left << std::setw(26) << label << std::fixed << std::setprecision(2) << "n=" << s.count
      << "  min " << s.min << "  5% " << s.p05 << "  median " << s.median << "  95% " << s.p95 << "  max " << s.max
      << "  LR>1: " << std::setprecision(4) << s.above_zero << std::defaultfloat << "\n";
}

void RunEvalDna(Context& ctx, const EvalDnaArgs& args) {
  Result<std::string> text = ReadDnaFile(args.genotypes);
  if (!text.ok()) return ctx.Fail(text.status());
  Result<std::vector<dna::StrProfile>> people = dna::ParseNist1036Csv(*text);
  if (!people.ok()) return ctx.Fail(people.status().WithContext(args.genotypes));
  Result<std::string> ftext = ReadDnaFile(args.freqs);
  if (!ftext.ok()) return ctx.Fail(ftext.status());
  Result<dna::FrequencyTables> tables = dna::FrequencyTables::Parse(*ftext);
  if (!tables.ok()) return ctx.Fail(tables.status().WithContext(args.freqs));
  Result<dna::FamilialEvalReport> r = dna::EvaluateFamilial(*people, *tables, args.options);
  if (!r.ok()) return ctx.Fail(r.status());
  if (args.json) {
    Json j = {{"people", r->people},
              {"families", r->families},
              {"seed", args.options.seed},
              {"dropout", args.options.dropout},
              {"missing_locus", args.options.missing_locus},
              {"mutation_rate", args.options.mutation_rate},
              {"parent_rank1", r->parent_rank1},
              {"sibling_rank1", r->sibling_rank1},
              {"min_loci", args.options.min_loci},
              {"unrelated_pairs", r->unrelated_pairs},
              {"moderate_false_hits", r->moderate_false_hits},
              {"degraded_pairs", r->degraded_pairs},
              {"degraded_moderate_false_hits", r->degraded_moderate_false_hits},
              {"log10_lr",
               {{"parent_true", SummaryJson(r->parent_true)},
                {"parent_unrelated", SummaryJson(r->parent_unrelated)},
                {"sibling_true", SummaryJson(r->sibling_true)},
                {"sibling_unrelated", SummaryJson(r->sibling_unrelated)}}}};
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  std::ostream& out = *ctx.out;
  out << "people: " << r->people << ", simulated families: " << r->families << " (seed " << args.options.seed
      << ", drop-out " << args.options.dropout << ", lost loci " << args.options.missing_locus << ", mutation rate "
      << args.options.mutation_rate << ")\n";
  out << "familial search rank 1, true parent:  " << r->parent_rank1 << "\n";
  out << "familial search rank 1, true sibling: " << r->sibling_rank1 << "\n";
  out << "moderate stringency (>= " << args.options.min_loci << " loci) false hits: " << r->moderate_false_hits
      << " of " << r->unrelated_pairs << " unrelated pairs; degraded copies: " << r->degraded_moderate_false_hits
      << " of " << r->degraded_pairs << "\n";
  out << "log10 kinship LR:\n";
  PrintSummary(out, "parent-child, true", r->parent_true);
  PrintSummary(out, "parent-child, unrelated", r->parent_unrelated);
  PrintSummary(out, "full-sibling, true", r->sibling_true);
  PrintSummary(out, "full-sibling, unrelated", r->sibling_unrelated);
}

}  // namespace

void AddEvalDna(CLI::App& eval, Context& ctx) {
  auto args = std::make_shared<EvalDnaArgs>();
  CLI::App* cmd = eval.add_subcommand("dna", "Familial search and stringency false hits on simulated relatives");
  cmd->add_option("--genotypes", args->genotypes, "Real unrelated genotypes, NIST 1036 CSV layout")->required();
  cmd->add_option("--freqs", args->freqs, "Allele frequencies with the genotypes' populations (CSV)")->required();
  cmd->add_option("--seed", args->options.seed, "Random seed (default 1)");
  cmd->add_option("--families", args->options.families, "Simulated families (default 200)");
  cmd->add_option("--limit", args->options.max_people, "Use only the first N people (default all)");
  cmd->add_option("--min-loci", args->options.min_loci, "Minimum loci compared for a stringency hit (default 8)");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] { RunEvalDna(ctx, *args); });
}

}  // namespace idreg::cli
