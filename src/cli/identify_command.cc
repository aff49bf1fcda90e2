// `idreg identify` and `idreg verify`, and what the identification commands share.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/identification_commands.h"
#include "cli/store_access.h"
#include "idreg/dna/allele_frequencies.h"

namespace idreg::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

}  // namespace

void AddEngineFlags(CLI::App* cmd, EngineFlags& f) {
  cmd->add_option("--calibration-dir", f.calibration_dir,
                  "Folder of calibration files (MODALITY.json); default $IDREG_CALIBRATION_DIR or data/calibration");
  cmd->add_option("--policy", f.policy, "Decision policy file (idreg-decision-policy-v1); default FPIR 0.001");
  cmd->add_option("--dna-frequencies", f.dna_frequencies,
                  "Allele frequency table for DNA match weights; default $IDREG_DNA_FREQUENCIES");
  cmd->add_option("--dna-population", f.dna_population, "Population in that table; default its first");
}

Result<std::unique_ptr<match::Engine>> BuildEngine(const Context& ctx, Store& store, const Actor& actor,
                                                   const EngineFlags& flags) {
  match::EngineOptions o;
  std::string dir = !flags.calibration_dir.empty() ? flags.calibration_dir : match::DefaultCalibrationDir();
  IDREG_ASSIGN_OR_RETURN(o.calibrations, match::LoadCalibrationDir(dir));
  if (!flags.policy.empty()) {
    IDREG_ASSIGN_OR_RETURN(std::string text, ReadText(flags.policy));
    auto p = match::ParsePolicyJson(text);
    if (!p.ok()) return p.status().WithContext(flags.policy);
    o.policy = *p;
  }
  const std::string freqs = !flags.dna_frequencies.empty() ? flags.dna_frequencies : Env("IDREG_DNA_FREQUENCIES");
  if (!freqs.empty()) {
    IDREG_ASSIGN_OR_RETURN(std::string text, ReadText(freqs));
    auto tables = dna::FrequencyTables::Parse(text);
    if (!tables.ok()) return tables.status().WithContext(freqs);
    if (tables->populations().empty()) return Status::InvalidArgument(freqs + ": no population");
    std::string pop = !flags.dna_population.empty() ? flags.dna_population : Env("IDREG_DNA_POPULATION");
    const dna::PopulationFrequencies* chosen = &tables->populations().front();
    if (!pop.empty()) {
      auto found = tables->Find(pop);
      if (!found.ok()) return found.status().WithContext(freqs);
      chosen = *found;
    }
    o.dna_frequencies = std::make_shared<dna::PopulationFrequencies>(*chosen);
  }
  o.progress = isatty(STDERR_FILENO) && ctx.err == &std::cerr;
  o.log = nullptr;
  return match::Engine::Build(store, actor, std::move(o));
}

void AddSampleFlags(CLI::App* cmd, SampleFlags& f) {
  cmd->add_option("--finger", f.fingers, "A fingerprint: POSITION=FILE (e.g. right_index=a.png) or FILE; image or ISO record")
      ->take_all();
  cmd->add_option("--dna", f.dna, "A DNA STR profile: idreg-dna-json-v1 file or a one-person NIST 1036 CSV");
  cmd->add_option("--face", f.faces,
                  "A face: a photo (the largest face is detected, checked and embedded), crop=FILE for an image that "
                  "already is the face crop, or an idreg-face-descriptor-v1 record")
      ->take_all();
  cmd->add_option("--voice", f.voices, "A voice recording (WAV, FLAC, OGG) or voice template (*.vtpl)")->take_all();
}

