#include "cli/cli.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>

namespace idreg::cli {
namespace {

std::string EnvOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : std::move(fallback);
}

// The login name, for the audit log when neither --actor nor $IDREG_ACTOR says who acts.
std::string LoginName() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  return "uid:" + std::to_string(getuid());
}

}  // namespace

void Context::Fail(const Status& s, int code) {
  *err << "idreg: " << s.ToString() << "\n";
  exit_code = code;
}

int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err,
           const Clock& clock) {
  Context ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  ctx.clock = &clock;
  try {
    CLI::App app{"idreg: an open multimodal biometric identity registry and matching engine"};
    app.set_version_flag("--version", std::string("idreg 0.1.0"));
    app.require_subcommand(1);
    app.fallthrough();
    ctx.store_url = EnvOr("IDREG_STORE", "sqlite:./var/idreg.db");
    ctx.key_file = EnvOr("IDREG_KEY_FILE", "");
    ctx.actor = EnvOr("IDREG_ACTOR", LoginName());
    ctx.role = EnvOr("IDREG_ROLE", "admin");
    app.add_option("--store", ctx.store_url, "Store URL (sqlite:PATH); default $IDREG_STORE or sqlite:./var/idreg.db");
    app.add_option("--key-file", ctx.key_file, "Master key file; default $IDREG_KEY_FILE or STORE_PATH.key");
    app.add_option("--actor", ctx.actor, "Who is acting, for the audit log; default $IDREG_ACTOR or $USER");
    app.add_option("--role", ctx.role, "The actor's role, for the audit log; default $IDREG_ROLE or admin");

    AddMrzCommand(app, ctx);
    AddInitCommand(app, ctx);
    AddProfileCommands(app, ctx);
    AddAuditCommands(app, ctx);
    AddEvalCommands(app, ctx);
    AddDnaCommands(app, ctx);
    AddFingerCommands(app, ctx);
    AddFaceCommands(app, ctx);
    AddVoiceCommands(app, ctx);
    AddServeCommand(app, ctx);
    AddKeyCommands(app, ctx);
    AddCredentialCommands(app, ctx);
    AddAn2kCommands(app, ctx);
    AddImportCommand(app, ctx);
    AddExportCommand(app, ctx);
    AddIdentificationCommands(app, ctx);

    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return app.exit(e, out, err);
    } catch (const CLI::ParseError& e) {
      app.exit(e, out, err);
      return kExitUnusable;
    }
  } catch (const std::exception& e) {
    // Commands report errors by Status; anything thrown is a bug, reported without a crash.
    err << "idreg: internal error: " << e.what() << "\n";
    return kExitUnusable;
  }
  return ctx.exit_code;
}

}  // namespace idreg::cli
