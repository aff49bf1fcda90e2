// Service API keys and free-standing audit entries in the SQLite store.
#include "registry/sqlite_store.h"

namespace idreg {

Status SqliteStore::RecordAudit(const Actor& actor, const std::string& action, const std::string& object,
                                const std::string& detail) {
  // A refused request may come with no purpose: record it anyway, it is what auditors look for.
  if (actor.name.empty() || actor.role.empty()) return Status::InvalidArgument("an audit entry needs an actor and role");
  if (action.empty()) return Status::InvalidArgument("an audit entry needs an action");
  return AppendAuditGrouped(actor, action, object, detail);
}

Status SqliteStore::CreateApiKey(const ApiKeyRecord& key, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  if (key.id.empty() || key.secret_hash.empty() || key.role.empty()) {
    return Status::InvalidArgument("an API key needs an id, a secret hash and a role");
  }
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO api_key (id, secret_hash, role, label, created_at,"
                                               " revoked_at) VALUES (?,?,?,?,?,'')"));
  IDREG_RETURN_IF_ERROR(st.Bind(1, key.id.ToString()).Bind(2, key.secret_hash).Bind(3, key.role).Bind(4, key.label)
                            .Bind(5, Now()).Run());
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "key.create", key.id.ToString(), "role=" + key.role));
  return txn->Commit();
}

namespace {

constexpr char kKeyColumns[] = "SELECT id, secret_hash, role, label, created_at, revoked_at FROM api_key";

Result<ApiKeyRecord> ReadKey(const sqlite::Statement& st) {
  auto id = Id::Parse(st.Text(0));
  if (!id.ok()) return Status::Corruption("api_key row has a malformed id");
  return ApiKeyRecord{*id, st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)};
}

}  // namespace

Result<ApiKeyRecord> SqliteStore::GetApiKey(const Id& id) {
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(std::string(kKeyColumns) + " WHERE id = ?"));
  st.Bind(1, id.ToString());
  IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("API key " + id.ToString());
  return ReadKey(st);
}

Result<std::vector<ApiKeyRecord>> SqliteStore::ListApiKeys() {
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(std::string(kKeyColumns) + " ORDER BY created_at, id"));
  std::vector<ApiKeyRecord> out;
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    IDREG_ASSIGN_OR_RETURN(auto k, ReadKey(st));
    out.push_back(std::move(k));
  }
  return out;
}

Status SqliteStore::RevokeApiKey(const Id& id, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at = ''"));
  IDREG_RETURN_IF_ERROR(st.Bind(1, Now()).Bind(2, id.ToString()).Run());
  if (sqlite3_changes(db_->handle()) == 0) return Status::NotFound("valid API key " + id.ToString());
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "key.revoke", id.ToString(), ""));
  return txn->Commit();
}

}  // namespace idreg
