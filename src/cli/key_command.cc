// idreg key create|list|revoke: the service's API keys.
#include <iomanip>

#include "cli/cli.h"
#include "cli/store_access.h"
#include "idreg/service/api_keys.h"

namespace idreg::cli {
namespace {

struct KeyArgs {
  std::string role;
  std::string label;
  std::string id;
};

void RunCreate(Context& ctx, const KeyArgs& a) {
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto key = service::CreateApiKey(**store, a.role, a.label, MakeActor(ctx, "administration"));
  if (!key.ok()) return ctx.Fail(key.status());
  *ctx.out << key->token << "\n";
  *ctx.err << "idreg: API key " << key->id.ToString() << " (" << a.role
           << ") created; the line above is shown once and is not stored\n";
}

void RunList(Context& ctx) {
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto keys = (*store)->ListApiKeys();
  if (!keys.ok()) return ctx.Fail(keys.status());
  *ctx.out << std::left << std::setw(28) << "ID" << std::setw(18) << "ROLE" << std::setw(26) << "CREATED" << "STATE  LABEL\n";
  for (const auto& k : *keys) {
    *ctx.out << std::setw(28) << k.id.ToString() << std::setw(18) << k.role << std::setw(26) << k.created_at
             << (k.revoked_at.empty() ? "valid  " : "revoked ") << k.label << "\n";
  }
}

void RunRevoke(Context& ctx, const KeyArgs& a) {
  auto id = Id::Parse(a.id);
  if (!id.ok()) return ctx.Fail(id.status().WithContext("key id"));
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status s = (*store)->RevokeApiKey(*id, MakeActor(ctx, "administration")); !s.ok()) return ctx.Fail(s);
  *ctx.out << "revoked " << id->ToString() << " (running servers forget it within a minute)\n";
}

}  // namespace

void AddKeyCommands(CLI::App& app, Context& ctx) {
  auto* key = app.add_subcommand("key", "API keys of the service (one role each)");
  key->require_subcommand(1);
  auto args = std::make_shared<KeyArgs>();
  auto* create = key->add_subcommand("create", "Create a key; prints it once");
  create->add_option("--role", args->role, "border_officer, consular_officer, adjudicator, auditor or admin")
      ->required();
  create->add_option("--label", args->label, "Who or what holds the key");
  create->callback([&ctx, args] { RunCreate(ctx, *args); });
  key->add_subcommand("list", "List keys (never their secrets)")->callback([&ctx] { RunList(ctx); });
  auto* revoke = key->add_subcommand("revoke", "Revoke a key");
  revoke->add_option("id", args->id, "Key id")->required();
  revoke->callback([&ctx, args] { RunRevoke(ctx, *args); });
}

}  // namespace idreg::cli
