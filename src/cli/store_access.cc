#include "cli/store_access.h"

#include <cstdlib>

namespace idreg::cli {

Result<std::string> KeyFilePath(const Context& ctx) {
  if (!ctx.key_file.empty()) return ctx.key_file;
  constexpr std::string_view kSqlite = "sqlite:";
  if (ctx.store_url.rfind(kSqlite, 0) == 0 && ctx.store_url != "sqlite::memory:") {
    return ctx.store_url.substr(kSqlite.size()) + ".key";
  }
  return Status::InvalidArgument("no master key: set IDREG_MASTER_KEY, or give --key-file / IDREG_KEY_FILE");
}

Result<std::shared_ptr<const MasterKey>> LoadMasterKey(const Context& ctx) {
  if (const char* env = std::getenv("IDREG_MASTER_KEY"); env && *env) {
    auto key = MasterKey::FromBase64(env);
    if (!key.ok()) return key.status().WithContext("IDREG_MASTER_KEY");
    return key;
  }
  IDREG_ASSIGN_OR_RETURN(std::string path, KeyFilePath(ctx));
  return MasterKey::Load(path);
}

Result<std::unique_ptr<Store>> OpenStore(const Context& ctx) {
  IDREG_RETURN_IF_ERROR(Store::CheckUrl(ctx.store_url));
  IDREG_ASSIGN_OR_RETURN(auto key, LoadMasterKey(ctx));
  StoreOptions options;
  options.master_key = key;
  options.clock = ctx.clock;
  return Store::Open(ctx.store_url, options);
}

Actor MakeActor(const Context& ctx, std::string purpose) {
  return Actor{ctx.actor, ctx.role, std::move(purpose)};
}

}  // namespace idreg::cli
