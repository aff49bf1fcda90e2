#include <filesystem>

#include "cli/cli.h"
#include "cli/store_access.h"

namespace idreg::cli {
namespace {

void RunInit(Context& ctx) {
  if (Status s = Store::CheckUrl(ctx.store_url); !s.ok()) return ctx.Fail(s);
  constexpr std::string_view kSqlite = "sqlite:";
  bool existed = false;
  if (ctx.store_url.rfind(kSqlite, 0) == 0) {
    std::filesystem::path db = ctx.store_url.substr(kSqlite.size());
    existed = std::filesystem::exists(db);
    std::error_code ec;
    if (!db.parent_path().empty()) std::filesystem::create_directories(db.parent_path(), ec);
  }
  auto env_key = std::getenv("IDREG_MASTER_KEY");
  std::shared_ptr<const MasterKey> key;
  std::string key_note;
  if (env_key && *env_key) {
    auto k = MasterKey::FromBase64(env_key);
    if (!k.ok()) return ctx.Fail(k.status().WithContext("IDREG_MASTER_KEY"));
    key = *k;
    key_note = "master key: from IDREG_MASTER_KEY";
  } else {
    auto path = KeyFilePath(ctx);
    if (!path.ok()) return ctx.Fail(path.status());
    std::filesystem::path parent = std::filesystem::path(*path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    auto loaded = MasterKey::Load(*path);
    if (loaded.ok()) {
      key = *loaded;
      key_note = "master key: " + *path + " (existing)";
    } else if (loaded.status().code() == StatusCode::kNotFound && existed) {
      return ctx.Fail(Status::NotFound("the store exists but its master key file " + *path +
                                       " does not; restore the key file or set IDREG_MASTER_KEY"));
    } else if (loaded.status().code() == StatusCode::kNotFound) {
      key = MasterKey::Generate();
      if (Status s = MasterKey::Create(*path, *key); !s.ok()) return ctx.Fail(s);
      key_note = "master key: " + *path + " (created, mode 0600; keep a copy apart from the store)";
    } else {
      return ctx.Fail(loaded.status());
    }
  }
  StoreOptions options;
  options.master_key = key;
  options.clock = ctx.clock;
  options.create_if_missing = true;
  auto store = Store::Open(ctx.store_url, options);
  if (!store.ok()) return ctx.Fail(store.status());
  *ctx.out << (existed ? "store: " + ctx.store_url + " (existing, up to date)" : "store: " + ctx.store_url + " (created)")
           << "\n" << key_note << "\n";
}

}  // namespace

void AddInitCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("init", "Create the store and its master key (idempotent)");
  cmd->callback([&ctx] { RunInit(ctx); });
}

}  // namespace idreg::cli
