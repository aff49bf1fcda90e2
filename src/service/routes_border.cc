// POST /v1/border-entries: read the document, quality-check and extract the samples, deduplicate
// them biometrically (workflow EnrollWithDedup), and commit the profile (or the new encounter of
// the person it matches) in one transaction. Outcomes the machine must not decide alone (review,
// possible_fraud) commit no profile: they open a review case for an adjudicator.
#include "idreg/workflow/dedup.h"
#include "idreg/workflow/document_enrollment.h"
#include "idreg/workflow/review.h"
#include "service/http.h"
#include "service/metrics.h"

namespace idreg::service {

using nlohmann::json;

std::optional<Response> ReadMrz(const json& body, const Clock& clock, Mrz& out) {
  if (!body.contains("mrz")) return Response::Problem(400, "Bad Request", "mrz is required (lines joined by '|', or an array)");
  const json& m = body["mrz"];
  std::string text;
  if (m.is_string()) {
    text = m.get<std::string>();
  } else if (m.is_array()) {
    for (const json& line : m) {
      if (!line.is_string()) return Response::Problem(400, "Bad Request", "mrz lines must be strings");
      if (!text.empty()) text += '|';
      text += line.get<std::string>();
    }
  } else {
    return Response::Problem(400, "Bad Request", "mrz must be a string or an array of strings");
  }
  auto mrz = ParseMrz(text, MrzOptions{clock.Today()});
  if (!mrz.ok()) return Response::FromStatus(mrz.status().WithContext("mrz"));
  if (!mrz->valid()) {
    json j = {{"type", "about:blank"}, {"title", "Unprocessable Content"}, {"status", 422},
              {"detail", "the MRZ fails its checks: a misread or an altered document"}, {"errors", mrz->errors}};
    return Response{422, "application/problem+json", j.dump(2) + "\n"};
  }
  out = std::move(*mrz);
  return std::nullopt;
}

json MrzSchema() {
  return {{"description", "the zone's lines joined by '|', or an array of lines"},
          {"oneOf", {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}}}};
}

namespace {

// The search behind a decision, for the caller: thresholds, how many persons were searched.
json SearchJson(const match::IdentifyResult& s) {
  json seconds = json::object();
  for (const auto& [m, t] : s.seconds) seconds[m] = t;
  return {{"persons_searched", s.decision.persons_searched},
          {"thresholds", {{"match", s.decision.thresholds.match}, {"review", s.decision.thresholds.review}}},
          {"seconds", seconds}};
}

Response BorderEntry(ServiceContext& ctx, const Request& r) {
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  Mrz mrz;
  if (auto problem = ReadMrz(*body, ctx.clock, mrz)) return *problem;
  if (!body->contains("port_of_entry") || !(*body)["port_of_entry"].is_string() ||
      (*body)["port_of_entry"].get<std::string>().empty()) {
    return Response::Problem(400, "Bad Request", "port_of_entry (a non-empty string) is required");
  }
  auto captured = ReadCapturedSamples(*body);
  if (!captured.ok()) return Response::FromStatus(captured.status());
  Enrollment e;
  if (body->contains("consents")) {
    if (!(*body)["consents"].is_array()) return Response::Problem(400, "Bad Request", "consents must be an array of purposes");
    for (const json& c : (*body)["consents"]) {
      if (!c.is_string()) return Response::Problem(400, "Bad Request", "consents must be an array of purposes");
      e.consents.push_back({Id(), c.get<std::string>(), true, ""});
    }
  }
  PreparedSamples prepared = PrepareSamples(*captured);
  if (prepared.records.empty()) return Response::UnusableSamples(prepared.rejected);

  AddMrzToEnrollment(mrz, e);
  e.encounter.kind = EncounterKind::kBorderEntry;
  e.encounter.place = (*body)["port_of_entry"];
  e.encounter.officer = r.caller.name();
  json warnings = json::array();
  if (mrz.expiry_date < ctx.clock.Today().ToString()) warnings.push_back("document expired on " + mrz.expiry_date);

  const Actor actor = r.AsActor();
  std::lock_guard lock(ctx.enroll_mu);
  auto result = EnrollWithDedup(ctx.store, ctx.engine, e, prepared, actor);
  if (!result.ok()) return Response::FromStatus(result.status());
  ctx.metrics.CountSearch("dedup");
  json out = {{"decision", DedupOutcomeName(result->outcome)},
              {"committed", result->committed},
              {"candidates", json::array()},
              {"rejected", IssuesToJson(result->rejected)},
              {"warnings", warnings},
              {"search", SearchJson(result->search)}};
  for (const auto& c : result->search.decision.candidates) out["candidates"].push_back(CandidateToJson(c));
  if (!result->reason.empty()) out["reason"] = result->reason;
  switch (result->outcome) {
    case DedupOutcome::kNew:
      out["profile_id"] = result->profile.ToString();
      return Response::Json(out, 201);
    case DedupOutcome::kMatch:
      out["profile_id"] = result->profile.ToString();
      out["encounter_id"] = result->encounter.ToString();
      return Response::Json(out, 200);
    case DedupOutcome::kReview:
    case DedupOutcome::kPossibleFraud: {
      auto case_id = OpenReviewCase(ctx.store, *result, e, prepared, actor);
      if (!case_id.ok()) return Response::FromStatus(case_id.status().WithContext("opening the review case"));
      out["review_id"] = case_id->ToString();
      return Response::Json(out, 202);
    }
  }
  return Response::Problem(500, "Internal Server Error", "unknown dedup outcome");
}

json CandidateSchema() {
  return {{"type", "object"},
          {"properties",
           {{"profile_id", {{"type", "string"}}},
            {"llr", {{"type", "number"}, {"description", "fused natural-log likelihood ratio"}}},
            {"matched_by", {{"const", "document"}, {"description", "review cases of a reused document only"}}},
            {"modality_llr", {{"type", "object"}, {"additionalProperties", {{"type", "number"}}}}},
            {"parts",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"modality", {{"type", "string"}}},
                  {"probe", {{"type", "string"}}},
                  {"sample", {{"type", "string"}}},
                  {"position", {{"type", "string"}}},
                  {"raw_score", {{"type", "number"}}},
                  {"llr", {{"type", "number"}}}}}}}}}}}};
}

