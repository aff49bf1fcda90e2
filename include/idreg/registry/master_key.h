// The master key: 32 random bytes that wrap every person's data key and authenticate the audit
// chain. It lives in a key file (created with mode 0600 by `idreg init`) or in the environment
// variable IDREG_MASTER_KEY, never in the store. Key file format: doc/key-file.md.
#ifndef IDREG_REGISTRY_MASTER_KEY_H_
#define IDREG_REGISTRY_MASTER_KEY_H_

#include <array>
#include <memory>
#include <string>

#include "idreg/core/result.h"
#include "idreg/registry/audit.h"

namespace idreg {

class MasterKey {
 public:
  static constexpr size_t kBytes = 32;
  using Raw = std::array<uint8_t, kBytes>;

  ~MasterKey();
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;

  static std::shared_ptr<const MasterKey> Generate();
  static Result<std::shared_ptr<const MasterKey>> FromRaw(const Raw& raw);
  // Base64 of the 32 bytes (the form IDREG_MASTER_KEY takes).
  static Result<std::shared_ptr<const MasterKey>> FromBase64(const std::string& text);

  // Reads a key file; refuses one that others can read (mode must not grant group/other access).
  static Result<std::shared_ptr<const MasterKey>> Load(const std::string& path);
  // Writes a new key file with mode 0600; AlreadyExists if the path exists (never overwrites).
  static Status Create(const std::string& path, const MasterKey& key);

  // A public fingerprint the store keeps to tell a wrong key from corrupt data.
  std::string KeyId() const;
  // Subkeys derived for one purpose each (libsodium KDF).
  Raw WrapKey() const;
  idreg::AuditKey DeriveAuditKey() const;
  // A 32-byte subkey for one purpose; ids 1-3 are taken (wrap, audit, key id), 4 signs credentials.
  Raw DeriveSubkey(uint64_t id) const;
  std::string ToBase64() const;

 private:
  MasterKey() = default;
  Raw* raw_ = nullptr;  // in libsodium guarded memory
};

}  // namespace idreg

#endif  // IDREG_REGISTRY_MASTER_KEY_H_
