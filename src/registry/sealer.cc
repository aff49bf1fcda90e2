#include "idreg/registry/sealer.h"

#include <sodium.h>

#include <cstring>

#include "core/sodium_init.h"

namespace idreg {
namespace {

// Sealed payload: version byte, 24-byte nonce, ciphertext with its 16-byte tag (doc/sealing.md).
constexpr uint8_t kPayloadVersion = 1;
constexpr uint8_t kWrapVersion = 1;
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

Bytes AssociatedData(std::string_view label, const Id& a, const Id* b) {
  Bytes ad(label.begin(), label.end());
  ad.insert(ad.end(), a.bytes().begin(), a.bytes().end());
  if (b) ad.insert(ad.end(), b->bytes().begin(), b->bytes().end());
  return ad;
}

// A derived form's associated data: its own label, the kind (length-prefixed, so no kind is a
// prefix of another's data), the person and the record.
Bytes DerivedData(std::string_view kind, const Id& person, const Id& record) {
  Bytes ad = AssociatedData("idreg/derived/v1", person, &record);
  ad.push_back(static_cast<uint8_t>(kind.size()));
  ad.insert(ad.end(), kind.begin(), kind.end());
  return ad;
}

Bytes Encrypt(uint8_t version, const uint8_t* key, const Bytes& ad, const uint8_t* plain, size_t size) {
  Bytes out(1 + kNonce + size + kTag);
  out[0] = version;
  randombytes_buf(out.data() + 1, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + 1 + kNonce, &clen, plain, size, ad.data(), ad.size(),
                                             nullptr, out.data() + 1, key);
  out.resize(1 + kNonce + clen);
  return out;
}

// Returns false when the box is malformed or fails authentication.
bool Decrypt(uint8_t version, const uint8_t* key, const Bytes& ad, const Bytes& box, Bytes& plain) {
  if (box.size() < 1 + kNonce + kTag || box[0] != version) return false;
  plain.resize(box.size() - 1 - kNonce - kTag);
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plen, nullptr, box.data() + 1 + kNonce,
                                                 box.size() - 1 - kNonce, ad.data(), ad.size(),
                                                 box.data() + 1, key) != 0) {
    return false;
  }
  plain.resize(plen);
  return true;
}

}  // namespace

DataKey::DataKey() = default;
DataKey::~DataKey() { SecureZero(raw_.data(), raw_.size()); }
DataKey::DataKey(const DataKey& other) = default;
DataKey& DataKey::operator=(const DataKey& other) = default;

DataKey DataKey::Random() {
  EnsureSodium();
  DataKey k;
  randombytes_buf(k.raw_.data(), k.raw_.size());
  return k;
}

Sealer::Sealer(std::shared_ptr<const MasterKey> master)
    : master_(std::move(master)), wrap_key_(master_->WrapKey()) {}

Bytes Sealer::WrapDataKey(const ProfileId& person, const DataKey& key) const {
  return Encrypt(kWrapVersion, wrap_key_.data(), AssociatedData("idreg/data-key/v1", person, nullptr), key.data(),
                 DataKey::kBytes);
}

Result<DataKey> Sealer::UnwrapDataKey(const ProfileId& person, const Bytes& wrapped) const {
  Bytes plain;
  if (!Decrypt(kWrapVersion, wrap_key_.data(), AssociatedData("idreg/data-key/v1", person, nullptr), wrapped,
               plain) ||
      plain.size() != DataKey::kBytes) {
    return Status::Unauthenticated("the data key of profile " + person.ToString() +
                                   " does not open with this master key");
  }
  DataKey k;
  std::memcpy(k.data(), plain.data(), DataKey::kBytes);
  SecureZero(plain.data(), plain.size());
  return k;
}

Bytes Sealer::Seal(const DataKey& key, const ProfileId& person, const Id& record, const Bytes& plaintext) {
  EnsureSodium();
  return Encrypt(kPayloadVersion, key.data(), AssociatedData("idreg/payload/v1", person, &record),
                 plaintext.data(), plaintext.size());
}

Result<Bytes> Sealer::Open(const DataKey& key, const ProfileId& person, const Id& record, const Bytes& sealed) {
  Bytes plain;
  if (!Decrypt(kPayloadVersion, key.data(), AssociatedData("idreg/payload/v1", person, &record), sealed, plain)) {
    return Status::Corruption("sealed payload of record " + record.ToString() +
                              " is malformed, altered, or belongs to another record");
  }
  return plain;
}

Bytes Sealer::SealDerived(const DataKey& key, const ProfileId& person, const Id& record, std::string_view kind,
                          const Bytes& plaintext) {
  EnsureSodium();
  return Encrypt(kPayloadVersion, key.data(), DerivedData(kind, person, record), plaintext.data(), plaintext.size());
}

Result<Bytes> Sealer::OpenDerived(const DataKey& key, const ProfileId& person, const Id& record, std::string_view kind,
                                  const Bytes& sealed) {
  Bytes plain;
  if (!Decrypt(kPayloadVersion, key.data(), DerivedData(kind, person, record), sealed, plain)) {
    return Status::Corruption("sealed " + std::string(kind) + " form of record " + record.ToString() +
                              " is malformed, altered, or belongs to another record");
  }
  return plain;
}

}  // namespace idreg
