#include "idreg/service/server.h"

#include <httplib.h>

#include <chrono>
#include <regex>
#include <thread>

#include "idreg/service/api_keys.h"
#include "idreg/service/policy.h"
#include "idreg/service/sd_jwt.h"
#include "service/http.h"
#include "service/metrics.h"

namespace idreg::service {
namespace {

// "/v1/profiles/{id}" -> regex "/v1/profiles/([^/]+)" and the parameter names in order.
std::pair<std::string, std::vector<std::string>> CompilePattern(const std::string& pattern) {
  std::string re;
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t end = pattern.find('}', i);
      names.push_back(pattern.substr(i + 1, end - i - 1));
      re += "([^/]+)";
      i = end;
    } else if (std::string(".+*?()[]^$|\\").find(pattern[i]) != std::string::npos) {
      re += '\\';
      re += pattern[i];
    } else {
      re += pattern[i];
    }
  }
  return {re, names};
}

class HttpServer final : public Server {
 public:
  HttpServer(Store& store, const MasterKey& master, match::Engine& engine, const ServerOptions& options,
             const Clock& clock)
      : options_(options), issuer_(master), ctx_{store, clock, metrics_, issuer_, engine, enroll_mu_},
        keys_(store, clock) {
    if (!options.tls_cert.empty()) {
      http_ = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    } else {
      http_ = std::make_unique<httplib::Server>();
    }
    for (auto group : {ProfileRoutes(ctx_), AuditRoutes(ctx_), BorderRoutes(ctx_), ConsularRoutes(ctx_),
                       IdentifyRoutes(ctx_), ReviewRoutes(ctx_), CredentialRoutes(ctx_)}) {
      routes_.insert(routes_.end(), group.begin(), group.end());
    }
    auto system = SystemRoutes(ctx_, &routes_);
    routes_.insert(routes_.end(), system.begin(), system.end());
    Configure();
  }

  Status Bind() override {
    if (!http_->is_valid()) return Status::Unavailable("the HTTP server could not start (TLS certificate or key?)");
    if (options_.port == 0) {
      port_ = http_->bind_to_any_port(options_.host);
      if (port_ < 0) return Status::Unavailable("cannot bind to " + options_.host);
    } else {
      if (!http_->bind_to_port(options_.host, options_.port)) {
        return Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                   " (in use, or not permitted)");
      }
      port_ = options_.port;
    }
    return Status::Ok();
  }
  int port() const override { return port_; }
  void Run() override { http_->listen_after_bind(); }
  void Stop() override { http_->stop(); }

 private:
  void Configure() {
    int threads = options_.threads > 0 ? options_.threads
                                       : 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    http_->set_payload_max_length(options_.max_body_bytes);
    http_->set_read_timeout(options_.read_timeout_seconds, 0);
    http_->set_write_timeout(options_.write_timeout_seconds, 0);
    for (const Route& route : routes_) Register(route);
    http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      Response r = res.status == 413 ? Response::Problem(413, "Payload Too Large", "the request body is too large")
                                     : Response::Problem(res.status, res.status == 404 ? "Not Found" : "Error",
                                                         "no route for " + req.method + " " + req.path);
      res.set_content(r.body, r.content_type.c_str());
    });
    http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unexpected error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      Response r = Response::Problem(500, "Internal Server Error", what);
      res.status = 500;
      res.set_content(r.body, r.content_type.c_str());
    });
  }

  void Register(const Route& route) {
    auto [re, names] = CompilePattern(route.pattern);
    auto handler = [this, route, names = names](const httplib::Request& req, httplib::Response& res) {
      auto start = std::chrono::steady_clock::now();
      Response r = Handle(route, names, req);
      res.status = r.status;
      res.set_content(r.body, r.content_type.c_str());
      metrics_.Observe(route.method + " " + route.pattern, r.status,
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    if (route.method == "GET") http_->Get(re, handler);
    if (route.method == "POST") http_->Post(re, handler);
    if (route.method == "DELETE") http_->Delete(re, handler);
  }

  Response Handle(const Route& route, const std::vector<std::string>& names, const httplib::Request& req) {
    Request r;
    r.method = req.method;
    r.path = req.path;
    for (size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) r.params[names[i]] = req.matches[i + 1];
    for (const auto& [k, v] : req.params) r.query.emplace(k, v);
    r.body = req.body;
    r.purpose = req.get_header_value("X-Purpose");
    if (!route.action.empty()) {
      auto caller = keys_.Verify(req.get_header_value("Authorization"));
      if (!caller.ok()) {
        (void)ctx_.store.RecordAudit(Actor{"anonymous", "none", r.purpose}, "access.denied", "",
                                     "route=" + route.method + " " + route.pattern + " reason=unauthenticated");
        return Response::FromStatus(caller.status());
      }
      r.caller = *caller;
      Status allowed = Authorize(r.caller.role, route.action, r.purpose);
      if (!allowed.ok()) {
        (void)ctx_.store.RecordAudit(r.AsActor(), "access.denied", r.params.count("id") ? r.params["id"] : "",
                                     "route=" + route.method + " " + route.pattern + " action=" + route.action);
        return Response::FromStatus(allowed);
      }
    }
    return route.handler(r);
  }

  ServerOptions options_;
  Metrics metrics_;           // before ctx_, which refers to it
  CredentialIssuer issuer_;  // likewise
  std::mutex enroll_mu_;      // likewise
  ServiceContext ctx_;
  ApiKeyVerifier keys_;
  std::vector<Route> routes_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = -1;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Create(Store& store, const MasterKey& master, match::Engine& engine,
                                               const ServerOptions& options, const Clock& clock) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Status::InvalidArgument("TLS needs both --tls-cert and --tls-key");
  }
  if (options.port < 0 || options.port > 65535) return Status::InvalidArgument("port must be 0..65535");
  if (options.max_body_bytes == 0) return Status::InvalidArgument("the body size limit must be positive");
  return std::unique_ptr<Server>(new HttpServer(store, master, engine, options, clock));
}

}  // namespace idreg::service
