// Routes that need no key: health, metrics, the OpenAPI document.
#include "service/http.h"
#include "service/metrics.h"

namespace idreg::service {

std::vector<Route> SystemRoutes(ServiceContext& ctx, const std::vector<Route>* all) {
  std::vector<Route> routes;
  routes.push_back({"GET", "/healthz", "", "Liveness: the store answers", nullptr, {200, 503},
                    [&ctx](const Request&) {
                      auto v = ctx.store.ReadAudit(AuditQuery{std::nullopt, 0, 1});
                      if (!v.ok()) return Response::Problem(503, "Service Unavailable", v.status().ToString());
                      return Response::Json({{"status", "ok"}, {"time", ctx.clock.NowIso8601()}});
                    }});
  routes.push_back({"GET", "/metrics", "",
                    "Prometheus metrics: requests and latencies by route and status, searches (total and per "
                    "second), gallery sizes per modality",
                    nullptr, {200}, [&ctx](const Request&) {
                      return Response{200, "text/plain; version=0.0.4", ctx.metrics.PrometheusText(&ctx.engine)};
                    }});
  // The document lists every route, itself included.
  routes.push_back({"GET", "/openapi.json", "", "This OpenAPI 3.1 document", nullptr, {200},
                    [all](const Request&) { return Response::Json(OpenApiDocument(*all)); }});
  return routes;
}

}  // namespace idreg::service