Result<std::vector<CapturedSample>> ReadSamples(const SampleFlags& flags) {
  std::vector<CapturedSample> out;
  for (const std::string& arg : flags.fingers) {
    CapturedSample s;
    s.modality = "finger";
    std::string path = arg;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      s.position = arg.substr(0, eq);
      path = arg.substr(eq + 1);
    }
    IDREG_ASSIGN_OR_RETURN(std::string bytes, ReadText(path));
    s.data.assign(bytes.begin(), bytes.end());
    s.source = path;
    out.push_back(std::move(s));
  }
  for (const std::string& path : flags.dna) {
    IDREG_ASSIGN_OR_RETURN(std::string text, ReadText(path));
    out.push_back({"dna", "profile", Bytes(text.begin(), text.end()), path});
  }
  for (const std::string& arg : flags.faces) {
    CapturedSample s;
    s.modality = "face";
    std::string path = arg;
    if (arg.rfind("crop=", 0) == 0 || arg.rfind("frontal=", 0) == 0) {
      s.position = arg.substr(0, arg.find('='));
      path = arg.substr(arg.find('=') + 1);
    }
    IDREG_ASSIGN_OR_RETURN(std::string bytes, ReadText(path));
    s.data.assign(bytes.begin(), bytes.end());
    s.source = path;
    out.push_back(std::move(s));
  }
  for (const std::string& path : flags.voices) {
    IDREG_ASSIGN_OR_RETURN(std::string bytes, ReadText(path));
    out.push_back({"voice", "speech", Bytes(bytes.begin(), bytes.end()), path});
  }
  return out;
}

nlohmann::json CandidateJson(const match::FusedCandidate& c) {
  nlohmann::json parts = nlohmann::json::array();
  for (const match::ScorePart& p : c.parts) {
    parts.push_back({{"modality", p.modality}, {"probe", p.probe}, {"sample", p.sample.ToString()},
                     {"position", p.position}, {"raw_score", p.raw}, {"llr", p.llr}});
  }
  return {{"profile", c.profile.ToString()}, {"llr", c.llr}, {"modality_llr", c.modality_llr}, {"parts", parts}};
}

nlohmann::json IssuesJson(const std::vector<SampleIssue>& issues) {
  nlohmann::json out = nlohmann::json::array();
  for (const SampleIssue& i : issues) {
    out.push_back({{"modality", i.modality}, {"position", i.position}, {"source", i.source}, {"reason", i.reason}});
  }
  return out;
}

