#include "registry/schema.h"

namespace idreg::schema {

// Never edit a released migration: append a new one. Ids are 26-character Crockford base32
// text; times are ISO 8601 UTC text (sortable); person-linked rows cascade on erasure.
const std::vector<std::vector<std::string>>& Migrations() {
  static const std::vector<std::vector<std::string>> kMigrations = {
      // 1: the digital profile, sealed biometrics, consent and the audit chain.
      {
          "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
          "CREATE TABLE person (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
          "CREATE TABLE person_key (person_id TEXT PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,"
          " wrapped BLOB NOT NULL)",
          "CREATE TABLE document (id TEXT PRIMARY KEY,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
          " document_type TEXT NOT NULL, format TEXT NOT NULL, issuing_state TEXT NOT NULL,"
          " number TEXT NOT NULL, expiry_date TEXT NOT NULL, mrz TEXT NOT NULL, mrz_valid INTEGER NOT NULL,"
          " recorded_at TEXT NOT NULL)",
          "CREATE INDEX document_person ON document(person_id)",
          "CREATE INDEX document_number ON document(issuing_state, number)",
          "CREATE TABLE attribute (id TEXT PRIMARY KEY,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
          " ord INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
          " source_kind TEXT NOT NULL, document_type TEXT NOT NULL, issuing_state TEXT NOT NULL,"
          " document_number TEXT NOT NULL, source TEXT NOT NULL, recorded_at TEXT NOT NULL)",
          "CREATE INDEX attribute_person ON attribute(person_id)",
          "CREATE TABLE encounter (id TEXT PRIMARY KEY,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
          " kind TEXT NOT NULL, place TEXT NOT NULL, officer TEXT NOT NULL, occurred_at TEXT NOT NULL)",
          "CREATE INDEX encounter_person ON encounter(person_id)",
          "CREATE TABLE biometric (id TEXT PRIMARY KEY,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
          " encounter_id TEXT NOT NULL, modality TEXT NOT NULL, position TEXT NOT NULL, format TEXT NOT NULL,"
          " quality REAL NOT NULL, sealed BLOB NOT NULL, created_at TEXT NOT NULL)",
          "CREATE INDEX biometric_person ON biometric(person_id)",
          "CREATE INDEX biometric_modality ON biometric(modality)",
          "CREATE TABLE consent (id TEXT PRIMARY KEY,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
          " purpose TEXT NOT NULL, granted INTEGER NOT NULL, recorded_at TEXT NOT NULL)",
          "CREATE INDEX consent_person ON consent(person_id)",
          "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
          " role TEXT NOT NULL, purpose TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
          " detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL)",
          "CREATE INDEX audit_object ON audit(object)",
      },
      // 2: API keys of the service: the secret is kept only as an Argon2id hash.
      {
          "CREATE TABLE api_key (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, role TEXT NOT NULL,"
          " label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT NOT NULL)",
      },
      // 3: watchlists: named lists of persons a search can be restricted to; erasure removes members.
      {
          "CREATE TABLE watchlist_member (watchlist TEXT NOT NULL,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
          " reason TEXT NOT NULL, added_at TEXT NOT NULL, PRIMARY KEY (watchlist, person_id))",
          "CREATE INDEX watchlist_member_person ON watchlist_member(person_id)",
      },
      // 4: review cases: dedup outcomes waiting for an adjudicator; the pending enrollment is
      // sealed under the case's own data key, and both are set to NULL when the case is decided.
      {
          "CREATE TABLE review_case (id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL,"
          " reason TEXT NOT NULL, candidate_ids TEXT NOT NULL, candidates TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
          " decided_at TEXT NOT NULL, decided_by TEXT NOT NULL, decision_reason TEXT NOT NULL,"
          " result_profile TEXT NOT NULL, wrapped_key BLOB, sealed BLOB)",
          "CREATE INDEX review_case_state ON review_case(state, created_at)",
      },
      // 5: forms derived from a biometric record and kept so that start-up need not recompute them
      // (the finger gallery's coarse codes), sealed under the person's data key like the payload;
      // `version` is the deriving code's format version. Erasure of the person or the record
      // removes them.
      {
          "CREATE TABLE biometric_derived (biometric_id TEXT NOT NULL REFERENCES biometric(id) ON DELETE CASCADE,"
          " person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE, kind TEXT NOT NULL,"
          " version INTEGER NOT NULL, sealed BLOB NOT NULL, created_at TEXT NOT NULL,"
          " PRIMARY KEY (biometric_id, kind))",
          "CREATE INDEX biometric_derived_person ON biometric_derived(person_id)",
      },
  };
  return kMigrations;
}

}  // namespace idreg::schema
