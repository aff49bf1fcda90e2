#include "idreg/core/models_dir.h"

#include <cstdlib>

namespace idreg {

std::filesystem::path ModelsDir() {
  if (const char* env = std::getenv("IDREG_MODELS_DIR"); env && *env) return env;
  return IDREG_DEFAULT_MODELS_DIR;
}

}  // namespace idreg
