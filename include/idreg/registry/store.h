// Store: the system of record for profiles, their sealed biometrics and the audit chain.
// Opened from a URL: "sqlite:PATH" (the embedded default; "sqlite::memory:" for tests), and
// later "postgresql://..." behind the same interface. Every operation takes the Actor (who, in
// which role, for which purpose) and appends an audit entry in the same transaction as its
// effect, so a crash leaves both or neither. A Store may be used from several threads; writes
// are serialised. Several processes may open the same SQLite file.
#ifndef IDREG_REGISTRY_STORE_H_
#define IDREG_REGISTRY_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "idreg/core/clock.h"
#include "idreg/core/result.h"
#include "idreg/registry/audit.h"
#include "idreg/registry/master_key.h"
#include "idreg/registry/profile.h"

namespace idreg {

struct StoreOptions {
  std::shared_ptr<const MasterKey> master_key;  // required
  bool create_if_missing = false;               // else NotFound when the store does not exist
  const Clock* clock = &Clock::System();
};

// A service API key as stored: the secret itself is never stored, only its Argon2id hash.
struct ApiKeyRecord {
  Id id;
  std::string secret_hash;  // libsodium crypto_pwhash_str (Argon2id)
  std::string role;
  std::string label;
  std::string created_at;
  std::string revoked_at;  // empty while the key is valid
};

// A member of a watchlist: a named list of persons to look out for (e.g. "interpol-red"), which a
// 1:N search can be restricted to.
struct WatchlistEntry {
  std::string watchlist;
  ProfileId profile;
  std::string reason;
  std::string added_at;
};

// A dedup outcome a person must decide (review, possible_fraud): the enrollment waits here,
// sealed at rest under the case's own data key, until an adjudicator enrolls it as a new profile,
// links it to a candidate, or rejects it. Deciding destroys the case's key and sealed enrollment
// (crypto-shredding); the case keeps its decision. Format: doc/review-queue.md.
struct ReviewCase {
  Id id;
  std::string kind;        // "review" or "possible_fraud"
  std::string state;       // "pending", "enrolled", "linked", "rejected"
  std::string reason;      // why the machine could not decide: ids and scores, no personal data
  std::vector<ProfileId> candidate_ids;  // the profiles a link may go to
  std::string candidates;  // JSON array of the candidates with their scores (ids and numbers only)
  Enrollment pending;      // the waiting enrollment (with its biometrics); empty once decided
  std::string created_at, created_by;
  std::string decided_at, decided_by, decision_reason;
  ProfileId result_profile;  // enrolled: the new profile; linked: the candidate
};

enum class ReviewResolution { kEnrollNew, kLink, kReject };

struct AuditQuery {
  std::optional<ProfileId> object;  // only entries about this object
  int64_t after_seq = 0;            // only entries with seq > after_seq
  int64_t limit = 0;                // 0: all
};

class Store {
 public:
  virtual ~Store() = default;

  static Result<std::unique_ptr<Store>> Open(const std::string& url, const StoreOptions& options);

  // Checks that a URL names a backend this build has, without opening anything.
  static Status CheckUrl(const std::string& url);

  // Writes a new profile with everything in `e`, atomically. Returns the new id.
  virtual Result<ProfileId> Enroll(const Enrollment& e, const Actor& actor) = 0;

  // Reads a whole profile, biometric payloads unsealed. Audited as a read.
  virtual Result<Profile> GetProfile(const ProfileId& id, const Actor& actor) = 0;

  // The profiles holding a document of this issuing state and number (a document enrolled twice
  // is either a duplicate enrollment or a fraud). Audited as a search.
  virtual Result<std::vector<ProfileId>> FindByDocument(const std::string& issuing_state, const std::string& number,
                                                        const Actor& actor) = 0;

  // Every profile, oldest first. Audited as one listing.
  virtual Result<std::vector<ProfileSummary>> ListProfiles(const Actor& actor) = 0;

  // Adds an encounter (a border entry, a consular registration) to an existing profile, with the
  // biometric samples captured at it, atomically. Returns the encounter's id.
  virtual Result<Id> AddEncounter(const ProfileId& id, const Encounter& encounter,
                                  const std::vector<BiometricRecord>& samples, const Actor& actor) = 0;

  // Adds a biometric record to an existing profile.
  virtual Result<Id> AddBiometric(const ProfileId& id, const BiometricRecord& record, const Actor& actor) = 0;

