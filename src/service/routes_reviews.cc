// The adjudication queue: GET /v1/reviews lists the cases (pending by default) with the waiting
// enrollment and the candidates' scores; GET /v1/reviews/{id} shows one; POST /v1/reviews/{id}/decision enrolls the case as a new
// person, links it to a candidate, or rejects it, with a reason. The store commits the decision
// with its effect; the galleries change after the commit (workflow/review.h).
#include "idreg/service/policy.h"
#include "idreg/service/profile_json.h"
#include "idreg/workflow/review.h"
#include "service/http.h"

namespace idreg::service {
namespace {

using nlohmann::json;

json PendingJson(const Enrollment& e, bool with_biometrics) {
  Profile p;  // ProfileToJson renders attributes, documents and samples the way profiles show them
  p.attributes = e.attributes;
  p.documents = e.documents;
  p.biometrics = e.biometrics;
  json view = ProfileToJson(p);
  json out = {{"attributes", view["attributes"]},
              {"documents", view["documents"]},
              {"encounter",
               {{"kind", EncounterKindName(e.encounter.kind)},
                {"place", e.encounter.place},
                {"officer", e.encounter.officer}}},
              {"samples", view["biometrics"]}};
  for (json& s : out["samples"]) {
    s.erase("encounter_id");
    s.erase("created_at");
  }
  if (with_biometrics) {
    for (size_t i = 0; i < e.biometrics.size(); ++i) out["samples"][i]["data"] = Base64Encode(e.biometrics[i].payload);
  }
  return out;
}

json CaseJson(const ReviewCase& c, bool with_biometrics) {
  json j = {{"id", c.id.ToString()},
            {"kind", c.kind},
            {"state", c.state},
            {"reason", c.reason},
            {"candidates", json::parse(c.candidates.empty() ? "[]" : c.candidates, nullptr, false)},
            {"created_at", c.created_at},
            {"created_by", c.created_by}};
  if (j["candidates"].is_discarded()) j["candidates"] = json::array();
  if (c.state == "pending") {
    j["pending"] = PendingJson(c.pending, with_biometrics);
  } else {
    j["decided_at"] = c.decided_at;
    j["decided_by"] = c.decided_by;
    j["decision_reason"] = c.decision_reason;
    if (!c.result_profile.empty()) j["profile_id"] = c.result_profile.ToString();
  }
  return j;
}

// ?include=biometrics needs the biometric-read permission on top of review.read.
Status AllowBiometrics(ServiceContext& ctx, const Request& r) {
  Status allowed = Authorize(r.caller.role, "profile.read_biometrics", r.purpose);
  if (!allowed.ok()) {
    (void)ctx.store.RecordAudit(r.AsActor(), "access.denied", "", "action=profile.read_biometrics route=reviews");
  }
  return allowed;
}

Response List(ServiceContext& ctx, const Request& r) {
  const std::string state = r.Query("state", "pending");
  const bool with_biometrics = r.Query("include") == "biometrics";
  if (with_biometrics) {
    if (Status allowed = AllowBiometrics(ctx, r); !allowed.ok()) return Response::FromStatus(allowed);
  }
  auto cases = ctx.store.ListReviewCases(state == "all" ? "" : state, r.AsActor());
  if (!cases.ok()) return Response::FromStatus(cases.status());
  json out = json::array();
  for (const ReviewCase& c : *cases) out.push_back(CaseJson(c, with_biometrics));
  return Response::Json({{"reviews", out}});
}

Response Show(ServiceContext& ctx, const Request& r) {
  auto case_id = Id::Parse(r.params.at("id"));
  if (!case_id.ok()) return Response::FromStatus(case_id.status().WithContext("review id"));
  const bool with_biometrics = r.Query("include") == "biometrics";
  if (with_biometrics) {
    if (Status allowed = AllowBiometrics(ctx, r); !allowed.ok()) return Response::FromStatus(allowed);
  }
  auto c = ctx.store.GetReviewCase(*case_id, r.AsActor());
  if (!c.ok()) return Response::FromStatus(c.status());
  return Response::Json(CaseJson(*c, with_biometrics));
}

Response Decide(ServiceContext& ctx, const Request& r) {
  auto case_id = Id::Parse(r.params.at("id"));
  if (!case_id.ok()) return Response::FromStatus(case_id.status().WithContext("review id"));
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  if (!body->contains("decision") || !(*body)["decision"].is_string()) {
    return Response::Problem(400, "Bad Request", "decision (enroll_new, link or reject) is required");
  }
  ReviewDecision d;
  auto resolution = ParseReviewResolution((*body)["decision"].get<std::string>());
  if (!resolution.ok()) return Response::FromStatus(resolution.status());
  d.resolution = *resolution;
  if (!body->contains("reason") || !(*body)["reason"].is_string() || (*body)["reason"].get<std::string>().empty()) {
    return Response::Problem(400, "Bad Request", "reason (a non-empty string) is required");
  }
  d.reason = (*body)["reason"];
  if (d.resolution == ReviewResolution::kLink) {
    if (!body->contains("profile_id") || !(*body)["profile_id"].is_string()) {
      return Response::Problem(400, "Bad Request", "a link decision needs profile_id (one of the candidates)");
    }
    auto to = Id::Parse((*body)["profile_id"].get<std::string>());
    if (!to.ok()) return Response::FromStatus(to.status().WithContext("profile_id"));
    d.link_to = *to;
  } else if (body->contains("profile_id")) {
    return Response::Problem(400, "Bad Request", "profile_id goes with a link decision only");
  }
  std::lock_guard lock(ctx.enroll_mu);
  auto decided = DecideReview(ctx.store, ctx.engine, *case_id, d, r.AsActor());
  if (!decided.ok()) return Response::FromStatus(decided.status());
  return Response::Json(CaseJson(*decided, false));
}

}  // namespace

std::vector<Route> ReviewRoutes(ServiceContext& ctx) {
  json decision = {{"type", "object"},
                   {"required", {"decision", "reason"}},
                   {"properties",
                    {{"decision", {{"enum", {"enroll_new", "link", "reject"}}}},
                     {"profile_id", {{"type", "string"}, {"description", "link: the candidate to link to"}}},
                     {"reason", {{"type", "string"}, {"minLength", 1}}}}}};
  json review_case = {{"type", "object"},
                      {"properties",
                       {{"id", {{"type", "string"}}},
                        {"kind", {{"enum", {"review", "possible_fraud"}}}},
                        {"state", {{"enum", {"pending", "enrolled", "linked", "rejected"}}}},
                        {"reason", {{"type", "string"}}},
                        {"candidates", CandidateListSchema()},
                        {"pending",
                         {{"type", "object"},
                          {"description", "the waiting enrollment (pending cases only)"},
                          {"properties",
                           {{"attributes", {{"type", "array"}}},
                            {"documents", {{"type", "array"}}},
                            {"encounter", {{"type", "object"}}},
                            {"samples", {{"type", "array"}}}}}}},
                        {"profile_id", {{"type", "string"}, {"description", "decided: the enrolled or linked profile"}}},
                        {"created_at", {{"type", "string"}}},
                        {"created_by", {{"type", "string"}}},
                        {"decided_at", {{"type", "string"}}},
                        {"decided_by", {{"type", "string"}}},
                        {"decision_reason", {{"type", "string"}}}}}};
  json list = {{"type", "object"}, {"properties", {{"reviews", {{"type", "array"}, {"items", review_case}}}}}};
  return {
      {"GET", "/v1/reviews", "review.read",
       "Review cases (?state=pending|enrolled|linked|rejected|all, default pending) with the waiting enrollment "
       "and the candidates' scores; ?include=biometrics adds the sample payloads",
       nullptr, {200, 400, 401, 403}, [&ctx](const Request& r) { return List(ctx, r); }, list},
      {"GET", "/v1/reviews/{id}", "review.read",
       "One review case (any state) with its candidates; pending: the waiting enrollment, ?include=biometrics "
       "adds the sample payloads",
       nullptr, {200, 400, 401, 403, 404}, [&ctx](const Request& r) { return Show(ctx, r); }, review_case},
      {"POST", "/v1/reviews/{id}/decision", "review.decide",
       "Decide a review case: enroll_new, link (to one of its candidates) or reject, with a reason; 409 when "
       "decided already",
       decision, {200, 400, 401, 403, 404, 409}, [&ctx](const Request& r) { return Decide(ctx, r); }, review_case},
  };
}

}  // namespace idreg::service
