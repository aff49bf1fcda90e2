// The service's routing model: a route is a method, a path pattern with {params}, the policy
// action it performs, its OpenAPI description, and a handler from Request to Response.
#ifndef IDREG_SRC_SERVICE_HTTP_H_
#define IDREG_SRC_SERVICE_HTTP_H_

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "idreg/core/clock.h"
#include "idreg/document/mrz.h"
#include "idreg/match/engine.h"
#include "idreg/registry/store.h"
#include "idreg/service/api_keys.h"
#include "idreg/workflow/samples.h"

namespace idreg::service {

struct Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // from the path pattern
  std::multimap<std::string, std::string> query;
  std::string body;
  Caller caller;         // set when the route needs a key
  std::string purpose;   // the X-Purpose header

  std::string Query(const std::string& name, const std::string& fallback = "") const;
  Actor AsActor() const { return Actor{caller.name(), caller.role, purpose}; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;

  static Response Json(const nlohmann::json& j, int status = 200);
  // RFC 9457 problem details.
  static Response Problem(int status, const std::string& title, const std::string& detail);
  static Response FromStatus(const Status& s);
  // 422 for samples of which none could be used, listing why each was rejected.
  static Response UnusableSamples(const std::vector<SampleIssue>& rejected);
};

struct Route {
  std::string method;   // GET, POST, DELETE
  std::string pattern;  // "/v1/profiles/{id}"
  std::string action;   // policy action; "" for public routes (no key needed)
  std::string summary;  // for the OpenAPI document
  nlohmann::json request_schema;   // null when the route takes no body
  std::vector<int> responses;      // documented status codes
  std::function<Response(const Request&)> handler;
  nlohmann::json response_schema = nullptr;  // of the 2xx body, for the OpenAPI document
};

class Metrics;
class CredentialIssuer;

// What handlers share.
struct ServiceContext {
  Store& store;
  const Clock& clock;
  Metrics& metrics;
  const CredentialIssuer& issuer;
  match::Engine& engine;
  // Held by every request that searches and then writes (border entries, consular registrations,
  // review decisions, erasure), so that a search never misses a person committed meanwhile and
  // the galleries change in commit order.
  std::mutex& enroll_mu;
};

// Parses a JSON body; InvalidArgument naming the JSON error's position, or that it is not an object.
Result<nlohmann::json> ParseJsonBody(const std::string& body);

// body["samples"]: [{"modality", "position"?, "format"?, "data": base64}] -> captured samples.
// InvalidArgument naming the sample and field that is wrong; an absent field gives no samples.
Result<std::vector<CapturedSample>> ReadCapturedSamples(const nlohmann::json& body);
// The OpenAPI schema of that array.
nlohmann::json SamplesSchema();
nlohmann::json IssuesToJson(const std::vector<SampleIssue>& issues);

// body["mrz"] (the zone's lines joined by '|', or an array of lines) read and checked into `out`;
// otherwise the problem to answer (400 unreadable, 422 failing its check digits).
std::optional<Response> ReadMrz(const nlohmann::json& body, const Clock& clock, Mrz& out);
nlohmann::json MrzSchema();
// Response schemas shared by the routes that search: candidates (workflow CandidateToJson) and
// the samples left out (IssuesToJson).
nlohmann::json CandidateListSchema();
nlohmann::json RejectedSamplesSchema();

// The route groups, one file each.
std::vector<Route> SystemRoutes(ServiceContext& ctx, const std::vector<Route>* all);
std::vector<Route> ProfileRoutes(ServiceContext& ctx);
std::vector<Route> AuditRoutes(ServiceContext& ctx);
std::vector<Route> BorderRoutes(ServiceContext& ctx);
std::vector<Route> CredentialRoutes(ServiceContext& ctx);
std::vector<Route> ConsularRoutes(ServiceContext& ctx);
std::vector<Route> IdentifyRoutes(ServiceContext& ctx);
std::vector<Route> ReviewRoutes(ServiceContext& ctx);

// The OpenAPI 3.1 document of `routes`.
nlohmann::json OpenApiDocument(const std::vector<Route>& routes);

}  // namespace idreg::service

#endif  // IDREG_SRC_SERVICE_HTTP_H_
