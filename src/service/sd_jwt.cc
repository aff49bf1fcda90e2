#include "idreg/service/sd_jwt.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "core/sodium_init.h"
#include "idreg/core/bytes.h"

namespace idreg::service {

using nlohmann::json;

namespace {

constexpr uint64_t kSubkeyCredential = 4;  // master-key KDF subkey id (see doc/sealing.md)

std::string Digest(const std::string& disclosure) {
  auto d = Sha256(disclosure);
  return Base64UrlEncode(d.data(), d.size());
}

struct Parts {
  std::string header_b64, payload_b64, signature_b64;
  std::vector<std::string> disclosures;
};

Result<Parts> Split(const std::string& compact) {
  Parts p;
  size_t tilde = compact.find('~');
  if (tilde == std::string::npos) return Status::InvalidArgument("not an SD-JWT: no '~' after the issuer JWT");
  std::string jwt = compact.substr(0, tilde);
  size_t d1 = jwt.find('.'), d2 = jwt.find('.', d1 == std::string::npos ? 0 : d1 + 1);
  if (d1 == std::string::npos || d2 == std::string::npos || jwt.find('.', d2 + 1) != std::string::npos) {
    return Status::InvalidArgument("the issuer JWT must have three parts separated by '.'");
  }
  p.header_b64 = jwt.substr(0, d1);
  p.payload_b64 = jwt.substr(d1 + 1, d2 - d1 - 1);
  p.signature_b64 = jwt.substr(d2 + 1);
  size_t start = tilde + 1;
  while (start < compact.size()) {
    size_t next = compact.find('~', start);
    if (next == std::string::npos) return Status::InvalidArgument("SD-JWT must end with '~' (key binding is not supported)");
    if (next > start) p.disclosures.push_back(compact.substr(start, next - start));
    start = next + 1;
  }
  return p;
}

Result<json> DecodeJson(const std::string& b64, const std::string& what) {
  auto text = Base64UrlDecode(b64);
  if (!text.ok()) return text.status().WithContext(what);
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(what + " is not JSON");
  return j;
}

}  // namespace

std::string Base64UrlEncode(const uint8_t* data, size_t size) {
  EnsureSodium();
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> Base64UrlDecode(const std::string& text) {
  EnsureSodium();
  std::string out(text.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<uint8_t*>(out.data()), out.size(), text.data(), text.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return Status::InvalidArgument("malformed base64url");
  }
  out.resize(len);
  return out;
}

CredentialIssuer::CredentialIssuer(const MasterKey& master) {
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed = master.DeriveSubkey(kSubkeyCredential);
  crypto_sign_seed_keypair(public_key_.data(), secret_key_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
}

CredentialIssuer::~CredentialIssuer() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

std::string CredentialIssuer::key_id() const {
  auto d = Sha256(public_key_.data(), public_key_.size());
  return Base64UrlEncode(d.data(), d.size()).substr(0, 16);
}

json CredentialIssuer::Jwks() const {
  return {{"keys",
           {{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlEncode(public_key_.data(), public_key_.size())},
             {"kid", key_id()}, {"alg", "EdDSA"}, {"use", "sig"}}}}};
}

std::string CredentialIssuer::Issue(const std::string& issuer, const std::string& subject,
                                    const std::map<std::string, json>& claims, int64_t issued_at,
                                    int64_t expires_at) const {
  std::vector<std::string> disclosures, digests;
  for (const auto& [name, value] : claims) {
    uint8_t salt[16];
    randombytes_buf(salt, sizeof salt);
    std::string d = Base64UrlEncode(json::array({Base64UrlEncode(salt, sizeof salt), name, value}).dump());
    digests.push_back(Digest(d));
    disclosures.push_back(d);
  }
  // Sorted digests reveal nothing about the order of the claims.
  std::sort(digests.begin(), digests.end());
  json header = {{"alg", "EdDSA"}, {"typ", "dc+sd-jwt"}, {"kid", key_id()}};
  json payload = {{"iss", issuer}, {"sub", subject}, {"iat", issued_at}, {"exp", expires_at},
                  {"vct", "urn:idreg:identity:1"}, {"_sd", digests}, {"_sd_alg", "sha-256"}};
  std::string signing_input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  uint8_t sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const uint8_t*>(signing_input.data()), signing_input.size(),
                       secret_key_.data());
  std::string out = signing_input + "." + Base64UrlEncode(sig, sizeof sig) + "~";
  for (const auto& d : disclosures) out += d + "~";
  return out;
}

Result<VerifiedCredential> VerifySdJwt(const std::string& compact, const json& jwks, int64_t now) {
  EnsureSodium();
  IDREG_ASSIGN_OR_RETURN(Parts p, Split(compact));
  IDREG_ASSIGN_OR_RETURN(json header, DecodeJson(p.header_b64, "JWT header"));
  if (header.value("alg", "") != "EdDSA") return Status::Unauthenticated("only EdDSA (Ed25519) credentials are accepted");
  if (!jwks.contains("keys") || !jwks["keys"].is_array() || jwks["keys"].empty()) {
    return Status::InvalidArgument("the JWKS holds no keys");
  }
  const json* key = nullptr;
  for (const json& k : jwks["keys"]) {
    if (!header.contains("kid") || k.value("kid", "") == header.value("kid", "")) key = &k;
  }
  if (!key) return Status::Unauthenticated("no key in the JWKS has the credential's kid");
  IDREG_ASSIGN_OR_RETURN(std::string pk, Base64UrlDecode(key->value("x", "")));
  IDREG_ASSIGN_OR_RETURN(std::string sig, Base64UrlDecode(p.signature_b64));
  if (pk.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) {
    return Status::InvalidArgument("wrong public key or signature length");
  }
  std::string signing_input = p.header_b64 + "." + p.payload_b64;
  if (crypto_sign_verify_detached(reinterpret_cast<const uint8_t*>(sig.data()),
                                  reinterpret_cast<const uint8_t*>(signing_input.data()), signing_input.size(),
                                  reinterpret_cast<const uint8_t*>(pk.data())) != 0) {
    return Status::Unauthenticated("the issuer's signature does not verify");
  }
  VerifiedCredential out;
  IDREG_ASSIGN_OR_RETURN(out.payload, DecodeJson(p.payload_b64, "JWT payload"));
  if (out.payload.value("_sd_alg", "") != "sha-256") return Status::Unauthenticated("unsupported _sd_alg");
  if (out.payload.contains("exp") && out.payload["exp"].is_number() && out.payload["exp"].get<int64_t>() < now) {
    return Status::Unauthenticated("the credential expired");
  }
  const json& sd = out.payload.contains("_sd") ? out.payload["_sd"] : json::array();
  for (const std::string& d : p.disclosures) {
    if (std::find(sd.begin(), sd.end(), Digest(d)) == sd.end()) {
      return Status::Unauthenticated("a disclosure does not match any signed digest (altered or foreign)");
    }
    IDREG_ASSIGN_OR_RETURN(json arr, DecodeJson(d, "disclosure"));
    if (!arr.is_array() || arr.size() != 3 || !arr[1].is_string()) {
      return Status::InvalidArgument("a disclosure must be [salt, name, value]");
    }
    if (!out.claims.emplace(arr[1].get<std::string>(), arr[2]).second) {
      return Status::Unauthenticated("claim " + arr[1].get<std::string>() + " is disclosed twice");
    }
  }
  return out;
}

Result<std::string> PresentSdJwt(const std::string& compact, const std::vector<std::string>& disclose) {
  IDREG_ASSIGN_OR_RETURN(Parts p, Split(compact));
  std::string out = p.header_b64 + "." + p.payload_b64 + "." + p.signature_b64 + "~";
  std::vector<std::string> found;
  for (const std::string& d : p.disclosures) {
    IDREG_ASSIGN_OR_RETURN(json arr, DecodeJson(d, "disclosure"));
    if (!arr.is_array() || arr.size() != 3 || !arr[1].is_string()) {
      return Status::InvalidArgument("a disclosure must be [salt, name, value]");
    }
    std::string name = arr[1];
    if (std::find(disclose.begin(), disclose.end(), name) != disclose.end()) {
      out += d + "~";
      found.push_back(name);
    }
  }
  for (const auto& want : disclose) {
    if (std::find(found.begin(), found.end(), want) == found.end()) {
      return Status::InvalidArgument("the credential has no claim '" + want + "'");
    }
  }
  return out;
}

}  // namespace idreg::service
