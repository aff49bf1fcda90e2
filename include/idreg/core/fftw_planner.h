// FFTW keeps its planner's state per process and that planner is not thread-safe (executing a
// finished plan on other arrays is): every module that makes FFTW plans (voice features, the
// fingerprint Gabor bank) holds this one lock while planning.
#ifndef IDREG_CORE_FFTW_PLANNER_H_
#define IDREG_CORE_FFTW_PLANNER_H_

#include <mutex>

namespace idreg {

std::mutex& FftwPlannerMutex();

}  // namespace idreg

#endif  // IDREG_CORE_FFTW_PLANNER_H_
