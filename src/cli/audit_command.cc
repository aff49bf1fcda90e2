// idreg audit verify / log.
#include <iomanip>

#include <nlohmann/json.hpp>

#include "idreg/service/profile_json.h"
#include "cli/store_access.h"

namespace idreg::cli {
using service::AuditEntryToJson;
using service::PayloadFingerprint;
using service::ProfileToJson;
using service::SummaryToJson;
namespace {

struct LogArgs {
  std::string profile;
  int64_t limit = 0;
  bool json = false;
};

void RunVerify(Context& ctx) {
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto v = (*store)->VerifyAudit();
  if (!v.ok()) return ctx.Fail(v.status());
  if (v->ok) {
    *ctx.out << "audit chain intact: " << v->entries << " entries, head " << v->head_hash << "\n";
    return;
  }
  *ctx.out << "audit chain BROKEN at entry " << v->first_bad_seq << ": " << v->problem << "\n";
  ctx.exit_code = kExitInvalid;
}

void RunLog(Context& ctx, const LogArgs& args) {
  AuditQuery q;
  if (!args.profile.empty()) {
    auto id = Id::Parse(args.profile);
    if (!id.ok()) return ctx.Fail(id.status().WithContext("--profile"));
    q.object = *id;
  }
  q.limit = args.limit;
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto entries = (*store)->ReadAudit(q);
  if (!entries.ok()) return ctx.Fail(entries.status());
  if (args.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& e : *entries) j.push_back(AuditEntryToJson(e));
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  for (const auto& e : *entries) {
    *ctx.out << std::right << std::setw(6) << e.seq << "  " << e.at << "  " << std::left << std::setw(16) << e.action
             << std::setw(27) << (e.object.empty() ? "-" : e.object) << e.actor << " (" << e.role << ") for '"
             << e.purpose << "'" << (e.detail.empty() ? "" : "  " + e.detail) << "\n";
  }
}

}  // namespace

void AddAuditCommands(CLI::App& app, Context& ctx) {
  auto* audit = app.add_subcommand("audit", "Read and verify the tamper-evident audit log");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "Check the whole hash chain; exit 1 naming the first bad entry")
      ->callback([&ctx] { RunVerify(ctx); });
  auto args = std::make_shared<LogArgs>();
  auto* log = audit->add_subcommand("log", "Print audit entries, oldest first");
  log->add_option("--profile", args->profile, "Only entries about this profile");
  log->add_option("--limit", args->limit, "At most this many entries");
  log->add_flag("--json", args->json, "Print JSON");
  log->callback([&ctx, args] { RunLog(ctx, *args); });
}

}  // namespace idreg::cli
