// Opening, migrating and writing to the SQLite store.
#include "registry/sqlite_store.h"

#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "registry/schema.h"

namespace idreg {
namespace {

Result<std::string> MetaValue(sqlite::Db& db, const std::string& key) {
  IDREG_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, key);
  IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("meta key " + key);
  return st.Text(0);
}

Status SetMeta(sqlite::Db& db, const std::string& key, const std::string& value) {
  IDREG_ASSIGN_OR_RETURN(auto st, db.Prepare("INSERT INTO meta (key, value) VALUES (?, ?)"
                                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  return st.Bind(1, key).Bind(2, value).Run();
}

}  // namespace

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path, const StoreOptions& options) {
  bool memory = path == ":memory:";
  struct stat st;
  bool exists = memory || ::stat(path.c_str(), &st) == 0;
  if (!exists && !options.create_if_missing) {
    return Status::NotFound("store " + path + " does not exist (run idreg init)");
  }
  int flags = SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
  IDREG_ASSIGN_OR_RETURN(auto db, sqlite::Db::Open(path, flags));
  // WAL: readers never block the writer; FULL: the WAL is synced at every commit, so what we
  // report as committed survives a crash or power loss.
  // Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is locked"
  // at once (without its busy handler) when several processes open the same new store together:
  // retry for up to two seconds.
  Status wal = db->Exec("PRAGMA journal_mode = WAL");
  for (int attempt = 0; !wal.ok() && attempt < 100; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    wal = db->Exec("PRAGMA journal_mode = WAL");
  }
  if (!wal.ok()) return wal.WithContext("store " + path);
  for (const char* pragma : {"PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA secure_delete = ON"}) {
    auto s = db->Exec(pragma);
    if (!s.ok()) return s.WithContext("store " + path);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), options));
  IDREG_RETURN_IF_ERROR(store->Migrate(!exists).WithContext("store " + path));
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::Migrate(bool created) {
  // Statements are scoped: one left stepping would hold a read snapshot, and BEGIN IMMEDIATE
  // below could then fail at once (SQLITE_BUSY_SNAPSHOT) when another process writes first.
  IDREG_ASSIGN_OR_RETURN(int version, SchemaVersion(created));
  if (version > schema::LatestVersion()) {
    return Status::Unavailable("the store has schema version " + std::to_string(version) +
                               ", newer than this idreg understands (" + std::to_string(schema::LatestVersion()) +
                               "); upgrade idreg");
  }
  const auto& migrations = schema::Migrations();
  for (int v = version; v < schema::LatestVersion(); ++v) {
    IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
    // Another process may have migrated while we waited for the write lock.
    IDREG_ASSIGN_OR_RETURN(int now_version, SchemaVersion(false));
    if (now_version > v) {
      v = now_version - 1;
      continue;
    }
    for (const auto& sql : migrations[static_cast<size_t>(v)]) IDREG_RETURN_IF_ERROR(db_->Exec(sql));
    IDREG_RETURN_IF_ERROR(SetMeta(*db_, "schema_version", std::to_string(v + 1)));
    if (v == 0) {
      IDREG_RETURN_IF_ERROR(SetMeta(*db_, "master_key_id", options_.master_key->KeyId()));
      IDREG_RETURN_IF_ERROR(SetMeta(*db_, "created_at", Now()));
    }
    IDREG_RETURN_IF_ERROR(txn->Commit());
  }
  IDREG_ASSIGN_OR_RETURN(std::string key_id, MetaValue(*db_, "master_key_id"));
  if (key_id != options_.master_key->KeyId()) {
    return Status::Unauthenticated("the master key does not belong to this store (key id " +
                                   options_.master_key->KeyId() + ", the store expects " + key_id + ")");
  }
  return Status::Ok();
}

