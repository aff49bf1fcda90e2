// Erasure and the audit chain of the SQLite store.
#include "registry/sqlite_store.h"

namespace idreg {

Status SqliteStore::EraseProfile(const ProfileId& id, const std::string& reason, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  if (reason.empty()) return Status::InvalidArgument("an erasure needs a reason");
  std::lock_guard lock(mu_);
  {
    IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
    IDREG_ASSIGN_OR_RETURN(bool exists, PersonExists(id));
    if (!exists) return Status::NotFound("profile " + id.ToString());
    // The wrapped data key goes first: even a copy of the database taken before the
    // checkpoint below can no longer open this person's payloads (crypto-shredding).
    IDREG_ASSIGN_OR_RETURN(auto key, db_->Prepare("DELETE FROM person_key WHERE person_id = ?"));
    IDREG_RETURN_IF_ERROR(key.Bind(1, id.ToString()).Run());
    IDREG_ASSIGN_OR_RETURN(auto del, db_->Prepare("DELETE FROM person WHERE id = ?"));
    IDREG_RETURN_IF_ERROR(del.Bind(1, id.ToString()).Run());
    IDREG_RETURN_IF_ERROR(AppendAudit(actor, "profile.erase", id.ToString(), "reason=" + reason));
    IDREG_RETURN_IF_ERROR(txn->Commit());
  }
  // secure_delete zeroed the rows in the new page images; checkpointing and truncating the WAL
  // drops the older page images that still held them. Best effort: a reader in another
  // process may hold the WAL open, in which case the next checkpoint finishes the job.
  (void)db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return Status::Ok();
}

namespace {

AuditEntry ReadEntry(const sqlite::Statement& st) {
  AuditEntry e;
  e.seq = st.Int(0);
  e.at = st.Text(1);
  e.actor = st.Text(2);
  e.role = st.Text(3);
  e.purpose = st.Text(4);
  e.action = st.Text(5);
  e.object = st.Text(6);
  e.detail = st.Text(7);
  e.prev_hash = st.Text(8);
  e.hash = st.Text(9);
  e.mac = st.Text(10);
  return e;
}

constexpr char kAuditColumns[] = "SELECT seq, at, actor, role, purpose, action, object, detail, prev_hash, hash,"
                                 " mac FROM audit";

}  // namespace

Result<std::vector<AuditEntry>> SqliteStore::ReadAudit(const AuditQuery& query) {
  std::lock_guard lock(mu_);
  std::string sql = std::string(kAuditColumns) + " WHERE seq > ?";
  if (query.object) sql += " AND object = ?";
  sql += " ORDER BY seq";
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(sql));
  st.Bind(1, query.after_seq);
  if (query.object) st.Bind(2, query.object->ToString());
  std::vector<AuditEntry> out;
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadEntry(st));
  }
  return out;
}

Result<AuditVerification> SqliteStore::VerifyAudit() {
  std::lock_guard lock(mu_);
  // One read transaction: the entries and the head are seen at the same instant.
  IDREG_ASSIGN_OR_RETURN(auto read, sqlite::ReadTransaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(std::string(kAuditColumns) + " ORDER BY seq"));
  AuditChainVerifier verifier(audit_key_);
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (!verifier.Add(ReadEntry(st))) break;
  }
  int64_t head_seq = 0;
  std::string head_hash = kAuditGenesisHash, head_mac;
  IDREG_ASSIGN_OR_RETURN(auto meta, db_->Prepare("SELECT key, value FROM meta WHERE key LIKE 'audit_head_%'"));
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, meta.Step());
    if (!row) break;
    std::string k = meta.Text(0);
    if (k == "audit_head_seq") head_seq = std::atoll(meta.Text(1).c_str());
    if (k == "audit_head_hash") head_hash = meta.Text(1);
    if (k == "audit_head_mac") head_mac = meta.Text(1);
  }
  return verifier.Finish(head_seq, head_hash, head_mac);
}

}  // namespace idreg
