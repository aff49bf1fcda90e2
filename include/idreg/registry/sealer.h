// Sealing of biometric payloads at rest: each person has a random data key, wrapped by the
// master key; payloads are encrypted with XChaCha20-Poly1305 under the data key, with the
// person id and the record id as associated data so a sealed payload cannot be moved to another
// record or person unnoticed. Destroying the wrapped data key makes every payload of that
// person unreadable (crypto-shredding). Formats: doc/sealing.md.
#ifndef IDREG_REGISTRY_SEALER_H_
#define IDREG_REGISTRY_SEALER_H_

#include <array>
#include <memory>
#include <string_view>

#include "idreg/core/bytes.h"
#include "idreg/core/id.h"
#include "idreg/core/result.h"
#include "idreg/registry/master_key.h"

namespace idreg {

// A person's data key in plaintext; wiped when destroyed.
class DataKey {
 public:
  static constexpr size_t kBytes = 32;
  DataKey();
  ~DataKey();
  DataKey(const DataKey& other);
  DataKey& operator=(const DataKey& other);
  static DataKey Random();
  uint8_t* data() { return raw_.data(); }
  const uint8_t* data() const { return raw_.data(); }

 private:
  std::array<uint8_t, kBytes> raw_{};
};

class Sealer {
 public:
  explicit Sealer(std::shared_ptr<const MasterKey> master);

  Bytes WrapDataKey(const ProfileId& person, const DataKey& key) const;
  // Unauthenticated when the wrapped key was not made by this master key for this person.
  Result<DataKey> UnwrapDataKey(const ProfileId& person, const Bytes& wrapped) const;

  static Bytes Seal(const DataKey& key, const ProfileId& person, const Id& record, const Bytes& plaintext);
  // Corruption when the payload is malformed or was altered, moved or sealed under another key.
  static Result<Bytes> Open(const DataKey& key, const ProfileId& person, const Id& record, const Bytes& sealed);
  // A form derived from record `record` (profile.h DerivedForm): the same AEAD under the person's
  // key, with the kind in the associated data, so a derived form cannot pass for the payload, for
  // another kind, or for another record's.
  static Bytes SealDerived(const DataKey& key, const ProfileId& person, const Id& record, std::string_view kind,
                           const Bytes& plaintext);
  static Result<Bytes> OpenDerived(const DataKey& key, const ProfileId& person, const Id& record, std::string_view kind,
                                   const Bytes& sealed);

 private:
  std::shared_ptr<const MasterKey> master_;
  MasterKey::Raw wrap_key_;
};

}  // namespace idreg

#endif  // IDREG_REGISTRY_SEALER_H_
