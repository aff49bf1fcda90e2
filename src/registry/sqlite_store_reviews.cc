// Review cases and declared encounters in the SQLite store. A pending case's enrollment is one
// sealed payload under the case's own data key (the case id stands where a person id stands in
// the associated data); deciding the case sets both to NULL, which secure_delete zeroes on disk.
#include <algorithm>
#include <sstream>

#include "registry/enrollment_codec.h"
#include "registry/sqlite_store.h"

namespace idreg {
namespace {

std::string JoinIds(const std::vector<ProfileId>& ids) {
  std::string out;
  for (const ProfileId& id : ids) {
    if (!out.empty()) out += ' ';
    out += id.ToString();
  }
  return out;
}

Result<std::vector<ProfileId>> SplitIds(const std::string& text) {
  std::vector<ProfileId> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    auto id = Id::Parse(word);
    if (!id.ok()) return Status::Corruption("review case has a malformed candidate id");
    out.push_back(*id);
  }
  return out;
}

const char* StateOf(ReviewResolution r) {
  switch (r) {
    case ReviewResolution::kEnrollNew: return "enrolled";
    case ReviewResolution::kLink: return "linked";
    case ReviewResolution::kReject: return "rejected";
  }
  return "?";
}

constexpr char kCaseColumns[] = "SELECT id, kind, state, reason, candidate_ids, candidates, created_at, created_by,"
                                " decided_at, decided_by, decision_reason, result_profile, wrapped_key, sealed"
                                " FROM review_case";

}  // namespace

Result<std::pair<Id, std::string>> SqliteStore::InsertEncounterWith(const ProfileId& id, const Encounter& encounter,
                                                                     const std::vector<Attribute>& declared,
                                                                     const std::vector<BiometricRecord>& samples,
                                                                     const std::string& now) {
  Id eid;
  IDREG_RETURN_IF_ERROR(InsertEncounter(id, encounter, now, eid));
  if (!declared.empty()) {
    int64_t ord = 0;
    {
      IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT COALESCE(MAX(ord), -1) + 1 FROM attribute WHERE person_id = ?"));
      st.Bind(1, id.ToString());
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (row) ord = st.Int(0);
    }
    for (const Attribute& a : declared) IDREG_RETURN_IF_ERROR(InsertAttribute(id, ord++, a, now));
  }
  if (!samples.empty()) {
    IDREG_ASSIGN_OR_RETURN(DataKey key, LoadDataKey(id));
    for (BiometricRecord r : samples) {
      if (r.encounter_id.empty()) r.encounter_id = eid;
      Id bid;
      IDREG_RETURN_IF_ERROR(InsertBiometric(id, key, r, now, bid));
    }
  }
  return std::pair{eid, "encounter=" + eid.ToString() + " kind=" + std::string(EncounterKindName(encounter.kind)) +
                            " attributes=" + std::to_string(declared.size()) +
                            " biometrics=" + std::to_string(samples.size())};
}

Result<Id> SqliteStore::AddDeclaredEncounter(const ProfileId& id, const Encounter& encounter,
                                             const std::vector<Attribute>& declared,
                                             const std::vector<BiometricRecord>& samples, const Actor& actor) {
  return UpdateProfile(id, actor, "encounter.create", [&](const std::string& now) {
    return InsertEncounterWith(id, encounter, declared, samples, now);
  });
}

Result<Id> SqliteStore::OpenReviewCase(const ReviewCase& c, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  if (c.kind != "review" && c.kind != "possible_fraud") {
    return Status::InvalidArgument("a review case is of kind review or possible_fraud, not '" + c.kind + "'");
  }
  std::lock_guard lock(mu_);
  const std::string now = Now();
  const Id id = c.id.empty() ? Id::Random() : c.id;
  DataKey key = DataKey::Random();
  Bytes sealed = Sealer::Seal(key, id, id, EncodeEnrollment(c.pending));
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare("INSERT INTO review_case (id, kind, state, reason, candidate_ids,"
                                               " candidates, created_at, created_by, decided_at, decided_by,"
                                               " decision_reason, result_profile, wrapped_key, sealed)"
                                               " VALUES (?,?,'pending',?,?,?,?,?,'','','','',?,?)"));
  st.Bind(1, id.ToString()).Bind(2, c.kind).Bind(3, c.reason).Bind(4, JoinIds(c.candidate_ids)).Bind(5, c.candidates);
  st.Bind(6, now).Bind(7, actor.name).BindBlob(8, sealer_.WrapDataKey(id, key)).BindBlob(9, sealed);
  IDREG_RETURN_IF_ERROR(st.Run());
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "review.open", id.ToString(),
                                    "kind=" + c.kind + " candidates=" + std::to_string(c.candidate_ids.size()) +
                                        " biometrics=" + std::to_string(c.pending.biometrics.size())));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return id;
}