json IssuesSchema() {
  return {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"modality", {{"type", "string"}}},
              {"position", {{"type", "string"}}},
              {"sample", {{"type", "string"}}},
              {"reason", {{"type", "string"}}}}}}}};
}

}  // namespace

json CandidateListSchema() { return {{"type", "array"}, {"items", CandidateSchema()}}; }
json RejectedSamplesSchema() { return IssuesSchema(); }

std::vector<Route> BorderRoutes(ServiceContext& ctx) {
  json schema = {{"type", "object"},
                 {"required", {"mrz", "port_of_entry", "samples"}},
                 {"properties",
                  {{"mrz", MrzSchema()},
                   {"port_of_entry", {{"type", "string"}}},
                   {"consents", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                   {"samples", SamplesSchema()}}}};
  json response = {
      {"type", "object"},
      {"required", {"decision", "committed", "candidates"}},
      {"properties",
       {{"decision", {{"enum", {"new", "match", "review", "possible_fraud"}}}},
        {"committed", {{"type", "boolean"}}},
        {"profile_id", {{"type", "string"}, {"description", "new: the new profile; match: the matched one"}}},
        {"encounter_id", {{"type", "string"}}},
        {"review_id", {{"type", "string"}, {"description", "review, possible_fraud: the case opened (202)"}}},
        {"reason", {{"type", "string"}}},
        {"candidates", CandidateListSchema()},
        {"rejected", IssuesSchema()},
        {"warnings", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"search",
         {{"type", "object"},
          {"properties",
           {{"persons_searched", {{"type", "integer"}}},
            {"thresholds",
             {{"type", "object"},
              {"properties", {{"match", {{"type", "number"}}}, {"review", {{"type", "number"}}}}}}},
            {"seconds", {{"type", "object"}}}}}}}}}};
  return {{"POST", "/v1/border-entries", "border_entry.create",
           "Border entry: check the document, extract and quality-check the samples, deduplicate biometrically; "
           "201 new profile, 200 encounter added to the matched person, 202 review case opened (review, "
           "possible_fraud); 422 when no sample is usable (each with its reason)",
           schema, {200, 201, 202, 400, 401, 403, 413, 422},
           [&ctx](const Request& r) { return BorderEntry(ctx, r); }, response}};
}

}  // namespace idreg::service
