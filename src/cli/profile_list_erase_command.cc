// idreg profile list / erase.
#include <iomanip>

#include <nlohmann/json.hpp>

#include "cli/profile_commands.h"
#include "idreg/service/profile_json.h"
#include "cli/store_access.h"

namespace idreg::cli {
using service::AuditEntryToJson;
using service::PayloadFingerprint;
using service::ProfileToJson;
using service::SummaryToJson;
namespace {

struct ListArgs {
  std::string purpose = "registry administration";
  bool json = false;
};

struct EraseArgs {
  std::string id;
  std::string reason;
};

void RunList(Context& ctx, const ListArgs& args) {
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto list = (*store)->ListProfiles(MakeActor(ctx, args.purpose));
  if (!list.ok()) return ctx.Fail(list.status());
  if (args.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& s : *list) j.push_back(SummaryToJson(s));
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  *ctx.out << std::left << std::setw(28) << "ID" << std::setw(20) << "SURNAME" << std::setw(20) << "GIVEN NAMES"
           << std::setw(12) << "BORN" << std::setw(5) << "NAT" << "BIOMETRICS\n";
  for (const auto& s : *list) {
    *ctx.out << std::setw(28) << s.id.ToString() << std::setw(20) << s.surname << std::setw(20) << s.given_names
             << std::setw(12) << s.birth_date << std::setw(5) << s.nationality << s.biometric_count << "\n";
  }
  *ctx.out << list->size() << " profile" << (list->size() == 1 ? "" : "s") << "\n";
}

void RunErase(Context& ctx, const EraseArgs& args) {
  auto id = Id::Parse(args.id);
  if (!id.ok()) return ctx.Fail(id.status().WithContext("profile id"));
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  Status s = (*store)->EraseProfile(*id, args.reason, MakeActor(ctx, "erasure"));
  if (!s.ok()) return ctx.Fail(s);
  *ctx.out << "erased " << id->ToString() << ": data key destroyed, rows deleted; the audit log keeps the erasure\n";
}

}  // namespace

void AddProfileListAndErase(CLI::App& profile, Context& ctx) {
  auto list = std::make_shared<ListArgs>();
  auto* l = profile.add_subcommand("list", "List every profile (audited)");
  l->add_option("--purpose", list->purpose, "Why you list the registry")->capture_default_str();
  l->add_flag("--json", list->json, "Print JSON");
  l->callback([&ctx, list] { RunList(ctx, *list); });

  auto erase = std::make_shared<EraseArgs>();
  auto* e = profile.add_subcommand("erase", "Erase a person: destroy their data key and rows (audited)");
  e->add_option("id", erase->id, "Profile id")->required();
  e->add_option("--reason", erase->reason, "Legal ground or request reference (no personal data)")->required();
  e->callback([&ctx, erase] { RunErase(ctx, *erase); });
}

}  // namespace idreg::cli
