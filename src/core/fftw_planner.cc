#include "idreg/core/fftw_planner.h"

namespace idreg {

std::mutex& FftwPlannerMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace idreg
