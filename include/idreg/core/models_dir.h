// Where the installed model files live (pretrained face weights, the trained voice background
// model). They are installed by the set-up scripts, never committed, so every modality that needs
// one looks it up here and names the installing command when it is missing.
#ifndef IDREG_CORE_MODELS_DIR_H_
#define IDREG_CORE_MODELS_DIR_H_

#include <filesystem>

namespace idreg {

// $IDREG_MODELS_DIR when set and not empty, else the repository's models/ folder as configured at
// build time (scripts/install-deps and the model scripts install there).
std::filesystem::path ModelsDir();

}  // namespace idreg

#endif  // IDREG_CORE_MODELS_DIR_H_
