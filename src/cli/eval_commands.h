// `idreg eval <modality>`: accuracy evaluations on real data (ISO/IEC 19795-1 figures), one
// registration function per modality, each in its own file.
#ifndef IDREG_SRC_CLI_EVAL_COMMANDS_H_
#define IDREG_SRC_CLI_EVAL_COMMANDS_H_

#include "cli/cli.h"

namespace idreg::cli {

// Each modality declares its evaluator here: void AddEval<Modality>(CLI::App& eval, Context& ctx);
void AddEvalDna(CLI::App& eval, Context& ctx);
void AddEvalVoice(CLI::App& eval, Context& ctx);
void AddEvalFace(CLI::App& eval, Context& ctx);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_EVAL_COMMANDS_H_
