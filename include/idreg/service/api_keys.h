// API keys of the service. A key reads "idreg_<key id>_<secret>"; the store keeps only the key id,
// its role and an Argon2id hash of the secret. Verifying Argon2id costs tens of milliseconds by
// design, so keys that verified are remembered in memory (by SHA-256 of the whole token) for
// kCacheSeconds; a revocation takes effect within that time.
#ifndef IDREG_SERVICE_API_KEYS_H_
#define IDREG_SERVICE_API_KEYS_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>

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
  explicit ApiKeyVerifier(Store& store) : store_(store) {}

  // Unauthenticated with a reason for a missing, malformed, unknown, revoked or wrong key.
  Result<Caller> Verify(const std::string& authorization_header);

 private:
  struct Cached {
    Caller caller;
    std::chrono::steady_clock::time_point until;
  };
  Store& store_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;
};

}  // namespace idreg::service

#endif  // IDREG_SERVICE_API_KEYS_H_
