// The audit chain: every create, read, update and erase appends an entry that hashes the
// previous one, and is authenticated with a key derived from the master key, so that altering,
// removing or reordering a row, or rewriting the chain without the key, is detected.
// Format: doc/audit-chain.md.
#ifndef IDREG_REGISTRY_AUDIT_H_
#define IDREG_REGISTRY_AUDIT_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "idreg/core/bytes.h"

namespace idreg {

// Who acts, in which role, for which purpose: required on every store operation.
struct Actor {
  std::string name;
  std::string role;
  std::string purpose;
};

struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3, ... without gaps
  std::string at;   // ISO 8601 UTC
  std::string actor;
  std::string role;
  std::string purpose;
  std::string action;  // "profile.create", "profile.read", "profile.list", "profile.erase", ...
  std::string object;  // the object's id ("" for none); never personal data
  std::string detail;  // counts and ids only; never personal data
  std::string prev_hash;  // hex SHA-256 of the previous entry ("" for the first: 64 zeros)
  std::string hash;       // hex SHA-256 over this entry's fields and prev_hash
  std::string mac;        // hex HMAC-SHA-256 of hash under the audit key
};

struct AuditVerification {
  bool ok = true;
  int64_t entries = 0;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // what is wrong with the first bad entry
  std::string head_hash;      // hash of the last entry: anchor it elsewhere to catch truncation
};

// The audit key is derived from the master key; see MasterKey::AuditKey().
using AuditKey = std::array<uint8_t, 32>;

inline const std::string kAuditGenesisHash(64, '0');

// Fills hash and mac of `e` from its fields and e.prev_hash.
void SealAuditEntry(AuditEntry& e, const AuditKey& key);

// The MAC of the chain's head (seq and hash), kept apart from the entries so that cutting
// entries off the end is detected too.
std::string AuditHeadMac(int64_t seq, const std::string& hash, const AuditKey& key);

// Checks a chain streamed entry by entry in stored order (by seq), so that verifying a long log
// needs constant memory. Any backend feeds it the same way.
class AuditChainVerifier {
 public:
  explicit AuditChainVerifier(const AuditKey& key) : key_(key) {}

  // Returns false once a bad entry has been seen (later entries are then ignored).
  bool Add(const AuditEntry& e);

  // Compares the last entry with the recorded head (seq, hash and its MAC).
  AuditVerification Finish(int64_t head_seq, const std::string& head_hash, const std::string& head_mac);

 private:
  void Fail(int64_t seq, std::string problem);

  AuditKey key_;
  AuditVerification result_;
  int64_t last_seq_ = 0;
  std::string last_hash_ = kAuditGenesisHash;
};

}  // namespace idreg

#endif  // IDREG_REGISTRY_AUDIT_H_
