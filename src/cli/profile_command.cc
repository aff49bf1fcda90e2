#include "cli/profile_commands.h"

namespace idreg::cli {

void AddProfileCommands(CLI::App& app, Context& ctx) {
  auto* profile = app.add_subcommand("profile", "Create, show, list and erase digital profiles");
  profile->require_subcommand(1);
  AddProfileCreate(*profile, ctx);
  AddProfileShow(*profile, ctx);
  AddProfileListAndErase(*profile, ctx);
}

}  // namespace idreg::cli
