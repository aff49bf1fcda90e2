// Audited reads from the SQLite store: whole profiles, listings, and bulk biometric scans.
#include "registry/sqlite_store.h"

#include <optional>

namespace idreg {

Result<Profile> SqliteStore::GetProfile(const ProfileId& id, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  IDREG_ASSIGN_OR_RETURN(Profile p, ReadProfile(id));
  // The profile leaves the store only once its audit entry is durable; concurrent reads share
  // one commit (sqlite_store_group_commit.cc).
  IDREG_RETURN_IF_ERROR(AppendAuditGrouped(actor, "profile.read", id.ToString(),
                                           "biometrics=" + std::to_string(p.biometrics.size())));
  return p;
}

Result<Profile> SqliteStore::ReadProfile(const ProfileId& id) {
  std::lock_guard lock(mu_);
  const std::string sid = id.ToString();
  // One snapshot for the whole profile.
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::ReadTransaction::Begin(*db_));
  Profile p;
  p.id = id;
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT created_at, updated_at FROM person WHERE id = ?"));
    st.Bind(1, sid);
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound("profile " + sid);
    p.created_at = st.Text(0);
    p.updated_at = st.Text(1);
  }
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT name, value, source_kind, document_type, issuing_state,"
                                                 " document_number, source, recorded_at FROM attribute"
                                                 " WHERE person_id = ? ORDER BY ord"));
    st.Bind(1, sid);
    for (;;) {
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Attribute a{st.Text(0), st.Text(1), {}};
      a.provenance.kind = st.Text(2) == "document" ? Provenance::Kind::kDocument : Provenance::Kind::kDeclaration;
      a.provenance.document_type = st.Text(3);
      a.provenance.issuing_state = st.Text(4);
      a.provenance.document_number = st.Text(5);
      a.provenance.source = st.Text(6);
      a.provenance.recorded_at = st.Text(7);
      p.attributes.push_back(std::move(a));
    }
  }
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT id, document_type, format, issuing_state, number,"
                                                 " expiry_date, mrz, mrz_valid, recorded_at FROM document"
                                                 " WHERE person_id = ? ORDER BY recorded_at, id"));
    st.Bind(1, sid);
    for (;;) {
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Document d;
      d.id = Id::Parse(st.Text(0)).ok() ? *Id::Parse(st.Text(0)) : Id();
      d.document_type = st.Text(1);
      d.format = st.Text(2);
      d.issuing_state = st.Text(3);
      d.number = st.Text(4);
      d.expiry_date = st.Text(5);
      d.mrz = st.Text(6);
      d.mrz_valid = st.Int(7) != 0;
      d.recorded_at = st.Text(8);
      p.documents.push_back(std::move(d));
    }
  }
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT id, kind, place, officer, occurred_at FROM encounter"
                                                 " WHERE person_id = ? ORDER BY occurred_at, id"));
    st.Bind(1, sid);
    for (;;) {
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Encounter e;
      auto eid = Id::Parse(st.Text(0));
      auto kind = ParseEncounterKind(st.Text(1));
      if (!eid.ok() || !kind.ok()) return Status::Corruption("encounter row of profile " + sid + " is malformed");
      e.id = *eid;
      e.kind = *kind;
      e.place = st.Text(2);
      e.officer = st.Text(3);
      e.occurred_at = st.Text(4);
      p.encounters.push_back(std::move(e));
    }
  }
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT id, encounter_id, modality, position, format, quality,"
                                                 " sealed, created_at FROM biometric WHERE person_id = ?"
                                                 " ORDER BY created_at, id"));
    st.Bind(1, sid);
    std::optional<DataKey> key;
    for (;;) {
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (!key) {
        IDREG_ASSIGN_OR_RETURN(DataKey k, LoadDataKey(id));
        key = k;
      }
      BiometricRecord r;
      auto rid = Id::Parse(st.Text(0));
      if (!rid.ok()) return Status::Corruption("biometric row of profile " + sid + " has a malformed id");
      r.id = *rid;
      if (!st.Text(1).empty()) {
        auto enc = Id::Parse(st.Text(1));
        if (enc.ok()) r.encounter_id = *enc;
      }
      r.modality = st.Text(2);
      r.position = st.Text(3);
      r.format = st.Text(4);
      r.quality = st.Real(5);
      IDREG_ASSIGN_OR_RETURN(r.payload, Sealer::Open(*key, id, r.id, st.Blob(6)));
      r.created_at = st.Text(7);
      p.biometrics.push_back(std::move(r));
    }
  }
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT id, purpose, granted, recorded_at FROM consent"
                                                 " WHERE person_id = ? ORDER BY recorded_at, id"));
    st.Bind(1, sid);
    for (;;) {
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Consent c;
      auto cid = Id::Parse(st.Text(0));
      if (cid.ok()) c.id = *cid;
      c.purpose = st.Text(1);
      c.granted = st.Int(2) != 0;
      c.recorded_at = st.Text(3);
      p.consents.push_back(std::move(c));
    }
  }
  return p;
}

