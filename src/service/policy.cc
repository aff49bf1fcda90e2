#include "idreg/service/policy.h"

#include <algorithm>
#include <string>

namespace idreg::service {

bool IsRole(std::string_view role) { return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles); }

// Least privilege: biometric data leaves the service only for adjudication; erasure is an
// admin's act on a data-subject request; auditors see the log, never the profiles.
const std::vector<PolicyRule>& PolicyTable() {
  static const std::vector<PolicyRule> kTable = {
      {"border_officer", "border_entry.create", {"border_control"}},
      {"border_officer", "profile.read", {"border_control"}},
      {"border_officer", "identify", {"border_control"}},
      {"border_officer", "verify", {"border_control"}},
      {"consular_officer", "consular_registration.create", {"consular_service"}},
      {"consular_officer", "profile.read", {"consular_service"}},
      {"consular_officer", "credential.issue", {"consular_service"}},
      {"consular_officer", "identify", {"consular_service"}},
      {"consular_officer", "verify", {"consular_service"}},
      {"adjudicator", "profile.read", {"adjudication"}},
      {"adjudicator", "profile.read_biometrics", {"adjudication"}},
      {"adjudicator", "review.read", {"adjudication"}},
      {"adjudicator", "review.decide", {"adjudication"}},
      {"adjudicator", "identify", {"adjudication"}},
      {"adjudicator", "verify", {"adjudication"}},
      {"auditor", "audit.read", {"audit"}},
      {"auditor", "audit.verify", {"audit"}},
      {"auditor", "access_report.read", {"audit", "data_subject_request"}},
      {"admin", "profile.read", {"administration", "data_subject_request"}},
      {"admin", "profile.erase", {"erasure"}},
      {"admin", "credential.issue", {"data_subject_request"}},
      {"admin", "access_report.read", {"data_subject_request"}},
      {"admin", "audit.verify", {"audit", "administration"}},
  };
  return kTable;
}

Status Authorize(std::string_view role, std::string_view action, std::string_view purpose) {
  if (!IsRole(role)) return Status::PermissionDenied("unknown role '" + std::string(role) + "'");
  bool role_may = false;
  for (const PolicyRule& r : PolicyTable()) {
    if (r.role != role || r.action != action) continue;
    role_may = true;
    if (r.purposes.empty()) return Status::Ok();
    if (std::find(r.purposes.begin(), r.purposes.end(), purpose) != r.purposes.end()) return Status::Ok();
  }
  if (!role_may) {
    return Status::PermissionDenied("role " + std::string(role) + " may not perform " + std::string(action));
  }
  if (purpose.empty()) {
    return Status::PermissionDenied(std::string(action) + " needs a purpose: send the X-Purpose header");
  }
  if (std::find(std::begin(kPurposes), std::end(kPurposes), purpose) == std::end(kPurposes)) {
    return Status::PermissionDenied("unknown purpose '" + std::string(purpose) + "'");
  }
  return Status::PermissionDenied("role " + std::string(role) + " may not perform " + std::string(action) +
                                  " for the purpose " + std::string(purpose));
}

}  // namespace idreg::service