Result<ReviewCase> SqliteStore::LoadReviewCase(const Id& id) {
  IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(std::string(kCaseColumns) + " WHERE id = ?"));
  st.Bind(1, id.ToString());
  IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("review case " + id.ToString());
  ReviewCase c;
  c.id = id;
  c.kind = st.Text(1);
  c.state = st.Text(2);
  c.reason = st.Text(3);
  IDREG_ASSIGN_OR_RETURN(c.candidate_ids, SplitIds(st.Text(4)));
  c.candidates = st.Text(5);
  c.created_at = st.Text(6);
  c.created_by = st.Text(7);
  c.decided_at = st.Text(8);
  c.decided_by = st.Text(9);
  c.decision_reason = st.Text(10);
  if (std::string r = st.Text(11); !r.empty()) {
    auto p = Id::Parse(r);
    if (!p.ok()) return Status::Corruption("review case " + id.ToString() + " has a malformed result profile");
    c.result_profile = *p;
  }
  if (c.state == "pending") {
    if (st.IsNull(12) || st.IsNull(13)) return Status::Corruption("pending review case " + id.ToString() + " has no enrollment");
    IDREG_ASSIGN_OR_RETURN(DataKey key, sealer_.UnwrapDataKey(id, st.Blob(12)));
    IDREG_ASSIGN_OR_RETURN(Bytes plain, Sealer::Open(key, id, id, st.Blob(13)));
    auto e = DecodeEnrollment(plain);
    if (!e.ok()) return e.status().WithContext("review case " + id.ToString());
    c.pending = std::move(*e);
  }
  return c;
}

Result<std::vector<ReviewCase>> SqliteStore::ListReviewCases(const std::string& state, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  static const std::vector<std::string> kStates = {"", "pending", "enrolled", "linked", "rejected"};
  if (std::find(kStates.begin(), kStates.end(), state) == kStates.end()) {
    return Status::InvalidArgument("review state '" + state + "': expected pending, enrolled, linked or rejected");
  }
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  std::vector<Id> ids;
  {
    IDREG_ASSIGN_OR_RETURN(auto st, db_->Prepare(state.empty() ? "SELECT id FROM review_case ORDER BY created_at, id"
                                                                : "SELECT id FROM review_case WHERE state = ?"
                                                                  " ORDER BY created_at, id"));
    if (!state.empty()) st.Bind(1, state);
    for (;;) {
      IDREG_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto id = Id::Parse(st.Text(0));
      if (!id.ok()) return Status::Corruption("review_case row has a malformed id");
      ids.push_back(*id);
    }
  }
  std::vector<ReviewCase> out;
  for (const Id& id : ids) {
    IDREG_ASSIGN_OR_RETURN(ReviewCase c, LoadReviewCase(id));
    out.push_back(std::move(c));
  }
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "review.read", "",
                                    "state=" + (state.empty() ? std::string("*") : state) +
                                        " cases=" + std::to_string(out.size())));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return out;
}

Result<ReviewCase> SqliteStore::GetReviewCase(const Id& id, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(ReviewCase c, LoadReviewCase(id));
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "review.read", id.ToString(), "state=" + c.state));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return c;
}

Result<ReviewCase> SqliteStore::DecideReviewCase(const Id& id, ReviewResolution resolution, const ProfileId& link_to,
                                                 const std::string& reason, const Actor& actor) {
  IDREG_RETURN_IF_ERROR(CheckActor(actor));
  if (reason.empty()) return Status::InvalidArgument("a review decision needs a reason");
  std::lock_guard lock(mu_);
  IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
  IDREG_ASSIGN_OR_RETURN(ReviewCase c, LoadReviewCase(id));
  if (c.state != "pending") {
    return Status::AlreadyExists("review case " + id.ToString() + " was decided already (" + c.state + ")");
  }
  const std::string now = Now();
  std::string detail = std::string("decision=") + StateOf(resolution);
  switch (resolution) {
    case ReviewResolution::kEnrollNew: {
      IDREG_ASSIGN_OR_RETURN(c.result_profile, InsertEnrollment(c.pending, actor, now));
      break;
    }
    case ReviewResolution::kLink: {
      if (std::find(c.candidate_ids.begin(), c.candidate_ids.end(), link_to) == c.candidate_ids.end()) {
        return Status::InvalidArgument("profile " + link_to.ToString() + " is not a candidate of review case " +
                                       id.ToString());
      }
      IDREG_ASSIGN_OR_RETURN(bool exists, PersonExists(link_to));
      if (!exists) return Status::NotFound("profile " + link_to.ToString() + " (erased since the case was opened?)");
      IDREG_ASSIGN_OR_RETURN(auto written, InsertEncounterWith(link_to, c.pending.encounter, {}, c.pending.biometrics, now));
      IDREG_RETURN_IF_ERROR(Touch(link_to, now));
      IDREG_RETURN_IF_ERROR(AppendAudit(actor, "encounter.create", link_to.ToString(), written.second));
      c.result_profile = link_to;
      break;
    }
    case ReviewResolution::kReject: break;
  }
  c.state = StateOf(resolution);
  c.decided_at = now;
  c.decided_by = actor.name;
  c.decision_reason = reason;
  IDREG_ASSIGN_OR_RETURN(auto up, db_->Prepare("UPDATE review_case SET state = ?, decided_at = ?, decided_by = ?,"
                                               " decision_reason = ?, result_profile = ?, wrapped_key = NULL,"
                                               " sealed = NULL WHERE id = ?"));
  up.Bind(1, c.state).Bind(2, now).Bind(3, actor.name).Bind(4, reason);
  up.Bind(5, c.result_profile.empty() ? std::string() : c.result_profile.ToString()).Bind(6, id.ToString());
  IDREG_RETURN_IF_ERROR(up.Run());
  if (!c.result_profile.empty()) detail += " profile=" + c.result_profile.ToString();
  IDREG_RETURN_IF_ERROR(AppendAudit(actor, "review.decide", id.ToString(), detail));
  IDREG_RETURN_IF_ERROR(txn->Commit());
  return c;
}

}  // namespace idreg
