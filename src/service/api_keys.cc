#include "idreg/service/api_keys.h"

#include <sodium.h>

#include "core/sodium_init.h"
#include "idreg/service/policy.h"

namespace idreg::service {
namespace {

constexpr std::string_view kPrefix = "idreg_";
constexpr size_t kSecretBytes = 32;

std::string SecretText() {
  uint8_t raw[kSecretBytes];
  randombytes_buf(raw, sizeof raw);
  char text[sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
  return text;
}

}  // namespace

Result<NewApiKey> CreateApiKey(Store& store, const std::string& role, const std::string& label, const Actor& actor) {
  EnsureSodium();
  if (!IsRole(role)) {
    return Status::InvalidArgument("unknown role '" + role +
                                   "': expected border_officer, consular_officer, adjudicator, auditor or admin");
  }
  NewApiKey key{Id::Random(), ""};
  std::string secret = SecretText();
  char hash[crypto_pwhash_STRBYTES];
  // Interactive limits: the hash is checked once per key and process, then cached.
  if (crypto_pwhash_str(hash, secret.c_str(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("Argon2id hashing ran out of memory");
  }
  IDREG_RETURN_IF_ERROR(store.CreateApiKey(ApiKeyRecord{key.id, hash, role, label, "", ""}, actor));
  key.token = std::string(kPrefix) + key.id.ToString() + "_" + secret;
  return key;
}

Result<Caller> ApiKeyVerifier::Verify(const std::string& header) {
  constexpr std::string_view kBearer = "Bearer ";
  if (header.empty()) return Status::Unauthenticated("no API key: send 'Authorization: Bearer idreg_...'");
  if (header.rfind(kBearer, 0) != 0) return Status::Unauthenticated("the Authorization header must be 'Bearer <key>'");
  std::string token = header.substr(kBearer.size());
  auto digest = Sha256(token);
  std::string cache_key(digest.begin(), digest.end());
  auto now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(cache_key); it != cache_.end() && it->second.until > now) return it->second.caller;
  }
  if (token.rfind(kPrefix, 0) != 0 || token.size() < kPrefix.size() + Id::kTextLength + 2 ||
      token[kPrefix.size() + Id::kTextLength] != '_') {
    return Status::Unauthenticated("malformed API key (expected idreg_<id>_<secret>)");
  }
  auto id = Id::Parse(token.substr(kPrefix.size(), Id::kTextLength));
  if (!id.ok()) return Status::Unauthenticated("malformed API key id");
  std::string secret = token.substr(kPrefix.size() + Id::kTextLength + 1);
  IDREG_RETURN_IF_ERROR(CheckLockout(*id, now));
  auto record = store_.GetApiKey(*id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) return Status::Unauthenticated("unknown API key");
    return record.status();
  }
  if (!record->revoked_at.empty()) return Status::Unauthenticated("API key " + id->ToString() + " was revoked");
  if (crypto_pwhash_str_verify(record->secret_hash.c_str(), secret.c_str(), secret.size()) != 0) {
    RecordWrongSecret(*id, now);
    return Status::Unauthenticated("wrong API key secret");
  }
  Caller caller{*id, record->role};
  std::lock_guard lock(mu_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: a flood of distinct keys cannot grow it
  cache_[cache_key] = Cached{caller, now + std::chrono::seconds(kCacheSeconds)};
  return caller;
}

Status ApiKeyVerifier::CheckLockout(const Id& id, std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = wrong_.find(id);
  if (it == wrong_.end()) return Status::Ok();
  if (it->second.window_end <= now) {
    wrong_.erase(it);
    return Status::Ok();
  }
  if (it->second.count < kMaxWrongSecrets) return Status::Ok();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(it->second.window_end - now).count() + 1;
  return Status::Unauthenticated("API key " + id.ToString() + " is locked for " + std::to_string(seconds) +
                                 " s after " + std::to_string(kMaxWrongSecrets) + " wrong secrets");
}

void ApiKeyVerifier::RecordWrongSecret(const Id& id, std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mu_);
  // Bounded like the cache: only ids of existing keys get here, so the map holds at most one
  // entry per key, but expired entries are swept when it grows.
  if (wrong_.size() > 10000) std::erase_if(wrong_, [&](const auto& e) { return e.second.window_end <= now; });
  WrongSecrets& w = wrong_[id];
  if (w.window_end <= now) w = WrongSecrets{0, now + std::chrono::seconds(kWrongSecretWindowSeconds)};
  ++w.count;
}

}  // namespace idreg::service
