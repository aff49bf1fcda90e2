// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed binds
// and columns, and a scoped transaction. Every failure becomes a Status naming the SQL error.
#ifndef IDREG_SRC_REGISTRY_SQLITE_DB_H_
#define IDREG_SRC_REGISTRY_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"

namespace idreg::sqlite {

class Statement;

class Db {
 public:
  // flags: SQLITE_OPEN_READWRITE [| SQLITE_OPEN_CREATE].
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int flags);
  ~Db();

  Status Exec(const std::string& sql);
  // Statements are cached by their SQL text: a Statement returns its handle to the cache, reset,
  // when destroyed, so the same SQL is compiled once per connection.
  Result<Statement> Prepare(const std::string& sql);
  sqlite3* handle() { return db_; }
  Status Error(const std::string& what) const;

 private:
  friend class Statement;
  explicit Db(sqlite3* db) : db_(db) {}
  void Release(const std::string& sql, sqlite3_stmt* stmt);

  sqlite3* db_;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> cache_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)), bind_error_(std::move(other.bind_error_)) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds are 1-based, in the order of the '?' placeholders.
  Statement& Bind(int index, const std::string& v);
  Statement& Bind(int index, int64_t v);
  Statement& Bind(int index, double v);
  Statement& BindBlob(int index, const Bytes& v);
  Statement& BindNull(int index);

  // True when a row is ready, false when done; an error Status otherwise.
  Result<bool> Step();
  // Steps to completion, expecting no rows back.
  Status Run();
  Status Reset();

  std::string Text(int col) const;
  int64_t Int(int col) const;
  double Real(int col) const;
  Bytes Blob(int col) const;
  bool IsNull(int col) const;

 private:
  friend class Db;
  Statement(Db* db, sqlite3_stmt* stmt, std::string sql) : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  Db* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  Status bind_error_;
};

// BEGIN IMMEDIATE on construction (takes the write lock at once, so two writers never deadlock
// on an upgrade), ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Db& db);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db& db) : db_(db) {}
  Db& db_;
  bool done_ = false;
};

// BEGIN (deferred: a snapshot for reading, no write lock) on construction, COMMIT on destruction.
class ReadTransaction {
 public:
  static Result<std::unique_ptr<ReadTransaction>> Begin(Db& db);
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Db& db) : db_(db) {}
  Db& db_;
};

}  // namespace idreg::sqlite

#endif  // IDREG_SRC_REGISTRY_SQLITE_DB_H_
