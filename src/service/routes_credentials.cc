// Selective-disclosure credentials of a person's registered identity, and the issuer's keys.
#include <chrono>

#include "idreg/service/sd_jwt.h"
#include "service/http.h"

namespace idreg::service {
namespace {

using nlohmann::json;

// Every claim the registry can vouch for, computed from the profile.
std::map<std::string, json> AvailableClaims(const Profile& p, const Date& today) {
  std::map<std::string, json> c;
  if (auto v = p.Attr("surname")) c["family_name"] = *v;
  if (auto v = p.Attr("given_names")) c["given_name"] = *v;
  if (auto v = p.Attr("nationality")) c["nationality"] = *v;
  if (auto v = p.Attr("sex")) c["sex"] = *v;
  if (auto v = p.Attr("birth_date")) {
    c["birth_date"] = *v;
    if (auto born = ParseDate(*v); born.ok()) {
      int age = today.year - born->year - ((today.month < born->month ||
                                             (today.month == born->month && today.day < born->day)) ? 1 : 0);
      c["age_over_18"] = age >= 18;
      c["age_over_21"] = age >= 21;
    }
  }
  bool abroad = false;
  for (const auto& e : p.encounters) abroad |= e.kind == EncounterKind::kConsularRegistration;
  c["registered_abroad"] = abroad;
  return c;
}

Response Issue(ServiceContext& ctx, const Request& r) {
  auto id = Id::Parse(r.params.at("id"));
  if (!id.ok()) return Response::FromStatus(id.status().WithContext("profile id"));
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  if (!body->contains("claims") || !(*body)["claims"].is_array() || (*body)["claims"].empty()) {
    return Response::Problem(400, "Bad Request", "claims must be a non-empty array of claim names");
  }
  int days = body->value("valid_days", 365);
  if (days < 1 || days > 3650) return Response::Problem(400, "Bad Request", "valid_days must be 1..3650");
  auto profile = ctx.store.GetProfile(*id, r.AsActor());
  if (!profile.ok()) return Response::FromStatus(profile.status());
  auto available = AvailableClaims(*profile, ctx.clock.Today());
  std::map<std::string, json> chosen;
  for (const json& name : (*body)["claims"]) {
    if (!name.is_string()) return Response::Problem(400, "Bad Request", "claim names must be strings");
    auto it = available.find(name.get<std::string>());
    if (it == available.end()) {
      std::string names;
      for (const auto& [n, v] : available) names += (names.empty() ? "" : ", ") + n;
      return Response::Problem(422, "Unprocessable Content",
                               "profile has no claim '" + name.get<std::string>() + "' (available: " + names + ")");
    }
    chosen.insert(*it);
  }
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock.Now().time_since_epoch()).count();
  std::string token = ctx.issuer.Issue("idreg", id->ToString(), chosen, now, now + int64_t{days} * 86400);
  (void)ctx.store.RecordAudit(r.AsActor(), "credential.issue", id->ToString(),
                              "claims=" + std::to_string(chosen.size()));
  return Response::Json({{"format", "dc+sd-jwt"}, {"credential", token}, {"kid", ctx.issuer.key_id()}}, 201);
}

}  // namespace

std::vector<Route> CredentialRoutes(ServiceContext& ctx) {
  json schema = {{"type", "object"},
                 {"required", {"claims"}},
                 {"properties",
                  {{"claims", {{"type", "array"}, {"items", {{"enum", {"family_name", "given_name", "birth_date",
                                                                       "age_over_18", "age_over_21", "nationality",
                                                                       "sex", "registered_abroad"}}}}}},
                   {"valid_days", {{"type", "integer"}, {"minimum", 1}, {"maximum", 3650}}}}}};
  return {
      {"POST", "/v1/profiles/{id}/credentials", "credential.issue",
       "Issue an SD-JWT of chosen claims; the holder discloses any subset", schema, {201, 400, 401, 403, 404, 422},
       [&ctx](const Request& r) { return Issue(ctx, r); }},
      {"GET", "/v1/keys", "", "The issuer's public keys (JWKS) to verify credentials offline", nullptr, {200},
       [&ctx](const Request&) { return Response::Json(ctx.issuer.Jwks()); }},
  };
}

}  // namespace idreg::service
