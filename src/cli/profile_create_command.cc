// idreg profile create: enroll a person from a travel document's MRZ, declared attributes and
// biometric sample files, in one transaction.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "cli/profile_commands.h"
#include "cli/store_access.h"
#include "idreg/match/records.h"
#include "idreg/workflow/document_enrollment.h"

namespace idreg::cli {
namespace {

struct CreateArgs {
  std::string mrz;
  std::vector<std::string> declared;  // name=value
  std::vector<std::string> samples;   // modality[/position]=file
  std::vector<std::string> consents;
  std::string kind = "enrollment";
  std::string place;
  std::string officer;
  bool allow_invalid = false;
  bool allow_duplicate = false;
  bool json = false;
};

std::string FormatFromExtension(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".tif" || ext == ".tiff") return "image/tiff";
  if (ext == ".bmp") return "image/bmp";
  if (ext == ".wsq") return "image/wsq";
  if (ext == ".wav") return "audio/wav";
  if (ext == ".json") return "application/json";
  return "application/octet-stream";
}

Result<BiometricRecord> ReadSample(const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    return Status::InvalidArgument("--sample must be MODALITY[/POSITION]=FILE, got '" + spec + "'");
  }
  BiometricRecord r;
  std::string head = spec.substr(0, eq);
  auto slash = head.find('/');
  r.modality = head.substr(0, slash);
  if (slash != std::string::npos) r.position = head.substr(slash + 1);
  static const std::vector<std::string> kModalities = {"face", "finger", "iris", "voice", "dna"};
  if (std::find(kModalities.begin(), kModalities.end(), r.modality) == kModalities.end()) {
    return Status::InvalidArgument("unknown modality '" + r.modality + "' in --sample: expected face, finger, iris, "
                                   "voice or dna");
  }
  std::filesystem::path file = spec.substr(eq + 1);
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::NotFound("cannot read sample file " + file.string());
  r.payload.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (r.payload.empty()) return Status::InvalidArgument("sample file " + file.string() + " is empty");
  r.format = FormatFromExtension(file);
  return r;
}

void RunCreate(Context& ctx, const CreateArgs& args) {
  Enrollment e;
  std::optional<Mrz> mrz;
  if (!args.mrz.empty()) {
    auto parsed = ParseMrz(args.mrz, MrzOptions{ctx.clock->Today()});
    if (!parsed.ok()) return ctx.Fail(parsed.status().WithContext("--mrz"));
    if (!parsed->valid() && !args.allow_invalid) {
      for (const auto& err : parsed->errors) *ctx.err << "idreg: mrz: " << err << "\n";
      return ctx.Fail(Status::InvalidArgument("the MRZ fails its checks (a misread or an altered document); "
                                              "nothing was stored. --allow-invalid-mrz stores it flagged as invalid"),
                      kExitInvalid);
    }
    mrz = *parsed;
    AddMrzToEnrollment(*mrz, e);
  }
  for (const auto& d : args.declared) {
    auto eq = d.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ctx.Fail(Status::InvalidArgument("--declare must be NAME=VALUE, got '" + d + "'"));
    }
    Provenance p;
    p.kind = Provenance::Kind::kDeclaration;
    p.source = "declared to " + (args.officer.empty() ? ctx.actor : args.officer);
    e.attributes.push_back({d.substr(0, eq), d.substr(eq + 1), p});
  }
  if (e.attributes.empty()) {
    return ctx.Fail(Status::InvalidArgument("a profile needs an identity: give --mrz or --declare NAME=VALUE"));
  }
  for (const auto& s : args.samples) {
    auto r = ReadSample(s);
    if (!r.ok()) return ctx.Fail(r.status());
    // The finger gallery's coarse codes, stored beside the template for start-up (match/records.h).
    if (r->modality == "finger" && r->format == match::kFingerFormat) (void)match::AttachFingerCoarseForm(*r);
    e.biometrics.push_back(std::move(*r));
  }
  for (const auto& c : args.consents) e.consents.push_back({Id(), c, true, ""});
  auto kind = ParseEncounterKind(args.kind);
  if (!kind.ok()) return ctx.Fail(kind.status());
  e.encounter.kind = *kind;
  e.encounter.place = args.place;
  e.encounter.officer = args.officer.empty() ? ctx.actor : args.officer;

  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  if (mrz && !args.allow_duplicate) {
    auto holders = (*store)->FindByDocument(mrz->issuing_state, mrz->document_number, MakeActor(ctx, "enrollment"));
    if (!holders.ok()) return ctx.Fail(holders.status());
    if (!holders->empty()) {
      if (args.json) *ctx.out << nlohmann::json{{"existing_profile", holders->front().ToString()}}.dump(2) << "\n";
      return ctx.Fail(Status::AlreadyExists("document " + mrz->issuing_state + " " + mrz->document_number +
                                            " is already enrolled in profile " + holders->front().ToString() +
                                            "; nothing was stored (--allow-duplicate-document overrides)"),
                      kExitInvalid);
    }
  }
  if (mrz && mrz->valid() && !mrz->expiry_date.empty() && mrz->expiry_date < ctx.clock->Today().ToString()) {
    *ctx.err << "idreg: warning: the document expired on " << mrz->expiry_date << "\n";
  }
  auto id = (*store)->Enroll(e, MakeActor(ctx, "enrollment"));
  if (!id.ok()) return ctx.Fail(id.status());
  if (args.json) {
    nlohmann::json j = {{"id", id->ToString()}, {"attributes", e.attributes.size()},
                        {"biometrics", e.biometrics.size()}, {"mrz_valid", mrz ? mrz->valid() : false}};
    *ctx.out << j.dump(2) << "\n";
  } else {
    *ctx.out << id->ToString() << "\n";
  }
}

}  // namespace

void AddProfileCreate(CLI::App& profile, Context& ctx) {
  auto args = std::make_shared<CreateArgs>();
  auto* cmd = profile.add_subcommand("create", "Enroll a new person (one transaction, audited)");
  cmd->add_option("--mrz", args->mrz, "The document's MRZ, lines joined by '|'");
  cmd->add_option("--declare", args->declared, "A declared attribute NAME=VALUE (repeatable)");
  cmd->add_option("--sample", args->samples, "A biometric sample MODALITY[/POSITION]=FILE, sealed at rest (repeatable)");
  cmd->add_option("--consent", args->consents, "A purpose the person consents to (repeatable)");
  cmd->add_option("--encounter", args->kind, "enrollment, border_entry or consular_registration")->capture_default_str();
  cmd->add_option("--place", args->place, "Where the encounter happens");
  cmd->add_option("--officer", args->officer, "The officer; default the actor");
  cmd->add_flag("--allow-invalid-mrz", args->allow_invalid, "Store an MRZ that fails its check digits, flagged");
  cmd->add_flag("--allow-duplicate-document", args->allow_duplicate,
                "Enroll even when the document is already in another profile");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] { RunCreate(ctx, *args); });
}

}  // namespace idreg::cli