Result<std::vector<ProfileSummary>> SqliteStore::ListProfiles(const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  auto attr = [](const char* name) {
    return std::string("(SELECT value FROM attribute a WHERE a.person_id = p.id AND a.name = '") + name +
           "' ORDER BY ord LIMIT 1)";
  };
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT p.id, " + attr("surname") + ", " + attr("given_names") +
                                               ", " + attr("birth_date") + ", " + attr("nationality") +
                                               ", p.created_at, (SELECT count(*) FROM biometric b"
                                               " WHERE b.person_id = p.id) FROM person p"
                                               " ORDER BY p.created_at, p.id"));
  std::vector<ProfileSummary> out;
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto id = Id::Parse(st.Text(0));
    if (!id.ok()) return Status::Corruption("person row has a malformed id: " + st.Text(0));
    out.push_back({*id, st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), static_cast<int>(st.Int(6))});
  }
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "profile.list", "", "profiles=" + std::to_string(out.size())));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<std::vector<ProfileId>> SqliteStore::FindByDocument(const std::string& issuing_state,
                                                           const std::string& number, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT DISTINCT d.person_id, p.created_at FROM document d"
                                               " JOIN person p ON p.id = d.person_id"
                                               " WHERE d.issuing_state = ? AND d.number = ? ORDER BY p.created_at"));
  st.Bind(1, issuing_state).Bind(2, number);
  std::vector<ProfileId> out;
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto id = Id::Parse(st.Text(0));
    if (!id.ok()) return Status::Corruption("document row has a malformed person id");
    out.push_back(*id);
  }
  // The document number is personal data: the entry keeps only how many profiles matched.
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "profile.search", "", "by=document matches=" + std::to_string(out.size())));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Status SqliteStore::ForEachBiometric(const std::string& modality, const Actor& actor,
                                     const std::function<bool(const ProfileId&, const BiometricRecord&)>& visit) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  {
    // Audited before the scan, in its own transaction, so that a long scan never holds the
    // write lock.
    IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
    IDREG_RETURN_IF_ERROR(AppendAudit(actor, "biometric.bulk_read", "", "modality=" + modality));
    IDREG_RETURN_IF_ERROR(txn->Commit());
  }
  IDREG_ASSIGN_OR_RETURN(auto read, sqlite::ReadTransaction::Begin(*db_));
  // One row per (record, derived form), or one with NULLs when the record has none: a record's
  // rows are consecutive (ORDER BY ends with its id), so it is visited once its last row is read.
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT b.person_id, b.id, b.encounter_id, b.position, b.format,"
                                               " b.quality, b.sealed, b.created_at, k.wrapped, d.kind, d.version,"
                                               " d.sealed FROM biometric b"
                                               " JOIN person_key k ON k.person_id = b.person_id"
                                               " LEFT JOIN biometric_derived d ON d.biometric_id = b.id"
                                               " WHERE b.modality = ? ORDER BY b.person_id, b.id"));
  st.Bind(1, modality);
  ProfileId current;
  DataKey key;
  std::optional<BiometricRecord> pending;
  for (;;) {
    IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto pid = Id::Parse(st.Text(0));
    auto rid = Id::Parse(st.Text(1));
    if (!pid.ok() || !rid.ok()) return Status::Corruption("biometric row has a malformed id");
    if (!pending || pending->id != *rid) {
      if (pending && !visit(current, *pending)) return Status::Ok();
      if (*pid != current) {
        IDREG_ASSIGN_OR_RETURN(key, sealer_.UnwrapDataKey(*pid, st.Blob(8)));
        current = *pid;
      }
      BiometricRecord& r = pending.emplace();
      r.id = *rid;
      if (auto enc = Id::Parse(st.Text(2)); enc.ok()) r.encounter_id = *enc;
      r.modality = modality;
      r.position = st.Text(3);
      r.format = st.Text(4);
      r.quality = st.Real(5);
      IDREG_ASSIGN_OR_RETURN(r.payload, Sealer::Open(key, *pid, r.id, st.Blob(6)));
      r.created_at = st.Text(7);
    }
    if (!st.IsNull(9)) {
      DerivedForm d;
      d.kind = st.Text(9);
      d.version = static_cast<uint32_t>(st.Int(10));
      // A derived form only saves recomputing it from the payload: one that does not open (altered,
      // moved) is passed on empty, so the reader recomputes it, instead of failing the scan.
      if (auto plain = Sealer::OpenDerived(key, *pid, *rid, d.kind, st.Blob(11)); plain.ok()) d.payload = std::move(*plain);
      pending->derived.push_back(std::move(d));
    }
  }
  if (pending) visit(current, *pending);
  return Status::Ok();
}

}  // namespace idreg
