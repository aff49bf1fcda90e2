#include "cli/eval_commands.h"

#include "cli/finger_commands.h"

namespace idreg::cli {

void AddEvalCommands(CLI::App& app, Context& ctx) {
  auto* eval = app.add_subcommand("eval", "Measure accuracy on a dataset (FMR, FNMR, EER, rank-1, ...)");
  eval->require_subcommand(1);
  // Each modality registers its evaluator here.
  AddEvalDna(*eval, ctx);
  AddEvalFinger(*eval, ctx);
  AddEvalVoice(*eval, ctx);
  AddEvalFace(*eval, ctx);
  (void)ctx;
}

}  // namespace idreg::cli