Result<int> SqliteStore::SchemaVersion(bool created) {
  {
    IDREG_ASSIGN_OR_RETURN(auto probe, db_->Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'meta'"));
    IDREG_ASSIGN_OR_RETURN(bool row, probe.Step());
    if (!row || probe.Int(0) == 0) {
      if (created) return 0;
      // An existing file without our tables: refuse rather than write into someone else's database.
      IDREG_ASSIGN_OR_RETURN(auto any, db_->Prepare("SELECT count(*) FROM sqlite_master"));
      IDREG_ASSIGN_OR_RETURN(bool r, any.Step());
      if (r && any.Int(0) > 0) return Status::InvalidArgument("the file is an SQLite database but not an idreg store");
      return 0;
    }
  }
  auto v = MetaValue(*db_, "schema_version");
  if (!v.ok()) return Status::Corruption("the store has no schema version");
  return std::atoi(v->c_str());
}

Status SqliteStore::CheckActor(const Actor& actor) const {
  if (actor.name.empty()) return Status::Unauthenticated("no actor: every store operation must say who acts");
  if (actor.role.empty()) return Status::PermissionDenied("actor " + actor.name + " has no role");
  if (actor.purpose.empty()) return Status::PermissionDenied("no purpose given: every access must state one");
  return Status::Ok();
}

Status SqliteStore::AppendAudit(const Actor& actor, const std::string& action, const std::string& object,
                                const std::string& detail) {
  AuditEntry e;
  e.seq = 1;
  e.prev_hash = kAuditGenesisHash;
  {
    IDREG_ASSIGN_OR_RETURN(auto last, db_->Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
    IDREG_ASSIGN_OR_RETURN(bool row, last.Step());
    if (row) {
      e.seq = last.Int(0) + 1;
      e.prev_hash = last.Text(1);
    }
  }
  e.at = Now();
  e.actor = actor.name;
  e.role = actor.role;
  e.purpose = actor.purpose;
  e.action = action;
  e.object = object;
  e.detail = detail;
  SealAuditEntry(e, audit_key_);
  IDREG_ASSIGN_OR_RETURN(auto ins, db_->Prepare("INSERT INTO audit (seq, at, actor, role, purpose, action, object,"
                                                " detail, prev_hash, hash, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  ins.Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.role).Bind(5, e.purpose).Bind(6, e.action);
  ins.Bind(7, e.object).Bind(8, e.detail).Bind(9, e.prev_hash).Bind(10, e.hash).Bind(11, e.mac);
  IDREG_RETURN_IF_ERROR(ins.Run());
  IDREG_RETURN_IF_ERROR(SetMeta(*db_, "audit_head_seq", std::to_string(e.seq)));
  IDREG_RETURN_IF_ERROR(SetMeta(*db_, "audit_head_hash", e.hash));
  return SetMeta(*db_, "audit_head_mac", AuditHeadMac(e.seq, e.hash, audit_key_));
}

Result<bool> SqliteStore::PersonExists(const ProfileId& id) {
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT 1 FROM person WHERE id = ?"));
  st.Bind(1, id.ToString());
  return st.Step();
}

Result<DataKey> SqliteStore::LoadDataKey(const ProfileId& id) {
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT wrapped FROM person_key WHERE person_id = ?"));
  st.Bind(1, id.ToString());
  IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Corruption("profile " + id.ToString() + " has no data key");
  return sealer_.UnwrapDataKey(id, st.Blob(0));
}

Status SqliteStore::Touch(const ProfileId& person, const std::string& now) {
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("UPDATE person SET updated_at = ? WHERE id = ?"));
  return st.Bind(1, now).Bind(2, person.ToString()).Run();
}

Status SqliteStore::InsertAttribute(const ProfileId& person, int64_t ord, const Attribute& a, const std::string& now) {
  if (a.name.empty()) return Status::InvalidArgument("an attribute needs a name");
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO attribute (id, person_id, ord, name, value,"
                                               " source_kind, document_type, issuing_state, document_number,"
                                               " source, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  const Provenance& p = a.provenance;
  st.Bind(1, Id::Random().ToString()).Bind(2, person.ToString()).Bind(3, ord).Bind(4, a.name).Bind(5, a.value);
  st.Bind(6, std::string(p.kind == Provenance::Kind::kDocument ? "document" : "declaration"));
  st.Bind(7, p.document_type).Bind(8, p.issuing_state).Bind(9, p.document_number).Bind(10, p.source);
  return st.Bind(11, p.recorded_at.empty() ? now : p.recorded_at).Run();
}

Status SqliteStore::InsertEncounter(const ProfileId& person, const Encounter& e, const std::string& now,
                                    Id& id_out) {
  id_out = e.id.empty() ? Id::Random() : e.id;
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO encounter (id, person_id, kind, place, officer,"
                                               " occurred_at) VALUES (?,?,?,?,?,?)"));
  st.Bind(1, id_out.ToString()).Bind(2, person.ToString()).Bind(3, std::string(EncounterKindName(e.kind)));
  st.Bind(4, e.place).Bind(5, e.officer).Bind(6, e.occurred_at.empty() ? now : e.occurred_at);
  return st.Run();
}

Status SqliteStore::InsertBiometric(const ProfileId& person, const DataKey& key, const BiometricRecord& r,
                                    const std::string& now, Id& id_out) {
  if (r.modality.empty()) return Status::InvalidArgument("a biometric record needs a modality");
  if (!(r.quality >= 0 && r.quality <= 100)) {
    return Status::InvalidArgument("biometric quality must be within 0..100, got " + std::to_string(r.quality));
  }
  id_out = r.id.empty() ? Id::Random() : r.id;
  Bytes sealed = Sealer::Seal(key, person, id_out, r.payload);
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO biometric (id, person_id, encounter_id, modality,"
                                               " position, format, quality, sealed, created_at)"
                                               " VALUES (?,?,?,?,?,?,?,?,?)"));
  st.Bind(1, id_out.ToString()).Bind(2, person.ToString());
  st.Bind(3, r.encounter_id.empty() ? std::string() : r.encounter_id.ToString());
  st.Bind(4, r.modality).Bind(5, r.position).Bind(6, r.format).Bind(7, r.quality).BindBlob(8, sealed).Bind(9, now);
  IDREG_RETURN_IF_ERROR(st.Run());
  // Derived forms in the same transaction, sealed like the payload (bound to the record and kind).
  for (const DerivedForm& d : r.derived) {
    if (d.kind.empty() || d.kind.size() > 64) {
      return Status::InvalidArgument("a derived form needs a kind of 1 to 64 characters");
    }
    IDREG_ASSIGN_OR_RETURN(auto ins, db_->Prepare("INSERT INTO biometric_derived (biometric_id, person_id, kind,"
                                                  " version, sealed, created_at) VALUES (?,?,?,?,?,?)"));
    ins.Bind(1, id_out.ToString()).Bind(2, person.ToString()).Bind(3, d.kind).Bind(4, int64_t{d.version});
    ins.BindBlob(5, Sealer::SealDerived(key, person, id_out, d.kind, d.payload)).Bind(6, now);
    IDREG_RETURN_IF_ERROR(ins.Run());
  }
  return Status::Ok();
}

Result<ProfileId> SqliteStore::Enroll(const Enrollment& e, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(ProfileId id, InsertEnrollment(e, actor, Now()));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return id;
}

Result<ProfileId> SqliteStore::InsertEnrollment(const Enrollment& e, const Actor& actor, const std::string& now) {
  ProfileId id = ProfileId::Random();
  DataKey key = DataKey::Random();
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO person (id, created_at, updated_at) VALUES (?,?,?)"));
    IDREG_RETURN_IF_ERROR(st.Bind(1, id.ToString()).Bind(2, now).Bind(3, now).Run());
    IDREG_ASSIGN_OR_RETURN(auto k, db_->Prepare("INSERT INTO person_key (person_id, wrapped) VALUES (?,?)"));
    IDREG_RETURN_IF_ERROR(k.Bind(1, id.ToString()).BindBlob(2, sealer_.WrapDataKey(id, key)).Run());
  }
  for (const auto& d : e.documents) {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO document (id, person_id, document_type, format,"
                                                 " issuing_state, number, expiry_date, mrz, mrz_valid, recorded_at)"
                                                 " VALUES (?,?,?,?,?,?,?,?,?,?)"));
    st.Bind(1, (d.id.empty() ? Id::Random() : d.id).ToString()).Bind(2, id.ToString()).Bind(3, d.document_type);
    st.Bind(4, d.format).Bind(5, d.issuing_state).Bind(6, d.number).Bind(7, d.expiry_date).Bind(8, d.mrz);
    st.Bind(9, int64_t{d.mrz_valid}).Bind(10, now);
    IDREG_RETURN_IF_ERROR(st.Run());
  }
  int64_t ord = 0;
  for (const auto& a : e.attributes) IDREG_RETURN_IF_ERROR(InsertAttribute(id, ord++, a, now));
  Id encounter_id;
  IDREG_RETURN_IF_ERROR(InsertEncounter(id, e.encounter, now, encounter_id));
  for (const auto& r : e.biometrics) {
    BiometricRecord rec = r;
    if (rec.encounter_id.empty()) rec.encounter_id = encounter_id;
    Id bid;
    IDREG_RETURN_IF_ERROR(InsertBiometric(id, key, rec, now, bid));
  }
  for (const auto& c : e.consents) {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO consent (id, person_id, purpose, granted, recorded_at)"
                                                 " VALUES (?,?,?,?,?)"));
    st.Bind(1, (c.id.empty() ? Id::Random() : c.id).ToString()).Bind(2, id.ToString()).Bind(3, c.purpose);
    IDREG_RETURN_IF_ERROR(st.Bind(4, int64_t{c.granted}).Bind(5, c.recorded_at.empty() ? now : c.recorded_at).Run());
  }
  std::string detail = "attributes=" + std::to_string(e.attributes.size()) +
                       " documents=" + std::to_string(e.documents.size()) +
                       " biometrics=" + std::to_string(e.biometrics.size()) +
                       " consents=" + std::to_string(e.consents.size()) + " encounter=" + encounter_id.ToString();
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "profile.create", id.ToString(), detail));
  return id;
}

