// `idreg enroll`: a document and biometric samples, deduplicated against the registry before
// anything is stored (workflow/dedup.h).
#include "cli/identification_commands.h"
#include "cli/store_access.h"
#include "idreg/document/mrz.h"
#include "idreg/workflow/dedup.h"
#include "idreg/workflow/document_enrollment.h"

namespace idreg::cli {
namespace {

struct EnrollArgs {
  std::string mrz, place, officer;
  SampleFlags samples;
  EngineFlags engine;
  bool json = false;
};

void RunEnroll(Context& ctx, const EnrollArgs& args) {
  auto mrz = ParseMrz(args.mrz, MrzOptions{ctx.clock->Today()});
  if (!mrz.ok()) return ctx.Fail(mrz.status().WithContext("--mrz"));
  if (!mrz->valid()) {
    for (const auto& err : mrz->errors) *ctx.err << "idreg: mrz: " << err << "\n";
    return ctx.Fail(Status::InvalidArgument("the MRZ fails its checks; nothing was stored"), kExitInvalid);
  }
  auto captured = ReadSamples(args.samples);
  if (!captured.ok()) return ctx.Fail(captured.status());
  PreparedSamples prepared = PrepareSamples(*captured);
  Enrollment e;
  AddMrzToEnrollment(*mrz, e);
  e.encounter.kind = EncounterKind::kEnrollment;
  e.encounter.place = args.place;
  e.encounter.officer = args.officer.empty() ? ctx.actor : args.officer;
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  const Actor actor = MakeActor(ctx, "enrollment");
  if (prepared.records.empty()) {
    // Refused before the galleries are loaded: nothing to search with.
    const std::string why = prepared.rejected.empty() ? "none was given" : DescribeIssues(prepared.rejected);
    return ctx.Fail(Status::InvalidArgument("enrollment refused: no usable biometric sample (" + why + ")"), kExitInvalid);
  }
  auto engine = BuildEngine(ctx, **store, actor, args.engine);
  if (!engine.ok()) return ctx.Fail(engine.status());
  auto r = EnrollWithDedup(**store, **engine, e, prepared, actor);
  if (!r.ok()) return ctx.Fail(r.status());
  const match::Decision& d = r->search.decision;
  if (args.json) {
    nlohmann::json j{{"outcome", DedupOutcomeName(r->outcome)},
                     {"committed", r->committed},
                     {"reason", r->reason},
                     {"persons_searched", d.persons_searched},
                     {"thresholds", {{"match", d.thresholds.match}, {"review", d.thresholds.review}}},
                     {"rejected", IssuesJson(r->rejected)}};
    if (r->committed) j["profile"] = r->profile.ToString();
    if (!r->encounter.empty()) j["encounter"] = r->encounter.ToString();
    j["candidates"] = nlohmann::json::array();
    for (const auto& c : d.candidates) j["candidates"].push_back(CandidateJson(c));
    *ctx.out << j.dump(2) << "\n";
  } else {
    *ctx.out << DedupOutcomeName(r->outcome);
    if (r->committed) *ctx.out << " " << r->profile.ToString();
    if (!r->reason.empty()) *ctx.out << ": " << r->reason;
    *ctx.out << "\n";
    for (const auto& c : d.candidates) *ctx.out << "  candidate " << c.profile.ToString() << "  LLR " << c.llr << "\n";
  }
  if (!r->rejected.empty()) *ctx.err << "idreg: samples left out: " << DescribeIssues(r->rejected) << "\n";
  // Nothing stored (review, possible fraud): the caller must act, so the exit code says so.
  if (!r->committed) ctx.exit_code = kExitInvalid;
}

}  // namespace

void AddEnrollCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EnrollArgs>();
  auto* cmd = app.add_subcommand("enroll", "Enroll a person with dedup: new, match (encounter added), review or "
                                           "possible_fraud (nothing stored)");
  cmd->add_option("--mrz", args->mrz, "The document's MRZ, lines joined by '|'")->required();
  AddSampleFlags(cmd, args->samples);
  AddEngineFlags(cmd, args->engine);
  cmd->add_option("--place", args->place, "Where the encounter happens");
  cmd->add_option("--officer", args->officer, "Who captured it; default the actor");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] { RunEnroll(ctx, *args); });
}

}  // namespace idreg::cli