namespace {

struct IdentifyArgs {
  SampleFlags samples;
  EngineFlags engine;
  std::string watchlist, profile;
  size_t top = 10;
  bool json = false;
};

// Samples -> probes; InvalidArgument when none is usable.
Result<PreparedSamples> Prepare(const SampleFlags& flags) {
  IDREG_ASSIGN_OR_RETURN(auto captured, ReadSamples(flags));
  PreparedSamples p = PrepareSamples(captured, {}, SampleUse::kSearch);
  if (p.records.empty()) {
    return Status::InvalidArgument("no usable sample (" +
                                   (p.rejected.empty() ? std::string("none was given") : DescribeIssues(p.rejected)) + ")");
  }
  return p;
}

void RunIdentify(Context& ctx, const IdentifyArgs& args) {
  auto prepared = Prepare(args.samples);
  if (!prepared.ok()) return ctx.Fail(prepared.status());
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  const Actor actor = MakeActor(ctx, "identification");
  auto engine = BuildEngine(ctx, **store, actor, args.engine);
  if (!engine.ok()) return ctx.Fail(engine.status());
  match::Selector selector;
  if (!args.watchlist.empty()) {
    auto members = (*store)->ListWatchlist(args.watchlist, actor);
    if (!members.ok()) return ctx.Fail(members.status());
    std::vector<ProfileId> ids;
    for (const auto& m : *members) ids.push_back(m.profile);
    selector = match::Selector::Watchlist(args.watchlist, ids);
  }
  auto result = (*engine)->Identify(prepared->probes, selector);
  if (!result.ok()) return ctx.Fail(result.status());
  (void)(*store)->RecordAudit(actor, "identify", "", "selector=" + selector.Describe() + " decision=" +
                                                         std::string(match::OutcomeName(result->decision.outcome)));
  const match::Decision& d = result->decision;
  std::vector<match::FusedCandidate> top(result->ranked.begin(),
                                         result->ranked.begin() + static_cast<std::ptrdiff_t>(std::min(args.top, result->ranked.size())));
  if (args.json) {
    nlohmann::json j{{"decision", match::OutcomeName(d.outcome)},
                     {"persons_searched", d.persons_searched},
                     {"thresholds", {{"match", d.thresholds.match}, {"review", d.thresholds.review}}},
                     {"selector", selector.Describe()},
                     {"rejected", IssuesJson(prepared->rejected)}};
    j["decided"] = nlohmann::json::array();
    for (const auto& c : d.candidates) j["decided"].push_back(CandidateJson(c));
    j["candidates"] = nlohmann::json::array();
    for (const auto& c : top) j["candidates"].push_back(CandidateJson(c));
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  *ctx.out << "decision: " << match::OutcomeName(d.outcome) << " (" << d.persons_searched
           << " persons searched; match at LLR >= " << d.thresholds.match << ", review at >= " << d.thresholds.review
           << ")\n";
  for (const auto& c : top) {
    *ctx.out << "  " << c.profile.ToString() << "  LLR " << c.llr;
    for (const auto& [m, llr] : c.modality_llr) *ctx.out << "  " << m << " " << llr;
    *ctx.out << "\n";
  }
  if (!prepared->rejected.empty()) *ctx.err << "idreg: samples left out: " << DescribeIssues(prepared->rejected) << "\n";
}

void RunVerify(Context& ctx, const IdentifyArgs& args) {
  auto id = Id::Parse(args.profile);
  if (!id.ok()) return ctx.Fail(id.status().WithContext("profile id"));
  auto prepared = Prepare(args.samples);
  if (!prepared.ok()) return ctx.Fail(prepared.status());
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  const Actor actor = MakeActor(ctx, "verification");
  auto engine = BuildEngine(ctx, **store, actor, args.engine);
  if (!engine.ok()) return ctx.Fail(engine.status());
  auto fused = (*engine)->Verify(*id, prepared->probes);
  if (!fused.ok()) return ctx.Fail(fused.status());
  // 1:1: the gallery is one person.
  const match::Thresholds t = match::ThresholdsFor((*engine)->options().policy, 1);
  const bool verified = fused->llr >= t.match;
  (void)(*store)->RecordAudit(actor, "verify", id->ToString(), std::string("verified=") + (verified ? "1" : "0"));
  if (args.json) {
    *ctx.out << nlohmann::json{{"profile", id->ToString()}, {"verified", verified}, {"threshold", t.match},
                               {"result", CandidateJson(*fused)}, {"rejected", IssuesJson(prepared->rejected)}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << (verified ? "verified" : "not verified") << ": LLR " << fused->llr << " (threshold " << t.match << ")\n";
  }
  if (!verified) ctx.exit_code = kExitInvalid;
}

}  // namespace

void AddIdentifyCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IdentifyArgs>();
  auto* identify = app.add_subcommand("identify", "1:N search of the registry with fingerprints, face, voice and/or DNA, fused");
  AddSampleFlags(identify, args->samples);
  AddEngineFlags(identify, args->engine);
  identify->add_option("--watchlist", args->watchlist, "Search only the members of this watchlist");
  identify->add_option("--top", args->top, "Candidates to list (default 10)");
  identify->add_flag("--json", args->json, "Print JSON");
  identify->callback([&ctx, args] { RunIdentify(ctx, *args); });

  auto vargs = std::make_shared<IdentifyArgs>();
  auto* verify = app.add_subcommand("verify", "1:1: do these samples belong to this profile?");
  verify->add_option("profile", vargs->profile, "Profile id")->required();
  AddSampleFlags(verify, vargs->samples);
  AddEngineFlags(verify, vargs->engine);
  verify->add_flag("--json", vargs->json, "Print JSON");
  verify->callback([&ctx, vargs] { RunVerify(ctx, *vargs); });
}

void AddIdentificationCommands(CLI::App& app, Context& ctx) {
  AddEnrollCommand(app, ctx);
  AddIdentifyCommands(app, ctx);
  AddWatchlistCommands(app, ctx);
  AddCalibrateCommand(app, ctx);
  // `idreg eval dedup` joins the evaluation commands when they are registered.
  try {
    if (CLI::App* eval = app.get_subcommand("eval")) AddEvalDedup(*eval, ctx);
  } catch (const CLI::OptionNotFound&) {
  }
}

}  // namespace idreg::cli
