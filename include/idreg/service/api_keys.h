// API keys of the service. A key reads "idreg_<key id>_<secret>"; the store keeps only the key id,
// its role and an Argon2id hash of the secret. Verifying Argon2id costs tens of milliseconds by
// design, so keys that verified are remembered in memory (by SHA-256 of the whole token) for
// kCacheSeconds; a revocation takes effect within that time. The same cost makes guessing a
// key's secret a way to burn the server's CPU, so after kMaxWrongSecrets wrong secrets for one key
// id within kWrongSecretWindowSeconds that key id is refused without hashing until the window
// ends (the right secret included: an attacker must not learn when a guess was right).
#ifndef IDREG_SERVICE_API_KEYS_H_
#define IDREG_SERVICE_API_KEYS_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "idreg/core/clock.h"
#include "idreg/registry/store.h"

namespace idreg::service {

struct NewApiKey {
  Id id;
  std::string token;  // shown once to the user, never stored
};

// Creates a key with `role` and stores its hash; audited as key.create.
Result<NewApiKey> CreateApiKey(Store& store, const std::string& role, const std::string& label, const Actor& actor);

struct Caller {
  Id key_id;
  std::string role;
  std::string name() const { return "key:" + key_id.ToString(); }
};

class ApiKeyVerifier {
 public:
  static constexpr int kCacheSeconds = 60;
  static constexpr int kMaxWrongSecrets = 5;
  static constexpr int kWrongSecretWindowSeconds = 60;
  explicit ApiKeyVerifier(Store& store, const Clock& clock = Clock::System()) : store_(store), clock_(clock) {}

  // Unauthenticated with a reason for a missing, malformed, unknown, revoked or wrong key.
  Result<Caller> Verify(const std::string& authorization_header);

 private:
  struct Cached {
    Caller caller;
    std::chrono::system_clock::time_point until;
  };
  struct WrongSecrets {
    int count = 0;
    std::chrono::system_clock::time_point window_end;
  };
  // Locked key ids answer without hashing; returns the refusal, or Ok to go on.
  Status CheckLockout(const Id& id, std::chrono::system_clock::time_point now);
  void RecordWrongSecret(const Id& id, std::chrono::system_clock::time_point now);

  Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;
  std::map<Id, WrongSecrets> wrong_;
};

}  // namespace idreg::service

#endif  // IDREG_SERVICE_API_KEYS_H_
