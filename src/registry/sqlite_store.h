// The embedded SQLite backend of Store: one file in WAL mode, synchronous=FULL (a reported
// commit survives power loss), foreign keys on, secure_delete on (erased rows are zeroed, not
// left in free pages).
#ifndef IDREG_SRC_REGISTRY_SQLITE_STORE_H_
#define IDREG_SRC_REGISTRY_SQLITE_STORE_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "idreg/registry/sealer.h"
#include "idreg/registry/store.h"
#include "registry/sqlite_db.h"

namespace idreg {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const StoreOptions& options);

  Result<ProfileId> Enroll(const Enrollment& e, const Actor& actor) override;
  Result<Profile> GetProfile(const ProfileId& id, const Actor& actor) override;
  Result<std::vector<ProfileSummary>> ListProfiles(const Actor& actor) override;
  Result<std::vector<ProfileId>> FindByDocument(const std::string& issuing_state, const std::string& number,
                                                const Actor& actor) override;
  Result<Id> AddEncounter(const ProfileId& id, const Encounter& encounter, const std::vector<BiometricRecord>& samples,
                          const Actor& actor) override;
  Result<Id> AddBiometric(const ProfileId& id, const BiometricRecord& record, const Actor& actor) override;
  Status ForEachBiometric(const std::string& modality, const Actor& actor,
                          const std::function<bool(const ProfileId&, const BiometricRecord&)>& visit) override;
  Result<size_t> ReplaceDerived(const std::vector<DerivedUpdate>& updates, const Actor& actor) override;
  Status EraseProfile(const ProfileId& id, const std::string& reason, const Actor& actor) override;
  Status RecordAudit(const Actor& actor, const std::string& action, const std::string& object,
                     const std::string& detail) override;
  Status CreateApiKey(const ApiKeyRecord& key, const Actor& actor) override;
  Result<ApiKeyRecord> GetApiKey(const Id& id) override;
  Result<std::vector<ApiKeyRecord>> ListApiKeys() override;
  Status RevokeApiKey(const Id& id, const Actor& actor) override;
  Status AddToWatchlist(const std::string& name, const ProfileId& id, const std::string& reason,
                        const Actor& actor) override;
  Status RemoveFromWatchlist(const std::string& name, const ProfileId& id, const Actor& actor) override;
  Result<std::vector<WatchlistEntry>> ListWatchlist(const std::string& name, const Actor& actor) override;
  Result<Id> OpenReviewCase(const ReviewCase& c, const Actor& actor) override;
  Result<std::vector<ReviewCase>> ListReviewCases(const std::string& state, const Actor& actor) override;
  Result<ReviewCase> GetReviewCase(const Id& id, const Actor& actor) override;
  Result<ReviewCase> DecideReviewCase(const Id& id, ReviewResolution resolution, const ProfileId& link_to,
                                      const std::string& reason, const Actor& actor) override;
  Result<Id> AddDeclaredEncounter(const ProfileId& id, const Encounter& encounter, const std::vector<Attribute>& declared,
                                  const std::vector<BiometricRecord>& samples, const Actor& actor) override;
  Result<std::vector<AuditEntry>> ReadAudit(const AuditQuery& query) override;
  Result<AuditVerification> VerifyAudit() override;

 private:
  SqliteStore(std::unique_ptr<sqlite::Db> db, const StoreOptions& options)
      : db_(std::move(db)), options_(options), sealer_(options.master_key), audit_key_(options.master_key->DeriveAuditKey()) {}

  Status Migrate(bool created);
  // 0 for a new, empty file; InvalidArgument for an SQLite file that is not an idreg store.
  Result<int> SchemaVersion(bool created);
  // Appends one entry to the chain and moves the head; call inside a write transaction.
  Status AppendAudit(const Actor& actor, const std::string& action, const std::string& object,
                     const std::string& detail);
  Status CheckActor(const Actor& actor) const;
  // Runs `write` in a write transaction on an existing profile, then touches the profile and
  // audits `action` with the detail `write` returns beside the new object's id.
  Result<Id> UpdateProfile(const ProfileId& id, const Actor& actor, const std::string& action,
                           const std::function<Result<std::pair<Id, std::string>>(const std::string& now)>& write);
  Result<bool> PersonExists(const ProfileId& id);
  Result<DataKey> LoadDataKey(const ProfileId& id);
  Status InsertEncounter(const ProfileId& person, const Encounter& e, const std::string& now, Id& id_out);
  // One attribute row at position `ord` of the person's attributes (recorded now unless it says when).
  Status InsertAttribute(const ProfileId& person, int64_t ord, const Attribute& a, const std::string& now);
  Status InsertBiometric(const ProfileId& person, const DataKey& key, const BiometricRecord& r,
                         const std::string& now, Id& id_out);
  Status Touch(const ProfileId& person, const std::string& now);
  // Writes a whole new profile inside the caller's write transaction (Enroll, review decisions).
  Result<ProfileId> InsertEnrollment(const Enrollment& e, const Actor& actor, const std::string& now);
  // Adds an encounter, its declared attributes and samples to an existing profile inside the
  // caller's write transaction; returns the encounter id and the audit detail.
  Result<std::pair<Id, std::string>> InsertEncounterWith(const ProfileId& id, const Encounter& encounter,
                                                          const std::vector<Attribute>& declared,
                                                          const std::vector<BiometricRecord>& samples,
                                                          const std::string& now);
  // Reads one review case (unsealing a pending enrollment); call with mu_ held.
  Result<ReviewCase> LoadReviewCase(const Id& id);
  // The whole profile in one read snapshot, not audited (GetProfile audits it).
  Result<Profile> ReadProfile(const ProfileId& id);
  // Appends an audit entry in its own transaction, shared with every entry queued meanwhile
  // (group commit: one fsync for many reads); returns once the entry is durable, or the error.
  Status AppendAuditGrouped(const Actor& actor, const std::string& action, const std::string& object,
                            const std::string& detail);
  struct QueuedAudit {
    uint64_t ticket;
    Actor actor;
    std::string action, object, detail;
  };

  std::string Now() const { return options_.clock->NowIso8601(); }

  std::unique_ptr<sqlite::Db> db_;
  StoreOptions options_;
  Sealer sealer_;
  AuditKey audit_key_;
  std::mutex mu_;  // one operation at a time on the connection
  // Group commit of audit entries: tickets are taken in order, one leader at a time commits the
  // queue, so every ticket up to group_done_ is durable (or in group_failed_).
  std::mutex group_mu_;
  std::condition_variable group_cv_;
  std::vector<QueuedAudit> group_queue_;
  uint64_t group_next_ = 0, group_done_ = 0;
  bool group_leader_ = false;
  std::map<uint64_t, Status> group_failed_;
};

}  // namespace idreg

#endif  // IDREG_SRC_REGISTRY_SQLITE_STORE_H_
