// `idreg finger ...` and `idreg eval finger`: shared helpers of the fingerprint commands.
#ifndef IDREG_SRC_CLI_FINGER_COMMANDS_H_
#define IDREG_SRC_CLI_FINGER_COMMANDS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "idreg/core/result.h"
#include "idreg/finger/minutia.h"

namespace idreg::cli {

void AddFingerCommands(CLI::App& app, Context& ctx);
void AddEvalFinger(CLI::App& eval, Context& ctx);

// A template from a file: an ISO/IEC 19794-2 record (by its "FMR\0" signature) or an image,
// extracted at `ppi` when the image does not state its resolution (0: assume 500).
Result<finger::FingerTemplate> LoadFingerTemplate(const std::string& path, double ppi);

// Closed-set 1:N within one database (`eval finger --identify`): each template (null: failed to
// extract) searched against all the others; `fingers` names each one's finger. Rank-1 exhaustive and
// with coarse shortlists of `percents` of the gallery, and where the coarse stage ranks the first mate.
nlohmann::json EvalFingerIdentification(const std::vector<const finger::FingerTemplate*>& templates,
                                        const std::vector<int>& fingers, const std::vector<double>& percents);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_FINGER_COMMANDS_H_
