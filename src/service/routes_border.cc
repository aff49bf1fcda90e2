// POST /v1/border-entries: read the document, deduplicate, and commit the profile (or the new
// encounter of a known one) with its samples in one transaction.
//
// Deduplication is by document (issuing state and number) until the identification engine lands;
// the response says so in "dedup", so no caller mistakes it for a biometric search.
#include <mutex>

#include "idreg/document/mrz.h"
#include "idreg/workflow/document_enrollment.h"
#include "service/http.h"

namespace idreg::service {
namespace {

using nlohmann::json;

Result<std::vector<BiometricRecord>> ReadSamples(const json& body) {
  std::vector<BiometricRecord> out;
  if (!body.contains("samples")) return out;
  if (!body["samples"].is_array()) return Status::InvalidArgument("samples must be an array");
  static const std::vector<std::string> kModalities = {"face", "finger", "iris", "voice", "dna"};
  for (size_t i = 0; i < body["samples"].size(); ++i) {
    const json& s = body["samples"][i];
    std::string at = "samples[" + std::to_string(i) + "]";
    if (!s.is_object() || !s.contains("modality") || !s["modality"].is_string() || !s.contains("data") ||
        !s["data"].is_string()) {
      return Status::InvalidArgument(at + " must be an object with string fields modality and data (base64)");
    }
    BiometricRecord r;
    r.modality = s["modality"];
    if (std::find(kModalities.begin(), kModalities.end(), r.modality) == kModalities.end()) {
      return Status::InvalidArgument(at + ".modality '" + r.modality + "' is not face, finger, iris, voice or dna");
    }
    r.position = s.value("position", "");
    r.format = s.value("format", "application/octet-stream");
    auto data = Base64Decode(s["data"].get<std::string>());
    if (!data.ok()) return data.status().WithContext(at + ".data");
    if (data->empty()) return Status::InvalidArgument(at + ".data is empty");
    r.payload = std::move(*data);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::string> MrzText(const json& body) {
  if (!body.contains("mrz")) return Status::InvalidArgument("mrz is required (lines joined by '|', or an array)");
  const json& m = body["mrz"];
  if (m.is_string()) return m.get<std::string>();
  if (!m.is_array()) return Status::InvalidArgument("mrz must be a string or an array of strings");
  std::string text;
  for (const json& line : m) {
    if (!line.is_string()) return Status::InvalidArgument("mrz lines must be strings");
    if (!text.empty()) text += '|';
    text += line.get<std::string>();
  }
  return text;
}

Response BorderEntry(ServiceContext& ctx, const Request& r) {
  auto body = ParseJsonBody(r.body);
  if (!body.ok()) return Response::FromStatus(body.status());
  auto text = MrzText(*body);
  if (!text.ok()) return Response::FromStatus(text.status());
  if (!body->contains("port_of_entry") || !(*body)["port_of_entry"].is_string()) {
    return Response::Problem(400, "Bad Request", "port_of_entry (a string) is required");
  }
  auto samples = ReadSamples(*body);
  if (!samples.ok()) return Response::FromStatus(samples.status());
  auto mrz = ParseMrz(*text, MrzOptions{ctx.clock.Today()});
  if (!mrz.ok()) return Response::FromStatus(mrz.status().WithContext("mrz"));
  if (!mrz->valid()) {
    json j = {{"type", "about:blank"}, {"title", "Unprocessable Content"}, {"status", 422},
              {"detail", "the MRZ fails its checks: a misread or an altered document"}, {"errors", mrz->errors}};
    return Response{422, "application/problem+json", j.dump(2) + "\n"};
  }
  Encounter encounter;
  encounter.kind = EncounterKind::kBorderEntry;
  encounter.place = (*body)["port_of_entry"];
  encounter.officer = r.caller.name();
  json warnings = json::array();
  if (mrz->expiry_date < ctx.clock.Today().ToString()) warnings.push_back("document expired on " + mrz->expiry_date);

  // One border entry at a time per process: the document lookup and the write must not interleave
  // with another entry of the same document.
  static std::mutex mu;
  std::lock_guard lock(mu);
  auto holders = ctx.store.FindByDocument(mrz->issuing_state, mrz->document_number, r.AsActor());
  if (!holders.ok()) return Response::FromStatus(holders.status());
  json out = {{"dedup", "document"}, {"candidates", json::array()}, {"warnings", warnings}};
  if (!holders->empty()) {
    auto eid = ctx.store.AddEncounter(holders->front(), encounter, *samples, r.AsActor());
    if (!eid.ok()) return Response::FromStatus(eid.status());
    out["profile_id"] = holders->front().ToString();
    out["encounter_id"] = eid->ToString();
    out["decision"] = "match";
    for (const auto& h : *holders) out["candidates"].push_back({{"profile_id", h.ToString()}, {"matched_by", "document"}});
    return Response::Json(out, 200);
  }
  Enrollment e;
  AddMrzToEnrollment(*mrz, e);
  e.encounter = encounter;
  e.biometrics = *samples;
  if (body->contains("consents") && (*body)["consents"].is_array()) {
    for (const json& c : (*body)["consents"]) {
      if (c.is_string()) e.consents.push_back({Id(), c.get<std::string>(), true, ""});
    }
  }
  auto id = ctx.store.Enroll(e, r.AsActor());
  if (!id.ok()) return Response::FromStatus(id.status());
  out["profile_id"] = id->ToString();
  out["decision"] = "new";
  return Response::Json(out, 201);
}

}  // namespace

std::vector<Route> BorderRoutes(ServiceContext& ctx) {
  json schema = {{"type", "object"},
                 {"required", {"mrz", "port_of_entry"}},
                 {"properties",
                  {{"mrz", {{"description", "the zone's lines joined by '|', or an array of lines"}}},
                   {"port_of_entry", {{"type", "string"}}},
                   {"consents", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                   {"samples",
                    {{"type", "array"},
                     {"items",
                      {{"type", "object"},
                       {"required", {"modality", "data"}},
                       {"properties",
                        {{"modality", {{"enum", {"face", "finger", "iris", "voice", "dna"}}}},
                         {"position", {{"type", "string"}}},
                         {"format", {{"type", "string"}}},
                         {"data", {{"type", "string"}, {"contentEncoding", "base64"}}}}}}}}}}}};
  return {{"POST", "/v1/border-entries", "border_entry.create",
           "Border entry: read the document, deduplicate, commit profile or encounter with samples atomically",
           schema, {200, 201, 400, 401, 403, 413, 422},
           [&ctx](const Request& r) { return BorderEntry(ctx, r); }}};
}

}  // namespace idreg::service