Result<Id> SqliteStore::UpdateProfile(const ProfileId& id, const Actor& actor, const std::string& action,
                                      const std::function<Result<std::pair<Id, std::string>>(const std::string&)>& write) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  const std::string now = Now();
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(bool exists, PersonExists(id));
  if (!exists) return Status::NotFound("profile " + id.ToString());
  IDREG_ASSIGN_OR_RETURN(auto written, write(now));
  IDREG_RETURN_IF_ERROR(Touch(id, now));
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, action, id.ToString(), written.second));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return written.first;
}

Result<Id> SqliteStore::AddEncounter(const ProfileId& id, const Encounter& encounter,
                                     const std::vector<BiometricRecord>& samples, const Actor& actor) {
  return UpdateProfile(id, actor, "encounter.create",
                       [&](const std::string& now) -> Result<std::pair<Id, std::string>> {
                         Id eid;
                         IDREG_RETURN_IF_ERROR(InsertEncounter(id, encounter, now, eid));
                         if (!samples.empty()) {
                           IDREG_ASSIGN_OR_RETURN(DataKey key, LoadDataKey(id));
                           for (BiometricRecord r : samples) {
                             if (r.encounter_id.empty()) r.encounter_id = eid;
                             Id bid;
                             IDREG_RETURN_IF_ERROR(InsertBiometric(id, key, r, now, bid));
                           }
                         }
                         return std::pair{eid, "encounter=" + eid.ToString() + " kind=" +
                                                   std::string(EncounterKindName(encounter.kind)) +
                                                   " biometrics=" + std::to_string(samples.size())};
                       });
}

