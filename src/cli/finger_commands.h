// `idreg finger ...` and `idreg eval finger`: shared helpers of the fingerprint commands.
#ifndef IDREG_SRC_CLI_FINGER_COMMANDS_H_
#define IDREG_SRC_CLI_FINGER_COMMANDS_H_

#include <string>

#include "cli/cli.h"
#include "idreg/core/result.h"
#include "idreg/finger/minutia.h"

namespace idreg::cli {

void AddFingerCommands(CLI::App& app, Context& ctx);
void AddEvalFinger(CLI::App& eval, Context& ctx);

// A template from a file: an ISO/IEC 19794-2 record (by its "FMR\0" signature) or an image,
// extracted at `ppi` when the image does not state its resolution (0: assume 500).
Result<finger::FingerTemplate> LoadFingerTemplate(const std::string& path, double ppi);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_FINGER_COMMANDS_H_
