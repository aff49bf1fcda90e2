// API key verification: good keys pass (and are cached), wrong secrets are refused, and after
// kMaxWrongSecrets wrong secrets a key id is locked for the rest of the window, even for the right
// secret, then opens again.
#include "idreg/service/api_keys.h"

#include <gtest/gtest.h>

#include "registry/store_test_util.h"

namespace idreg::service {
namespace {

// A clock the test moves forward.
class StepClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return t_; }
  void Advance(std::chrono::seconds s) { t_ += s; }

 private:
  std::chrono::system_clock::time_point t_ = std::chrono::system_clock::time_point(std::chrono::hours(490000));
};

TEST(ApiKeyVerifier, WrongSecretsLockTheKeyForTheWindow) {
  testing::TempDir dir;
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = std::move(*Store::Open("sqlite:" + (dir.path() / "idreg.db").string(), o));
  Actor admin{"setup", "admin", "administration"};
  Result<NewApiKey> key = CreateApiKey(*store, "auditor", "", admin);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  Result<NewApiKey> other = CreateApiKey(*store, "auditor", "", admin);
  ASSERT_TRUE(other.ok());

  StepClock clock;
  ApiKeyVerifier verifier(*store, clock);
  std::string good = "Bearer " + key->token;
  std::string wrong = good.substr(0, good.size() - 3) + "xyz";
  for (int i = 0; i < ApiKeyVerifier::kMaxWrongSecrets; ++i) {
    Result<Caller> r = verifier.Verify(wrong);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("wrong API key secret"), std::string::npos) << r.status().message();
  }
  // Locked now: the right secret is refused too (it was not cached before the attack).
  Result<Caller> locked = verifier.Verify(good);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(locked.status().message().find("is locked for"), std::string::npos) << locked.status().message();
  // Other keys are not affected.
  EXPECT_TRUE(verifier.Verify("Bearer " + other->token).ok());
  // After the window the key opens again.
  clock.Advance(std::chrono::seconds(ApiKeyVerifier::kWrongSecretWindowSeconds + 1));
  Result<Caller> open = verifier.Verify(good);
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  EXPECT_EQ(open->role, "auditor");
  // Fewer wrong secrets than the limit, spread over windows, never lock.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i + 1 < ApiKeyVerifier::kMaxWrongSecrets; ++i) EXPECT_FALSE(verifier.Verify(wrong).ok());
    clock.Advance(std::chrono::seconds(ApiKeyVerifier::kWrongSecretWindowSeconds + 1));
    EXPECT_TRUE(verifier.Verify(good).ok());
  }
}

TEST(ApiKeyVerifier, MalformedAndUnknownKeysAreRefusedWithAReason) {
  testing::TempDir dir;
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = std::move(*Store::Open("sqlite:" + (dir.path() / "idreg.db").string(), o));
  ApiKeyVerifier verifier(*store);
  EXPECT_NE(verifier.Verify("").status().message().find("no API key"), std::string::npos);
  EXPECT_NE(verifier.Verify("Basic abc").status().message().find("Bearer"), std::string::npos);
  EXPECT_NE(verifier.Verify("Bearer idreg_short").status().message().find("malformed"), std::string::npos);
  std::string unknown = "Bearer idreg_" + Id::Random().ToString() + "_secret";
  EXPECT_NE(verifier.Verify(unknown).status().message().find("unknown API key"), std::string::npos);
}

}  // namespace
}  // namespace idreg::service