  // Streams every biometric record of one modality, unsealed, to `visit` (for building
  // galleries at start). Audited as one bulk read. Stops early when `visit` returns false.
  // Records come with their derived forms; a derived form whose sealed bytes do not open comes
  // with an empty payload (the reader recomputes it), whereas a payload that does not open fails.
  virtual Status ForEachBiometric(const std::string& modality, const Actor& actor,
                                  const std::function<bool(const ProfileId&, const BiometricRecord&)>& visit) = 0;

  // Replaces derived forms of stored records (start-up rebuilt them because the stored one was
  // missing, of another version or unreadable): each update's form replaces its record's form of
  // the same kind, sealed as one written with the record, all in one transaction audited as one
  // "biometric.derive" entry (counts and kinds only). Updates whose record no longer belongs to
  // the person (erased meanwhile) are skipped; returns how many were written.
  struct DerivedUpdate {
    ProfileId person;
    Id record;
    DerivedForm form;
  };
  virtual Result<size_t> ReplaceDerived(const std::vector<DerivedUpdate>& updates, const Actor& actor) = 0;

  // Destroys the person's data key and every row about them. The audit log keeps that an erasure
  // of this id happened, with the reason, and nothing else about the person.
  virtual Status EraseProfile(const ProfileId& id, const std::string& reason, const Actor& actor) = 0;

  // Appends an audit entry for something that is not a store operation (a refused request, a
  // search): `object` and `detail` must not hold personal data.
  virtual Status RecordAudit(const Actor& actor, const std::string& action, const std::string& object,
                             const std::string& detail) = 0;

  // Service API keys (audited as key.create / key.revoke).
  virtual Status CreateApiKey(const ApiKeyRecord& key, const Actor& actor) = 0;
  virtual Result<ApiKeyRecord> GetApiKey(const Id& id) = 0;
  virtual Result<std::vector<ApiKeyRecord>> ListApiKeys() = 0;
  virtual Status RevokeApiKey(const Id& id, const Actor& actor) = 0;

  // Watchlists (audited as watchlist.add / watchlist.remove / watchlist.read; the reason stays out
  // of the audit log). Names: 1-64 of A-Z a-z 0-9 . _ -. Adding an unknown profile is NotFound,
  // adding a member again AlreadyExists, removing a non-member NotFound. Erasing a profile takes
  // it off every list.
  virtual Status AddToWatchlist(const std::string& name, const ProfileId& id, const std::string& reason,
                                const Actor& actor) = 0;
  virtual Status RemoveFromWatchlist(const std::string& name, const ProfileId& id, const Actor& actor) = 0;
  // The members of one list, oldest first; of every list (by name) when `name` is empty.
  virtual Result<std::vector<WatchlistEntry>> ListWatchlist(const std::string& name, const Actor& actor) = 0;

  // Review cases (audited as review.open / review.read / review.decide). Listing with
  // `state` "" lists every case; pending enrollments are unsealed for pending cases only.
  virtual Result<Id> OpenReviewCase(const ReviewCase& c, const Actor& actor) = 0;
  virtual Result<std::vector<ReviewCase>> ListReviewCases(const std::string& state, const Actor& actor) = 0;
  virtual Result<ReviewCase> GetReviewCase(const Id& id, const Actor& actor) = 0;
  // Decides a pending case in one transaction with its effect: kEnrollNew writes the pending
  // enrollment as a new profile, kLink adds its encounter and samples to `link_to` (which must be
  // one of the case's candidates), kReject writes nothing else. `reason` is required. NotFound for
  // an unknown case or profile, AlreadyExists when the case was decided already. Returns the case
  // with the decision and, still, the pending enrollment (to update the galleries after commit).
  virtual Result<ReviewCase> DecideReviewCase(const Id& id, ReviewResolution resolution, const ProfileId& link_to,
                                              const std::string& reason, const Actor& actor) = 0;

  // Adds an encounter with attributes the person declared at it (a consular registration's
  // residence abroad), atomically with its samples. Returns the encounter's id.
  virtual Result<Id> AddDeclaredEncounter(const ProfileId& id, const Encounter& encounter,
                                          const std::vector<Attribute>& declared,
                                          const std::vector<BiometricRecord>& samples, const Actor& actor) = 0;

  virtual Result<std::vector<AuditEntry>> ReadAudit(const AuditQuery& query) = 0;
  virtual Result<AuditVerification> VerifyAudit() = 0;
};

}  // namespace idreg

#endif  // IDREG_REGISTRY_STORE_H_
