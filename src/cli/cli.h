// The idreg command: parses arguments, runs one command, maps its Status to an exit code.
// Each command group lives in its own file and registers itself through an Add*Command
// function below; RunCli is what main() and the CLI tests call.
#ifndef IDREG_SRC_CLI_CLI_H_
#define IDREG_SRC_CLI_CLI_H_

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>

#include "idreg/core/clock.h"
#include "idreg/core/status.h"

namespace idreg::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;   // input parsed but failed a check (e.g. a check digit)
inline constexpr int kExitUnusable = 2;  // input or arguments unusable, or the operation failed

struct Context {
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  const Clock* clock = nullptr;
  std::string store_url;  // --store, else $IDREG_STORE, else sqlite:./var/idreg.db
  std::string key_file;   // --key-file, else $IDREG_KEY_FILE, else beside the store
  std::string actor;      // --actor, else $IDREG_ACTOR, else $USER
  std::string role;       // --role, else $IDREG_ROLE, else "admin"
  int exit_code = kExitOk;

  // Prints "idreg: <status>" on err and sets exit_code (kExitUnusable unless given).
  void Fail(const Status& s, int code = kExitUnusable);
};

void AddMrzCommand(CLI::App& app, Context& ctx);
void AddInitCommand(CLI::App& app, Context& ctx);
void AddProfileCommands(CLI::App& app, Context& ctx);
void AddAuditCommands(CLI::App& app, Context& ctx);
void AddEvalCommands(CLI::App& app, Context& ctx);
void AddDnaCommands(CLI::App& app, Context& ctx);
void AddFingerCommands(CLI::App& app, Context& ctx);
void AddFaceCommands(CLI::App& app, Context& ctx);
void AddVoiceCommands(CLI::App& app, Context& ctx);
void AddServeCommand(CLI::App& app, Context& ctx);
void AddKeyCommands(CLI::App& app, Context& ctx);
void AddCredentialCommands(CLI::App& app, Context& ctx);
void AddAn2kCommands(CLI::App& app, Context& ctx);
void AddImportCommand(CLI::App& app, Context& ctx);
void AddExportCommand(CLI::App& app, Context& ctx);
void AddIdentificationCommands(CLI::App& app, Context& ctx);  // enroll, identify, verify, watchlist, calibrate, eval dedup

// Runs the command line; never throws. Returns the process exit code.
int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out,
           std::ostream& err, const Clock& clock = Clock::System());

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_CLI_H_
