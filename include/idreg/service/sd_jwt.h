// Selective-disclosure credentials: SD-JWT (RFC 9901) signed with Ed25519 (libsodium). The issuer
// signs a JWT that holds only salted digests of the claims; each claim travels as a separate
// disclosure, and the holder presents any subset of them. A verifier needs only the issuer's
// public key (GET /v1/keys), so verification works offline.
// Compact form: <header>.<payload>.<signature>~<disclosure>~...~
#ifndef IDREG_SERVICE_SD_JWT_H_
#define IDREG_SERVICE_SD_JWT_H_

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/registry/master_key.h"

namespace idreg::service {

std::string Base64UrlEncode(const uint8_t* data, size_t size);
inline std::string Base64UrlEncode(const std::string& s) {
  return Base64UrlEncode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
Result<std::string> Base64UrlDecode(const std::string& text);

// The issuer's Ed25519 key pair, derived from the master key, so every server of a deployment
// signs with the same key and no extra secret has to be kept.
class CredentialIssuer {
 public:
  explicit CredentialIssuer(const MasterKey& master);
  ~CredentialIssuer();

  const std::array<uint8_t, 32>& public_key() const { return public_key_; }
  std::string key_id() const;  // first 16 base64url characters of SHA-256 of the public key
  nlohmann::json Jwks() const;  // {"keys": [{kty OKP, crv Ed25519, x, kid, alg EdDSA, use sig}]}

  // Issues an SD-JWT whose every claim is selectively disclosable. `subject` goes in "sub".
  std::string Issue(const std::string& issuer, const std::string& subject,
                    const std::map<std::string, nlohmann::json>& claims, int64_t issued_at,
                    int64_t expires_at) const;

 private:
  std::array<uint8_t, 32> public_key_{};
  std::array<uint8_t, 64> secret_key_{};
};

// A verified credential: the claims its presented disclosures reveal.
struct VerifiedCredential {
  nlohmann::json payload;                       // the signed JWT payload
  std::map<std::string, nlohmann::json> claims;  // disclosed claims only
};

// Verifies the signature against the JWKS (by kid, or the only key) and every disclosure against
// the signed digests; Unauthenticated naming what failed, InvalidArgument for a malformed token.
Result<VerifiedCredential> VerifySdJwt(const std::string& compact, const nlohmann::json& jwks, int64_t now);

// Keeps only the disclosures of the named claims (the holder's choice); InvalidArgument when a
// named claim is not in the credential.
Result<std::string> PresentSdJwt(const std::string& compact, const std::vector<std::string>& disclose);

}  // namespace idreg::service

#endif  // IDREG_SERVICE_SD_JWT_H_
