// idreg serve: the REST service until SIGTERM or SIGINT; in-flight requests finish first.
#include <pthread.h>
#include <signal.h>

#include <thread>

#include "cli/cli.h"
#include "cli/identification_commands.h"
#include "cli/store_access.h"
#include "idreg/service/server.h"

namespace idreg::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  service::ServerOptions options;
  size_t max_body_mib = 32;
  EngineFlags engine;
};

Status ParseListen(const std::string& listen, service::ServerOptions& o) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Status::InvalidArgument("--listen must be HOST:PORT, got '" + listen + "'");
  o.host = listen.substr(0, colon);
  try {
    size_t used = 0;
    o.port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    return Status::InvalidArgument("--listen port must be a number, got '" + listen.substr(colon + 1) + "'");
  }
  return Status::Ok();
}

void RunServe(Context& ctx, ServeArgs& args) {
  if (Status s = ParseListen(args.listen, args.options); !s.ok()) return ctx.Fail(s);
  args.options.max_body_bytes = args.max_body_mib << 20;
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  // Block the stop signals in every thread the server starts; this thread waits for them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto key = LoadMasterKey(ctx);
  if (!key.ok()) return ctx.Fail(key.status());
  // The galleries, built from the store with the calibrations and policy the identify and enroll
  // commands use (cli/identification_commands.h).
  auto engine = BuildEngine(ctx, **store, Actor{"idreg-serve", "admin", "administration"}, args.engine);
  if (!engine.ok()) return ctx.Fail(engine.status().WithContext("building the identification engine"));
  auto server = service::Server::Create(**store, **key, **engine, args.options, *ctx.clock);
  if (!server.ok()) return ctx.Fail(server.status());
  if (Status s = (*server)->Bind(); !s.ok()) return ctx.Fail(s);
  *ctx.out << "idreg serve: listening on " << (args.options.tls_cert.empty() ? "http" : "https") << "://"
           << args.options.host << ":" << (*server)->port() << " (store " << ctx.store_url << "; "
           << (*engine)->persons() << " persons in the galleries; OpenAPI at /openapi.json; SIGTERM stops)"
           << std::endl;
  std::thread serving([&] { (*server)->Run(); });
  int sig = 0;
  sigwait(&stop, &sig);
  *ctx.out << "idreg serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
           << ": finishing in-flight requests" << std::endl;
  (*server)->Stop();
  serving.join();
  *ctx.out << "idreg serve: stopped" << std::endl;
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the REST/JSON service (OpenAPI at /openapi.json)");
  cmd->add_option("--listen", args->listen, "HOST:PORT (port 0: any free port)")->capture_default_str();
  cmd->add_option("--threads", args->options.threads, "Worker threads (0: 4 per core)")->capture_default_str();
  cmd->add_option("--max-body-mib", args->max_body_mib, "Largest request body, MiB")->capture_default_str();
  cmd->add_option("--read-timeout", args->options.read_timeout_seconds, "Seconds")->capture_default_str();
  cmd->add_option("--write-timeout", args->options.write_timeout_seconds, "Seconds")->capture_default_str();
  cmd->add_option("--tls-cert", args->options.tls_cert, "PEM certificate (with --tls-key: HTTPS)");
  cmd->add_option("--tls-key", args->options.tls_key, "PEM private key");
  AddEngineFlags(cmd, args->engine);
  cmd->callback([&ctx, args] { RunServe(ctx, *args); });
}

}  // namespace idreg::cli
