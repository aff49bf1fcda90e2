#include <sodium.h>

#include <algorithm>

#include "core/sodium_init.h"
#include "idreg/registry/audit.h"

namespace idreg {
namespace {

// Each field is length-prefixed so that no two different entries serialise alike.
void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

std::string Canonical(const AuditEntry& e) {
  std::string s = "idreg-audit-v1;";
  Put(s, std::to_string(e.seq));
  Put(s, e.at);
  Put(s, e.actor);
  Put(s, e.role);
  Put(s, e.purpose);
  Put(s, e.action);
  Put(s, e.object);
  Put(s, e.detail);
  Put(s, e.prev_hash);
  return s;
}

std::string Mac(std::string_view message, const AuditKey& key) {
  EnsureSodium();
  uint8_t mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const uint8_t*>(message.data()), message.size(), key.data());
  return HexEncode(mac, sizeof mac);
}

}  // namespace

void SealAuditEntry(AuditEntry& e, const AuditKey& key) {
  auto digest = Sha256(Canonical(e));
  e.hash = HexEncode(digest.data(), digest.size());
  e.mac = Mac(e.hash, key);
}

std::string AuditHeadMac(int64_t seq, const std::string& hash, const AuditKey& key) {
  return Mac("idreg-audit-head-v1;" + std::to_string(seq) + ";" + hash, key);
}

void AuditChainVerifier::Fail(int64_t seq, std::string problem) {
  result_.ok = false;
  result_.first_bad_seq = seq;
  result_.problem = std::move(problem);
}

bool AuditChainVerifier::Add(const AuditEntry& e) {
  if (!result_.ok) return false;
  ++result_.entries;
  int64_t expected = last_seq_ + 1;
  if (e.seq != expected) {
    Fail(e.seq, "entry " + std::to_string(expected) + (e.seq > expected ? " is missing" : " is out of order") +
                    " (found seq " + std::to_string(e.seq) + " after " + std::to_string(last_seq_) + ")");
    return false;
  }
  if (e.prev_hash != last_hash_) {
    Fail(e.seq, "entry " + std::to_string(e.seq) + " does not link to the entry before it (prev_hash differs)");
    return false;
  }
  AuditEntry check = e;
  SealAuditEntry(check, key_);
  if (check.hash != e.hash) {
    Fail(e.seq, "entry " + std::to_string(e.seq) + " was altered (its hash does not match its fields)");
    return false;
  }
  if (check.mac.size() != e.mac.size() || sodium_memcmp(check.mac.data(), e.mac.data(), check.mac.size()) != 0) {
    Fail(e.seq, "entry " + std::to_string(e.seq) + " is not authenticated by this store's audit key");
    return false;
  }
  last_seq_ = e.seq;
  last_hash_ = e.hash;
  return true;
}

AuditVerification AuditChainVerifier::Finish(int64_t head_seq, const std::string& head_hash,
                                             const std::string& head_mac) {
  if (result_.ok) {
    if (head_seq != last_seq_ || head_hash != last_hash_) {
      Fail(std::min(head_seq, last_seq_) + 1,
           "the chain ends at entry " + std::to_string(last_seq_) + " but the recorded head is entry " +
               std::to_string(head_seq) + ": entries were removed from the end or the head was altered");
    } else if (head_seq > 0 && AuditHeadMac(head_seq, head_hash, key_) != head_mac) {
      Fail(head_seq, "the recorded head of the chain is not authenticated by this store's audit key");
    }
  }
  result_.head_hash = last_hash_;
  return result_;
}

}  // namespace idreg
