// `idreg face ...` and `idreg eval face`: shared helpers of the face commands.
#ifndef IDREG_SRC_CLI_FACE_COMMANDS_H_
#define IDREG_SRC_CLI_FACE_COMMANDS_H_

#include <memory>
#include <string>

#include "cli/cli.h"
#include "idreg/core/result.h"
#include "idreg/face/networks.h"
#include "idreg/face/pipeline.h"

namespace idreg::cli {

void AddFaceCommands(CLI::App& app, Context& ctx);
void AddEvalFace(CLI::App& eval, Context& ctx);

// The installed networks, loaded once per process; the error names scripts/install-face-models.
Result<std::shared_ptr<const face::FaceNetworks>> FaceNetworksOrError();

// The face to use from an image file: the largest detected face, or with `no_detect` the whole
// image as a crop. Quality is checked when `check_quality`.
Result<face::AnalyzedFace> LoadFace(const face::FaceNetworks& nets, const std::string& path, bool no_detect,
                                    bool check_quality, face::AlignMode mode = face::kDefaultAlignMode);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_FACE_COMMANDS_H_
