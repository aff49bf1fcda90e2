// idreg serve: the REST/JSON service over HTTP/1.1 (TLS optional). Routes and their OpenAPI
// document come from one table, so the document cannot drift from what the server answers.
#ifndef IDREG_SERVICE_SERVER_H_
#define IDREG_SERVICE_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "idreg/core/clock.h"
#include "idreg/match/engine.h"
#include "idreg/registry/store.h"

namespace idreg::service {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (see Server::port())
  int threads = 0;                  // worker pool size; 0: 4 per core
  size_t max_body_bytes = 32 << 20;  // larger requests get 413
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 30;
  std::string tls_cert;  // both set: HTTPS
  std::string tls_key;
};

class Server {
 public:
  virtual ~Server() = default;

  // The store and the engine (built from that store) must outlive the server; the master key
  // derives the credential signing key. The server keeps the engine current after each commit.
  static Result<std::unique_ptr<Server>> Create(Store& store, const MasterKey& master, match::Engine& engine,
                                                const ServerOptions& options, const Clock& clock = Clock::System());

  // Binds the listening socket (Unavailable with the reason when it cannot).
  virtual Status Bind() = 0;
  virtual int port() const = 0;
  // Serves until Stop(); returns after in-flight requests have finished.
  virtual void Run() = 0;
  // Thread-safe and async-signal-unsafe: call from a normal thread (the CLI's signal waiter).
  virtual void Stop() = 0;
};

}  // namespace idreg::service

#endif  // IDREG_SERVICE_SERVER_H_
