// Access policy of the service: one table decides, for every role and action, under which
// purposes the action is allowed. A request that reads personal data must state its purpose;
// anything not in the table is refused. The table is printed in doc/access-policy.md.
#ifndef IDREG_SERVICE_POLICY_H_
#define IDREG_SERVICE_POLICY_H_

#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/status.h"

namespace idreg::service {

// Roles an API key can hold.
inline constexpr std::string_view kRoles[] = {"border_officer", "consular_officer", "adjudicator", "auditor",
                                              "admin"};
// Purposes a request can state (header X-Purpose).
inline constexpr std::string_view kPurposes[] = {"border_control", "consular_service", "adjudication", "audit",
                                                 "data_subject_request", "erasure", "administration"};

bool IsRole(std::string_view role);

struct PolicyRule {
  std::string_view role;
  std::string_view action;                   // "profile.read", "audit.read", ...
  std::vector<std::string_view> purposes;  // allowed purposes; empty: no purpose needed
};

const std::vector<PolicyRule>& PolicyTable();

// OK, or PermissionDenied with the reason (wrong role, missing or unknown purpose, purpose not
// allowed for this action).
Status Authorize(std::string_view role, std::string_view action, std::string_view purpose);

}  // namespace idreg::service

#endif  // IDREG_SERVICE_POLICY_H_
