#include "idreg/registry/store.h"

#include "registry/sqlite_store.h"

namespace idreg {
namespace {

constexpr std::string_view kSqlite = "sqlite:";

}  // namespace

Status Store::CheckUrl(const std::string& url) {
  if (url.rfind(kSqlite, 0) == 0) {
    if (url.size() == kSqlite.size()) {
      return Status::InvalidArgument("store URL 'sqlite:' needs a path, e.g. sqlite:./var/idreg.db");
    }
    return Status::Ok();
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Status::Unavailable("the PostgreSQL backend is not part of this build yet; use sqlite:PATH");
  }
  return Status::InvalidArgument("unknown store URL '" + url + "': expected sqlite:PATH");
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, const StoreOptions& options) {
  IDREG_RETURN_IF_ERROR(CheckUrl(url));
  if (!options.master_key) return Status::InvalidArgument("a master key is required to open a store");
  if (!options.clock) return Status::InvalidArgument("a clock is required to open a store");
  return SqliteStore::Open(url.substr(kSqlite.size()), options);
}

}  // namespace idreg
