// Watchlists in the SQLite store: named lists of persons, audited like every other operation.
#include "registry/sqlite_store.h"

namespace idreg {
namespace {

Status CheckWatchlistName(const std::string& name) {
  if (name.empty() || name.size() > 64) return Status::InvalidArgument("a watchlist name needs 1 to 64 characters");
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return Status::InvalidArgument("watchlist name '" + name + "': only A-Z a-z 0-9 . _ - are allowed");
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::AddToWatchlist(const std::string& name, const ProfileId& id, const std::string& reason,
                                   const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  IDREG_RETURN_IF_ERROR(CheckWatchlistName(name));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(bool exists, PersonExists(id));
  if (!exists) return Status::NotFound("profile " + id.ToString());
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT 1 FROM watchlist_member WHERE watchlist = ? AND person_id = ?"));
    st.Bind(1, name).Bind(2, id.ToString());
    IDREG_ASSIGN_OR_RETURN(bool member, st.Step());
    if (member) return Status::AlreadyExists("profile " + id.ToString() + " is already on watchlist " + name);
  }
  IDREG_ASSIGN_OR_RETURN(auto ins, db_->Prepare("INSERT INTO watchlist_member (watchlist, person_id, reason, added_at)"
                                                " VALUES (?,?,?,?)"));
  IDREG_RETURN_IF_ERROR(ins.Bind(1, name).Bind(2, id.ToString()).Bind(3, reason).Bind(4, Now()).Run());
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "watchlist.add", id.ToString(), "watchlist=" + name));
  return txn->Commit();
}

Status SqliteStore::RemoveFromWatchlist(const std::string& name, const ProfileId& id, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  IDREG_RETURN_IF_ERROR(CheckWatchlistName(name));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("DELETE FROM watchlist_member WHERE watchlist = ? AND person_id = ?"));
  IDREG_RETURN_IF_ERROR(st.Bind(1, name).Bind(2, id.ToString()).Run());
  if (sqlite3_changes(db_->handle()) == 0) {
    return Status::NotFound("profile " + id.ToString() + " is not on watchlist " + name);
  }
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "watchlist.remove", id.ToString(), "watchlist=" + name));
  return txn->Commit();
}

Result<std::vector<WatchlistEntry>> SqliteStore::ListWatchlist(const std::string& name, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  if (!name.empty()) IDREG_RETURN_IF_ERROR(CheckWatchlistName(name));
  std::lock_guard lock(mu_);
  {
    IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
    IDREG_RETURN_IF_ERROR(AppendAudit(actor, "watchlist.read", "", "watchlist=" + (name.empty() ? "*" : name)));
    IDREG_RETURN_IF_ERROR(txn->Commit());
  }
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(name.empty()
                                                   ? "SELECT watchlist, person_id, reason, added_at FROM"
                                                     " watchlist_member ORDER BY watchlist, added_at, person_id"
                                                   : "SELECT watchlist, person_id, reason, added_at FROM"
                                                     " watchlist_member WHERE watchlist = ?"
                                                     " ORDER BY added_at, person_id"));
  if (!name.empty()) st.Bind(1, name);
  std::vector<WatchlistEntry> out;
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto id = Id::Parse(st.Text(1));
    if (!id.ok()) return Status::Corruption("watchlist_member row has a malformed id");
    out.push_back({st.Text(0), *id, st.Text(2), st.Text(3)});
  }
  return out;
}

}  // namespace idreg
