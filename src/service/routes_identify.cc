// POST /v1/identify (1:N, optionally within a watchlist or a list of profile ids) and
// POST /v1/verify (1:1 against one profile). Read-only: nothing is stored but the audit entry.
#include "idreg/match/selector.h"
#include "idreg/workflow/review.h"
#include "service/http.h"
#include "service/metrics.h"

namespace idreg::service {
namespace {

using nlohmann::json;

// The samples of the request, prepared; a problem when none is usable.
std::optional<Response> Probes(const json& body, PreparedSamples& out) {
  auto captured = ReadCapturedSamples(body);
  if (!captured.ok()) return Response::FromStatus(captured.status());
  if (captured->empty()) return Response::Problem(400, "Bad Request", "samples (a non-empty array) is required");
  out = PrepareSamples(*captured, {}, SampleUse::kSearch);
  if (out.records.empty()) return Response::UnusableSamples(out.rejected);
  return std::nullopt;
}

Response Identify(ServiceContext& ctx, const Request& r) {
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  if (body->contains("watchlist") && body->contains("profile_ids")) {
    return Response::Problem(400, "Bad Request", "give watchlist or profile_ids, not both");
  }
  size_t top = 10;
  if (body->contains("top")) {
    if (!(*body)["top"].is_number_integer() || (*body)["top"].get<int64_t>() < 1 || (*body)["top"].get<int64_t>() > 100) {
      return Response::Problem(400, "Bad Request", "top must be an integer 1..100");
    }
    top = (*body)["top"].get<size_t>();
  }
  PreparedSamples prepared;
  if (auto problem = Probes(*body, prepared)) return *problem;
  const Actor actor = r.AsActor();
  match::Selector selector;
  if (body->contains("watchlist")) {
    if (!(*body)["watchlist"].is_string()) return Response::Problem(400, "Bad Request", "watchlist must be a string");
    const std::string name = (*body)["watchlist"];
    auto members = ctx.store.ListWatchlist(name, actor);
    if (!members.ok()) return Response::FromStatus(members.status().WithContext("watchlist"));
    // An unknown (misspelt) list must not look like "no one matched".
    if (members->empty()) return Response::Problem(404, "Not Found", "watchlist '" + name + "' has no members");
    std::vector<ProfileId> ids;
    for (const auto& m : *members) ids.push_back(m.profile);
    selector = match::Selector::Watchlist(name, ids);
  } else if (body->contains("profile_ids")) {
    const json& list = (*body)["profile_ids"];
    if (!list.is_array() || list.empty() || list.size() > 100000) {
      return Response::Problem(400, "Bad Request", "profile_ids must be a non-empty array of at most 100000 ids");
    }
    std::vector<ProfileId> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      auto id = list[i].is_string() ? Id::Parse(list[i].get<std::string>())
                                    : Result<Id>(Status::InvalidArgument("not a string"));
      if (!id.ok()) return Response::FromStatus(id.status().WithContext("profile_ids[" + std::to_string(i) + "]"));
      ids.push_back(*id);
    }
    selector = match::Selector::Profiles(ids);
  }
  auto result = ctx.engine.Identify(prepared.probes, selector);
  if (!result.ok()) return Response::FromStatus(result.status());
  ctx.metrics.CountSearch("identify");
  const match::Decision& d = result->decision;
  (void)ctx.store.RecordAudit(actor, "identify", "",
                              "selector=" + selector.Describe() + " decision=" + std::string(match::OutcomeName(d.outcome)) +
                                  " candidates=" + std::to_string(d.candidates.size()));
  json out = {{"decision", match::OutcomeName(d.outcome)},
              {"persons_searched", d.persons_searched},
              {"thresholds", {{"match", d.thresholds.match}, {"review", d.thresholds.review}}},
              {"selector", selector.Describe()},
              {"candidates", json::array()},
              {"ranked", json::array()},
              {"rejected", IssuesToJson(prepared.rejected)}};
  for (const auto& c : d.candidates) out["candidates"].push_back(CandidateToJson(c));
  for (size_t i = 0; i < result->ranked.size() && i < top; ++i) out["ranked"].push_back(CandidateToJson(result->ranked[i]));
  return Response::Json(out);
}

Response Verify(ServiceContext& ctx, const Request& r) {
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  if (!body->contains("profile_id") || !(*body)["profile_id"].is_string()) {
    return Response::Problem(400, "Bad Request", "profile_id (a string) is required");
  }
  auto id = Id::Parse((*body)["profile_id"].get<std::string>());
  if (!id.ok()) return Response::FromStatus(id.status().WithContext("profile_id"));
  PreparedSamples prepared;
  if (auto problem = Probes(*body, prepared)) return *problem;
  auto fused = ctx.engine.Verify(*id, prepared.probes);
  ctx.metrics.CountSearch("verify");
  if (!fused.ok()) {
    (void)ctx.store.RecordAudit(r.AsActor(), "verify", id->ToString(), "verified=0 reason=no_comparable_sample");
    return Response::FromStatus(fused.status());
  }
  const double threshold = match::ThresholdsFor(ctx.engine.options().policy, 1).match;
  const bool verified = fused->llr >= threshold;
  (void)ctx.store.RecordAudit(r.AsActor(), "verify", id->ToString(), std::string("verified=") + (verified ? "1" : "0"));
  json out = CandidateToJson(*fused);
  out["verified"] = verified;
  out["threshold"] = threshold;
  out["rejected"] = IssuesToJson(prepared.rejected);
  return Response::Json(out);
}

}  // namespace

std::vector<Route> IdentifyRoutes(ServiceContext& ctx) {
  json identify = {{"type", "object"},
                   {"required", {"samples"}},
                   {"properties",
                    {{"samples", SamplesSchema()},
                     {"watchlist", {{"type", "string"}, {"description", "search only this watchlist's members"}}},
                     {"profile_ids",
                      {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "search only these profiles"}}},
                     {"top", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"default", 10}}}}}};
  json identified = {{"type", "object"},
                     {"properties",
                      {{"decision", {{"enum", {"new", "match", "review"}}}},
                       {"persons_searched", {{"type", "integer"}}},
                       {"thresholds", {{"type", "object"}}},
                       {"selector", {{"type", "string"}}},
                       {"candidates", CandidateListSchema()},
                       {"ranked", CandidateListSchema()},
                       {"rejected", RejectedSamplesSchema()}}}};
  json verify = {{"type", "object"},
                 {"required", {"profile_id", "samples"}},
                 {"properties", {{"profile_id", {{"type", "string"}}}, {"samples", SamplesSchema()}}}};
  json verified = {{"type", "object"},
                   {"properties",
                    {{"profile_id", {{"type", "string"}}},
                     {"verified", {{"type", "boolean"}}},
                     {"llr", {{"type", "number"}}},
                     {"threshold", {{"type", "number"}}},
                     {"modality_llr", {{"type", "object"}}},
                     {"parts", {{"type", "array"}}},
                     {"rejected", RejectedSamplesSchema()}}}};
  return {
      {"POST", "/v1/identify", "identify",
       "1:N identification: the candidates that decide (match/review) and the ranked list; optionally within a "
       "watchlist or a list of profile ids",
       identify, {200, 400, 401, 403, 404, 413, 422}, [&ctx](const Request& r) { return Identify(ctx, r); }, identified},
      {"POST", "/v1/verify", "verify", "1:1 verification of samples against one profile (match threshold for N = 1)",
       verify, {200, 400, 401, 403, 404, 413, 422}, [&ctx](const Request& r) { return Verify(ctx, r); }, verified},
  };
}

}  // namespace idreg::service
