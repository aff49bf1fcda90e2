// The `idreg profile` subcommands, one registration function per file.
#ifndef IDREG_SRC_CLI_PROFILE_COMMANDS_H_
#define IDREG_SRC_CLI_PROFILE_COMMANDS_H_

#include "cli/cli.h"

namespace idreg::cli {

void AddProfileCreate(CLI::App& profile, Context& ctx);
void AddProfileShow(CLI::App& profile, Context& ctx);
void AddProfileListAndErase(CLI::App& profile, Context& ctx);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_PROFILE_COMMANDS_H_
