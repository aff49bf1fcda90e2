// JSON renderings of profiles for `--json` output. Biometric payloads are described (size and
// SHA-256), never printed: a profile listing must not become a way to export biometrics.
#ifndef IDREG_SERVICE_PROFILE_JSON_H_
#define IDREG_SERVICE_PROFILE_JSON_H_

#include <nlohmann/json.hpp>

#include "idreg/registry/audit.h"
#include "idreg/registry/profile.h"

namespace idreg::service {

nlohmann::json ProfileToJson(const Profile& p);
nlohmann::json SummaryToJson(const ProfileSummary& s);
nlohmann::json AuditEntryToJson(const AuditEntry& e);

// "sha256:<first 16 hex digits>", to recognise a payload without revealing it.
std::string PayloadFingerprint(const Bytes& payload);

}  // namespace idreg::service

#endif  // IDREG_SERVICE_PROFILE_JSON_H_
