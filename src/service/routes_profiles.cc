// Profile routes: the view a role and purpose allow, encounters, erasure, access report.
#include "idreg/service/policy.h"
#include "idreg/service/profile_json.h"
#include "service/http.h"

namespace idreg::service {
namespace {

using nlohmann::json;

Result<ProfileId> IdParam(const Request& r) {
  auto id = Id::Parse(r.params.at("id"));
  if (!id.ok()) return id.status().WithContext("profile id");
  return *id;
}

Response GetProfile(ServiceContext& ctx, const Request& r) {
  auto id = IdParam(r);
  if (!id.ok()) return Response::FromStatus(id.status());
  bool with_biometrics = r.Query("include") == "biometrics";
  if (with_biometrics) {
    Status allowed = Authorize(r.caller.role, "profile.read_biometrics", r.purpose);
    if (!allowed.ok()) {
      (void)ctx.store.RecordAudit(r.AsActor(), "access.denied", id->ToString(), "action=profile.read_biometrics");
      return Response::FromStatus(allowed);
    }
  }
  auto p = ctx.store.GetProfile(*id, r.AsActor());
  if (!p.ok()) return Response::FromStatus(p.status());
  json j = ProfileToJson(*p);
  if (with_biometrics) {
    for (size_t i = 0; i < p->biometrics.size(); ++i) j["biometrics"][i]["data"] = Base64Encode(p->biometrics[i].payload);
  }
  return Response::Json(j);
}

Response GetEncounters(ServiceContext& ctx, const Request& r) {
  auto id = IdParam(r);
  if (!id.ok()) return Response::FromStatus(id.status());
  auto p = ctx.store.GetProfile(*id, r.AsActor());
  if (!p.ok()) return Response::FromStatus(p.status());
  return Response::Json({{"profile_id", id->ToString()}, {"encounters", ProfileToJson(*p)["encounters"]}});
}

Response Erase(ServiceContext& ctx, const Request& r) {
  auto id = IdParam(r);
  if (!id.ok()) return Response::FromStatus(id.status());
  std::string reason = r.Query("reason");
  if (reason.empty()) return Response::Problem(400, "Bad Request", "an erasure needs ?reason=... (no personal data)");
  std::lock_guard lock(ctx.enroll_mu);
  Status s = ctx.store.EraseProfile(*id, reason, r.AsActor());
  if (!s.ok()) return Response::FromStatus(s);
  // After the commit: the person leaves the galleries (NotFound: they had no searchable sample).
  Status removed = ctx.engine.Remove(*id);
  if (!removed.ok() && removed.code() != StatusCode::kNotFound) {
    return Response::FromStatus(removed.WithContext("the profile was erased"));
  }
  return Response::Json({{"erased", id->ToString()}});
}

// Who read this person's data, when and why: the audit entries about the profile.
Response AccessReport(ServiceContext& ctx, const Request& r) {
  auto id = IdParam(r);
  if (!id.ok()) return Response::FromStatus(id.status());
  auto entries = ctx.store.ReadAudit(AuditQuery{*id, 0, 0});
  if (!entries.ok()) return Response::FromStatus(entries.status());
  if (entries->empty()) return Response::Problem(404, "Not Found", "no record of profile " + id->ToString());
  json accesses = json::array();
  for (const AuditEntry& e : *entries) {
    accesses.push_back({{"at", e.at}, {"actor", e.actor}, {"role", e.role}, {"purpose", e.purpose},
                        {"action", e.action}});
  }
  (void)ctx.store.RecordAudit(r.AsActor(), "access_report.read", id->ToString(), "");
  return Response::Json({{"profile_id", id->ToString()}, {"accesses", accesses}});
}

}  // namespace

std::vector<Route> ProfileRoutes(ServiceContext& ctx) {
  return {
      {"GET", "/v1/profiles/{id}", "profile.read",
       "A profile as the caller's role and purpose allow; ?include=biometrics adds the payloads (adjudication only)",
       nullptr, {200, 400, 401, 403, 404}, [&ctx](const Request& r) { return GetProfile(ctx, r); }},
      {"GET", "/v1/profiles/{id}/encounters", "profile.read", "Every encounter of a profile", nullptr,
       {200, 400, 401, 403, 404}, [&ctx](const Request& r) { return GetEncounters(ctx, r); }},
      {"DELETE", "/v1/profiles/{id}", "profile.erase",
       "Erase a person (?reason=...): their data key is destroyed and their rows deleted", nullptr,
       {200, 400, 401, 403, 404}, [&ctx](const Request& r) { return Erase(ctx, r); }},
      {"GET", "/v1/profiles/{id}/access-report", "access_report.read",
       "Who read this person's data, when, for which purpose (data-subject access report)", nullptr,
       {200, 400, 401, 403, 404}, [&ctx](const Request& r) { return AccessReport(ctx, r); }},
  };
}

}  // namespace idreg::service
