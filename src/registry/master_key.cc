#include "idreg/registry/master_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/sodium_init.h"
#include "idreg/core/bytes.h"

namespace idreg {
namespace {

constexpr char kHeader[] = "idreg-master-key v1";
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "idreg-mk";

// Subkey ids: one per purpose; never reuse a number for another purpose.
constexpr uint64_t kSubkeyWrap = 1;
constexpr uint64_t kSubkeyAudit = 2;
constexpr uint64_t kSubkeyId = 3;

}  // namespace

MasterKey::~MasterKey() {
  if (raw_) sodium_free(raw_);
}

std::shared_ptr<const MasterKey> MasterKey::Generate() {
  EnsureSodium();
  MasterKey::Raw raw;
  randombytes_buf(raw.data(), raw.size());
  auto key = FromRaw(raw);
  SecureZero(raw.data(), raw.size());
  return *key;
}

Result<std::shared_ptr<const MasterKey>> MasterKey::FromRaw(const Raw& raw) {
  EnsureSodium();
  std::shared_ptr<MasterKey> key(new MasterKey());
  key->raw_ = static_cast<Raw*>(sodium_malloc(sizeof(Raw)));
  if (!key->raw_) return Status::Internal("cannot allocate guarded memory for the master key");
  std::memcpy(key->raw_->data(), raw.data(), kBytes);
  return std::shared_ptr<const MasterKey>(std::move(key));
}

Result<std::shared_ptr<const MasterKey>> MasterKey::FromBase64(const std::string& text) {
  auto bytes = Base64Decode(text);
  if (!bytes.ok()) return bytes.status().WithContext("master key");
  if (bytes->size() != kBytes) {
    return Status::InvalidArgument("master key must be " + std::to_string(kBytes) + " bytes, got " +
                                   std::to_string(bytes->size()));
  }
  Raw raw;
  std::memcpy(raw.data(), bytes->data(), kBytes);
  SecureZero(bytes->data(), bytes->size());
  auto key = FromRaw(raw);
  SecureZero(raw.data(), raw.size());
  return key;
}

Result<std::shared_ptr<const MasterKey>> MasterKey::Load(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("master key file " + path + " does not exist (run idreg init)");
    return Status::Unavailable("cannot stat master key file " + path + ": " + std::strerror(errno));
  }
  if (st.st_mode & 077) {
    return Status::PermissionDenied("master key file " + path +
                                    " is readable by group or others; chmod 600 it");
  }
  std::ifstream f(path);
  if (!f) return Status::Unavailable("cannot read master key file " + path);
  std::string header, body;
  std::getline(f, header);
  std::getline(f, body);
  if (header != kHeader) {
    return Status::Corruption("master key file " + path + ": first line must be '" + kHeader + "'");
  }
  auto key = FromBase64(body);
  if (!key.ok()) return key.status().WithContext("master key file " + path);
  return key;
}

Status MasterKey::Create(const std::string& path, const MasterKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists("master key file " + path + " already exists");
    return Status::Unavailable("cannot create master key file " + path + ": " + std::strerror(errno));
  }
  std::string text = std::string(kHeader) + "\n" + key.ToBase64() + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  SecureZero(text.data(), text.size());
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return Status::Unavailable("cannot write master key file " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

std::string MasterKey::KeyId() const {
  Raw sub;
  crypto_kdf_derive_from_key(sub.data(), sub.size(), kSubkeyId, kKdfContext, raw_->data());
  uint8_t id[16];
  crypto_generichash(id, sizeof id, sub.data(), sub.size(), nullptr, 0);
  SecureZero(sub.data(), sub.size());
  return HexEncode(id, sizeof id);
}

MasterKey::Raw MasterKey::WrapKey() const {
  Raw sub;
  crypto_kdf_derive_from_key(sub.data(), sub.size(), kSubkeyWrap, kKdfContext, raw_->data());
  return sub;
}

AuditKey MasterKey::DeriveAuditKey() const {
  idreg::AuditKey sub;
  crypto_kdf_derive_from_key(sub.data(), sub.size(), kSubkeyAudit, kKdfContext, raw_->data());
  return sub;
}

MasterKey::Raw MasterKey::DeriveSubkey(uint64_t id) const {
  Raw sub;
  crypto_kdf_derive_from_key(sub.data(), sub.size(), id, kKdfContext, raw_->data());
  return sub;
}

std::string MasterKey::ToBase64() const {
  Bytes b(raw_->begin(), raw_->end());
  std::string s = Base64Encode(b);
  SecureZero(b.data(), b.size());
  return s;
}

}  // namespace idreg
