// Biometric samples in request bodies, shared by border entries, consular registrations,
// identify and verify: every modality the request names reaches PrepareSamples, which accepts
// what this build can extract and rejects the rest with the reason.
#include "service/http.h"

namespace idreg::service {

using nlohmann::json;

namespace {
const std::vector<std::string> kModalities = {"face", "finger", "iris", "voice", "dna"};
}  // namespace

Result<std::vector<CapturedSample>> ReadCapturedSamples(const json& body) {
  std::vector<CapturedSample> out;
  if (!body.contains("samples")) return out;
  if (!body["samples"].is_array()) return Status::InvalidArgument("samples must be an array");
  if (body["samples"].size() > 64) return Status::InvalidArgument("at most 64 samples per request");
  for (size_t i = 0; i < body["samples"].size(); ++i) {
    const json& s = body["samples"][i];
    const std::string at = "samples[" + std::to_string(i) + "]";
    if (!s.is_object() || !s.contains("modality") || !s["modality"].is_string() || !s.contains("data") ||
        !s["data"].is_string()) {
      return Status::InvalidArgument(at + " must be an object with string fields modality and data (base64)");
    }
    CapturedSample c;
    c.modality = s["modality"];
    if (std::find(kModalities.begin(), kModalities.end(), c.modality) == kModalities.end()) {
      return Status::InvalidArgument(at + ".modality '" + c.modality + "' is not face, finger, iris, voice or dna");
    }
    if (s.contains("position") && !s["position"].is_string()) return Status::InvalidArgument(at + ".position must be a string");
    c.position = s.value("position", "");
    if (c.modality == "dna" && c.position.empty()) c.position = "profile";
    auto data = Base64Decode(s["data"].get<std::string>());
    if (!data.ok()) return data.status().WithContext(at + ".data");
    if (data->empty()) return Status::InvalidArgument(at + ".data is empty");
    c.data = std::move(*data);
    c.source = at;
    out.push_back(std::move(c));
  }
  return out;
}

json SamplesSchema() {
  return {{"type", "array"},
          {"maxItems", 64},
          {"items",
           {{"type", "object"},
            {"required", {"modality", "data"}},
            {"properties",
             {{"modality", {{"enum", kModalities}}},
              {"position",
               {{"type", "string"}, {"description", "finger position (e.g. right_index); optional for a search"}}},
              {"format", {{"type", "string"}}},
              {"data",
               {{"type", "string"},
                {"contentEncoding", "base64"},
                {"description",
                 "finger: a 500 ppi image (PNG, TIFF, JPEG, WSQ, ...) or an ISO/IEC 19794-2 record; "
                 "dna: an idreg-dna-json-v1 profile or a one-person NIST 1036 CSV"}}}}}}}};
}

json IssuesToJson(const std::vector<SampleIssue>& issues) {
  json out = json::array();
  for (const SampleIssue& i : issues) {
    out.push_back({{"modality", i.modality}, {"position", i.position}, {"sample", i.source}, {"reason", i.reason}});
  }
  return out;
}

Response Response::UnusableSamples(const std::vector<SampleIssue>& rejected) {
  json j = {{"type", "about:blank"},
            {"title", "Unprocessable Content"},
            {"status", 422},
            {"detail", "no usable biometric sample (" +
                           (rejected.empty() ? std::string("none was given") : DescribeIssues(rejected)) + ")"},
            {"rejected", IssuesToJson(rejected)}};
  return Response{422, "application/problem+json", j.dump(2) + "\n"};
}

}  // namespace idreg::service
