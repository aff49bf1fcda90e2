#include "registry/sqlite_db.h"

namespace idreg::sqlite {

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    if (rc == SQLITE_CANTOPEN) return Status::NotFound("cannot open SQLite store " + path + ": " + msg);
    return Status::Unavailable("cannot open SQLite store " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
  // Other processes may hold the write lock briefly (another idreg command); wait for it.
  sqlite3_busy_timeout(raw, 10000);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() {
  for (auto& [sql, stmts] : cache_) {
    for (sqlite3_stmt* st : stmts) sqlite3_finalize(st);
  }
  sqlite3_close_v2(db_);
}

void Db::Release(const std::string& sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  cache_[sql].push_back(stmt);
}

Status Db::Error(const std::string& what) const {
  int rc = sqlite3_errcode(db_);
  std::string msg = what + ": " + sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return Status::Unavailable(msg);
    case SQLITE_CONSTRAINT:
      return Status::AlreadyExists(msg);
    default:
      return Status::Internal(msg);
  }
}

Status Db::Exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("SQL failed (" + sql.substr(0, 60) + ")");
  }
  return Status::Ok();
}

Result<Statement> Db::Prepare(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end() && !it->second.empty()) {
    sqlite3_stmt* stmt = it->second.back();
    it->second.pop_back();
    return Statement(this, stmt, sql);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return Error("cannot prepare SQL (" + sql.substr(0, 60) + ")");
  }
  return Statement(this, stmt, sql);
}

Statement::~Statement() {
  if (stmt_) db_->Release(sql_, stmt_);
}

Statement& Statement::Bind(int i, const std::string& v) {
  if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    bind_error_ = db_->Error("bind");
  return *this;
}
Statement& Statement::Bind(int i, int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) bind_error_ = db_->Error("bind");
  return *this;
}
Statement& Statement::Bind(int i, double v) {
  if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) bind_error_ = db_->Error("bind");
  return *this;
}
Statement& Statement::BindBlob(int i, const Bytes& v) {
  // A zero-length blob must still be a blob, not NULL: pass a valid pointer.
  static const uint8_t kEmpty = 0;
  const void* p = v.empty() ? &kEmpty : v.data();
  if (sqlite3_bind_blob(stmt_, i, p, static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    bind_error_ = db_->Error("bind");
  return *this;
}
Statement& Statement::BindNull(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) bind_error_ = db_->Error("bind");
  return *this;
}

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error("SQL step failed");
}

Status Statement::Run() {
  auto r = Step();
  if (!r.ok()) return r.status();
  if (*r) return Status::Internal("SQL statement returned rows where none were expected");
  return Status::Ok();
}

Status Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = Status::Ok();
  return Status::Ok();
}

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}
int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Real(int col) const { return sqlite3_column_double(stmt_, col); }
Bytes Statement::Blob(int col) const {
  const uint8_t* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? Bytes(p, p + n) : Bytes();
}
bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Result<std::unique_ptr<Transaction>> Transaction::Begin(Db& db) {
  IDREG_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  IDREG_RETURN_IF_ERROR(db_.Exec("COMMIT"));
  done_ = true;
  return Status::Ok();
}

Result<std::unique_ptr<ReadTransaction>> ReadTransaction::Begin(Db& db) {
  IDREG_RETURN_IF_ERROR(db.Exec("BEGIN"));
  return std::unique_ptr<ReadTransaction>(new ReadTransaction(db));
}

ReadTransaction::~ReadTransaction() { (void)db_.Exec("COMMIT"); }

}  // namespace idreg::sqlite

