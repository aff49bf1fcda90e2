#include "service/http.h"

namespace idreg::service {

using nlohmann::json;

namespace {

json ProblemSchema() {
  return {{"type", "object"},
          {"required", {"title", "status", "detail"}},
          {"properties",
           {{"type", {{"type", "string"}}},
            {"title", {{"type", "string"}}},
            {"status", {{"type", "integer"}}},
            {"detail", {{"type", "string"}}},
            {"rejected", {{"type", "array"}, {"description", "samples left out, each with its reason"}}}}}};
}

}  // namespace

json OpenApiDocument(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const Route& r : routes) {
    json op;
    op["summary"] = r.summary;
    op["operationId"] = r.method + " " + r.pattern;
    json params = json::array();
    for (size_t i = r.pattern.find('{'); i != std::string::npos; i = r.pattern.find('{', i + 1)) {
      std::string name = r.pattern.substr(i + 1, r.pattern.find('}', i) - i - 1);
      params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (!r.action.empty()) {
      params.push_back({{"name", "X-Purpose"},
                        {"in", "header"},
                        {"required", false},
                        {"description", "Why the caller acts; required where the access policy asks for one"},
                        {"schema", {{"type", "string"}}}});
      op["security"] = json::array({{{"apiKey", json::array()}}});
      op["x-idreg-action"] = r.action;
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_schema.is_null()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", r.request_schema}}}}}};
    }
    json responses = json::object();
    for (int code : r.responses) {
      std::string type = code < 300 ? (r.pattern == "/metrics" ? "text/plain" : "application/json")
                                    : "application/problem+json";
      json schema = code < 300 ? (r.response_schema.is_null() ? json::object() : r.response_schema) : ProblemSchema();
      responses[std::to_string(code)] = {{"description", code < 300 ? "success" : "problem details (RFC 9457)"},
                                         {"content", {{type, {{"schema", schema}}}}}};
    }
    op["responses"] = responses;
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.pattern][method] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info", {{"title", "idreg"}, {"version", "0.1.0"},
                    {"description", "Open multimodal biometric identity registry. Every route that reads "
                                    "personal data needs an API key and a purpose (X-Purpose); the access "
                                    "policy is in doc/access-policy.md."}}},
          {"paths", paths},
          {"components",
           {{"securitySchemes",
             {{"apiKey", {{"type", "http"}, {"scheme", "bearer"}, {"description", "idreg_<id>_<secret>"}}}}}}}};
}

}  // namespace idreg::service