Result<size_t> SqliteStore::ReplaceDerived(const std::vector<DerivedUpdate>& updates, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  if (updates.empty()) return size_t{0};
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  const std::string now = Now();
  std::map<std::string, DataKey> keys;
  std::map<std::string, size_t> kinds;
  size_t written = 0;
  for (const DerivedUpdate& u : updates) {
    const DerivedForm& d = u.form;
    if (d.kind.empty() || d.kind.size() > 64) return Status::InvalidArgument("a derived form needs a kind of 1 to 64 characters");
    IDREG_ASSIGN_OR_RETURN(auto own, db_->Prepare("SELECT 1 FROM biometric WHERE id = ? AND person_id = ?"));
    own.Bind(1, u.record.ToString()).Bind(2, u.person.ToString());
    IDREG_ASSIGN_OR_RETURN(bool exists, own.Step());
    if (!exists) continue;
    auto k = keys.find(u.person.ToString());
    if (k == keys.end()) {
      IDREG_ASSIGN_OR_RETURN(DataKey key, LoadDataKey(u.person));
      k = keys.emplace(u.person.ToString(), std::move(key)).first;
    }
    IDREG_ASSIGN_OR_RETURN(auto del, db_->Prepare("DELETE FROM biometric_derived WHERE biometric_id = ? AND kind = ?"));
    IDREG_RETURN_IF_ERROR(del.Bind(1, u.record.ToString()).Bind(2, d.kind).Run());
    IDREG_ASSIGN_OR_RETURN(auto ins, db_->Prepare("INSERT INTO biometric_derived (biometric_id, person_id, kind,"
                                                  " version, sealed, created_at) VALUES (?,?,?,?,?,?)"));
    ins.Bind(1, u.record.ToString()).Bind(2, u.person.ToString()).Bind(3, d.kind).Bind(4, int64_t{d.version});
    ins.BindBlob(5, Sealer::SealDerived(k->second, u.person, u.record, d.kind, d.payload)).Bind(6, now);
    IDREG_RETURN_IF_ERROR(ins.Run());
    ++kinds[d.kind];
    ++written;
  }
  std::string detail;
  for (const auto& [kind, n] : kinds) detail += (detail.empty() ? "" : " ") + kind + "=" + std::to_string(n);
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "biometric.derive", "", detail.empty() ? "none" : detail));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return written;
}

Result<Id> SqliteStore::AddBiometric(const ProfileId& id, const BiometricRecord& record, const Actor& actor) {
  return UpdateProfile(id, actor, "biometric.create",
                       [&](const std::string& now) -> Result<std::pair<Id, std::string>> {
                         IDREG_ASSIGN_OR_RETURN(DataKey key, LoadDataKey(id));
                         Id bid;
                         IDREG_RETURN_IF_ERROR(InsertBiometric(id, key, record, now, bid));
                         return std::pair{bid, "record=" + bid.ToString() + " modality=" + record.modality};
                       });
}

}  // namespace idreg
