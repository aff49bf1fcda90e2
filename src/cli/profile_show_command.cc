// idreg profile show: an audited read of one whole profile, for a stated purpose.
#include <iomanip>

#include "cli/profile_commands.h"
#include "idreg/service/profile_json.h"
#include "cli/store_access.h"

namespace idreg::cli {
using service::AuditEntryToJson;
using service::PayloadFingerprint;
using service::ProfileToJson;
using service::SummaryToJson;
namespace {

struct ShowArgs {
  std::string id;
  std::string purpose;
  bool json = false;
};

void PrintText(std::ostream& out, const Profile& p) {
  out << "profile " << p.id.ToString() << "  (created " << p.created_at << ", updated " << p.updated_at << ")\n";
  out << "attributes:\n";
  for (const auto& a : p.attributes) {
    out << "  " << std::left << std::setw(14) << a.name << std::setw(28) << a.value;
    if (a.provenance.kind == Provenance::Kind::kDocument) {
      out << "from " << a.provenance.source << " of " << a.provenance.document_type << " "
          << a.provenance.issuing_state << " " << a.provenance.document_number;
    } else {
      out << a.provenance.source;
    }
    out << "\n";
  }
  if (!p.documents.empty()) out << "documents:\n";
  for (const auto& d : p.documents) {
    out << "  " << d.format << " " << d.document_type << " " << d.issuing_state << " " << d.number << ", expires "
        << d.expiry_date << (d.mrz_valid ? ", MRZ checks hold" : ", MRZ FAILED its checks") << "\n";
  }
  out << "encounters:\n";
  for (const auto& e : p.encounters) {
    out << "  " << e.occurred_at << "  " << EncounterKindName(e.kind) << (e.place.empty() ? "" : " at " + e.place)
        << (e.officer.empty() ? "" : " by " + e.officer) << "\n";
  }
  if (!p.biometrics.empty()) out << "biometrics (sealed at rest):\n";
  for (const auto& b : p.biometrics) {
    out << "  " << b.modality << (b.position.empty() ? "" : "/" + b.position) << "  " << b.format << "  "
        << b.payload.size() << " bytes  " << PayloadFingerprint(b.payload) << "\n";
  }
  if (!p.consents.empty()) out << "consents:\n";
  for (const auto& c : p.consents) {
    out << "  " << c.purpose << (c.granted ? " granted " : " refused ") << c.recorded_at << "\n";
  }
}

void RunShow(Context& ctx, const ShowArgs& args) {
  auto id = Id::Parse(args.id);
  if (!id.ok()) return ctx.Fail(id.status().WithContext("profile id"));
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto p = (*store)->GetProfile(*id, MakeActor(ctx, args.purpose));
  if (!p.ok()) return ctx.Fail(p.status());
  if (args.json) {
    *ctx.out << ProfileToJson(*p).dump(2) << "\n";
  } else {
    PrintText(*ctx.out, *p);
  }
}

}  // namespace

void AddProfileShow(CLI::App& profile, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd = profile.add_subcommand("show", "Show one profile (audited: a purpose is required)");
  cmd->add_option("id", args->id, "Profile id (26 characters)")->required();
  cmd->add_option("--purpose", args->purpose, "Why you read this profile (recorded in the audit log)")->required();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] { RunShow(ctx, *args); });
}

}  // namespace idreg::cli
