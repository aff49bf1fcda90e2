#include "idreg/registry/store.h"

#include "registry/sqlite_store.h"

namespace idreg {

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, const StoreOptions& options) {
  if (!options.master_key) return Status::InvalidArgument("a master key is required to open a store");
  if (!options.clock) return Status::InvalidArgument("a clock is required to open a store");
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.rfind(kSqlite, 0) == 0) {
    std::string path = url.substr(kSqlite.size());
    if (path.empty()) return Status::InvalidArgument("store URL 'sqlite:' needs a path, e.g. sqlite:./var/idreg.db");
    return SqliteStore::Open(path, options);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Status::Unavailable("the PostgreSQL backend is not part of this build yet; use sqlite:PATH");
  }
  return Status::InvalidArgument("unknown store URL '" + url + "': expected sqlite:PATH");
}

}  // namespace idreg
