// The service's routing model: a route is a method, a path pattern with {params}, the policy
// action it performs, its OpenAPI description, and a handler from Request to Response.
#ifndef IDREG_SRC_SERVICE_HTTP_H_
#define IDREG_SRC_SERVICE_HTTP_H_

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "idreg/core/clock.h"
#include "idreg/registry/store.h"
#include "idreg/service/api_keys.h"

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
};

struct Route {
  std::string method;   // GET, POST, DELETE
  std::string pattern;  // "/v1/profiles/{id}"
  std::string action;   // policy action; "" for public routes (no key needed)
  std::string summary;  // for the OpenAPI document
  nlohmann::json request_schema;   // null when the route takes no body
  std::vector<int> responses;      // documented status codes
  std::function<Response(const Request&)> handler;
};

class Metrics;
class CredentialIssuer;

// What handlers share.
struct ServiceContext {
  Store& store;
  const Clock& clock;
  Metrics& metrics;
  const CredentialIssuer& issuer;
};

// Parses a JSON body; InvalidArgument naming the JSON error's position, or that it is not an object.
Result<nlohmann::json> ParseJsonBody(const std::string& body);

// The route groups, one file each.
std::vector<Route> SystemRoutes(ServiceContext& ctx, const std::vector<Route>* all);
std::vector<Route> ProfileRoutes(ServiceContext& ctx);
std::vector<Route> AuditRoutes(ServiceContext& ctx);
std::vector<Route> BorderRoutes(ServiceContext& ctx);
std::vector<Route> CredentialRoutes(ServiceContext& ctx);

// The OpenAPI 3.1 document of `routes`.
nlohmann::json OpenApiDocument(const std::vector<Route>& routes);

}  // namespace idreg::service

#endif  // IDREG_SRC_SERVICE_HTTP_H_
