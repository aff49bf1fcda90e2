// POST /v1/consular-registrations: a citizen living abroad registers at a consulate. The person is
// named by profile id or by their passport's MRZ; a live sample is verified 1:1 against the profile
// (Engine::Verify, the match threshold for one person) before anything is written. A refusal writes
// nothing but its audit entry (consular_registration.refused, with the LLR). On success the
// encounter, the declared residence and the live samples join the profile in one transaction, and
// the samples join the galleries after the commit.
#include <cstdio>

#include "service/http.h"
#include "service/metrics.h"

namespace idreg::service {
namespace {

using nlohmann::json;

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool IsCountryCode(const std::string& s) {
  if (s.size() < 2 || s.size() > 3) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// The person the request names: by id, or the one holder of the MRZ's document.
Result<ProfileId> Subject(ServiceContext& ctx, const json& body, const Request& r, std::optional<Response>& problem) {
  if (body.contains("profile_id")) {
    if (!body["profile_id"].is_string()) return Status::InvalidArgument("profile_id must be a string");
    auto id = Id::Parse(body["profile_id"].get<std::string>());
    if (!id.ok()) return id.status().WithContext("profile_id");
    return *id;
  }
  if (!body.contains("mrz")) return Status::InvalidArgument("profile_id or mrz is required");
  Mrz mrz;
  if (auto p = ReadMrz(body, ctx.clock, mrz)) {
    problem = std::move(p);
    return Status::InvalidArgument("mrz");
  }
  IDREG_ASSIGN_OR_RETURN(auto holders, ctx.store.FindByDocument(mrz.issuing_state, mrz.document_number, r.AsActor()));
  if (holders.empty()) {
    return Status::NotFound("no profile holds document " + mrz.issuing_state + " " + mrz.document_number);
  }
  if (holders.size() > 1) {
    return Status::AlreadyExists("document " + mrz.issuing_state + " " + mrz.document_number + " is held by " +
                                 std::to_string(holders.size()) + " profiles: name the profile_id");
  }
  return holders.front();
}

Response Register(ServiceContext& ctx, const Request& r) {
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  if (!body->contains("residence") || !(*body)["residence"].is_object()) {
    return Response::Problem(400, "Bad Request", "residence (an object: country, address, consulate) is required");
  }
  const json& res = (*body)["residence"];
  for (const char* field : {"country", "address", "consulate"}) {
    if (!res.contains(field) || !res[field].is_string() || res[field].get<std::string>().empty()) {
      return Response::Problem(400, "Bad Request", std::string("residence.") + field + " (a non-empty string) is required");
    }
    if (res[field].get<std::string>().size() > 500) {
      return Response::Problem(400, "Bad Request", std::string("residence.") + field + " is longer than 500 characters");
    }
  }
  const std::string country = res["country"], address = res["address"], consulate = res["consulate"];
  if (!IsCountryCode(country)) {
    return Response::Problem(400, "Bad Request", "residence.country must be an ICAO/ISO country code (2-3 capital letters)");
  }
  auto captured = ReadCapturedSamples(*body);
  if (!captured.ok()) return Response::FromStatus(captured.status());
  std::optional<Response> problem;
  auto id = Subject(ctx, *body, r, problem);
  if (problem) return *problem;
  if (!id.ok()) return Response::FromStatus(id.status());
  PreparedSamples prepared = PrepareSamples(*captured);
  if (prepared.records.empty()) return Response::UnusableSamples(prepared.rejected);

  const Actor actor = r.AsActor();
  std::lock_guard lock(ctx.enroll_mu);
  auto fused = ctx.engine.Verify(*id, prepared.probes);
  ctx.metrics.CountSearch("verify");
  const double threshold = match::ThresholdsFor(ctx.engine.options().policy, 1).match;
  if (!fused.ok()) {
    (void)ctx.store.RecordAudit(actor, "consular_registration.refused", id->ToString(), "reason=no_comparable_sample");
    if (fused.status().code() != StatusCode::kNotFound) return Response::FromStatus(fused.status());
    json j = {{"type", "about:blank"}, {"title", "Verification impossible"}, {"status", 422},
              {"detail", "registration refused: " + fused.status().message() +
                             " (the profile does not exist, or holds no sample of the modalities given)"},
              {"verified", false}, {"rejected", IssuesToJson(prepared.rejected)}};
    return Response{422, "application/problem+json", j.dump(2) + "\n"};
  }
  if (fused->llr < threshold) {
    (void)ctx.store.RecordAudit(actor, "consular_registration.refused", id->ToString(),
                                "reason=verification_failed llr=" + Fixed(fused->llr) + " threshold=" + Fixed(threshold));
    json j = {{"type", "about:blank"}, {"title", "Verification failed"}, {"status", 422},
              {"detail", "registration refused: the live sample does not match profile " + id->ToString() + " (LLR " +
                             Fixed(fused->llr) + ", " + Fixed(threshold) + " needed)"},
              {"verified", false}, {"llr", fused->llr}, {"threshold", threshold},
              {"rejected", IssuesToJson(prepared.rejected)}};
    return Response{422, "application/problem+json", j.dump(2) + "\n"};
  }
  Encounter encounter;
  encounter.kind = EncounterKind::kConsularRegistration;
  encounter.place = consulate;
  encounter.officer = r.caller.name();
  Provenance said;
  said.source = "consular registration, " + consulate;
  std::vector<Attribute> declared = {{"residence_country", country, said}, {"residence_address", address, said}};
  auto eid = ctx.store.AddDeclaredEncounter(*id, encounter, declared, prepared.records, actor);
  if (!eid.ok()) return Response::FromStatus(eid.status());
  if (Status s = ctx.engine.Add(*id, prepared.records); !s.ok()) {
    return Response::FromStatus(s.WithContext("the registration was stored"));
  }
  return Response::Json({{"profile_id", id->ToString()},
                         {"encounter_id", eid->ToString()},
                         {"verified", true},
                         {"llr", fused->llr},
                         {"threshold", threshold},
                         {"rejected", IssuesToJson(prepared.rejected)}},
                        201);
}

}  // namespace

std::vector<Route> ConsularRoutes(ServiceContext& ctx) {
  json schema = {{"type", "object"},
                 {"required", {"residence", "samples"}},
                 {"description", "profile_id or mrz names the citizen"},
                 {"properties",
                  {{"profile_id", {{"type", "string"}}},
                   {"mrz", MrzSchema()},
                   {"residence",
                    {{"type", "object"},
                     {"required", {"country", "address", "consulate"}},
                     {"properties",
                      {{"country", {{"type", "string"}, {"pattern", "^[A-Z]{2,3}$"}}},
                       {"address", {{"type", "string"}, {"maxLength", 500}}},
                       {"consulate", {{"type", "string"}, {"maxLength", 500}}}}}}},
                   {"samples", SamplesSchema()}}}};
  json response = {{"type", "object"},
                   {"properties",
                    {{"profile_id", {{"type", "string"}}},
                     {"encounter_id", {{"type", "string"}}},
                     {"verified", {{"const", true}}},
                     {"llr", {{"type", "number"}}},
                     {"threshold", {{"type", "number"}}},
                     {"rejected", RejectedSamplesSchema()}}}};
  return {{"POST", "/v1/consular-registrations", "consular_registration.create",
           "Consular registration of a citizen abroad: the live sample is verified 1:1 against the profile "
           "first; 422 with verified=false when it does not match (audited)",
           schema, {201, 400, 401, 403, 404, 409, 413, 422},
           [&ctx](const Request& r) { return Register(ctx, r); }, response}};
}

}  // namespace idreg::service
