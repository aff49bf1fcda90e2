// Internals shared by the cylinder builder and the matchers (fast and reference).
#ifndef IDREG_SRC_FINGER_MCC_INTERNAL_H_
#define IDREG_SRC_FINGER_MCC_INTERNAL_H_

#include <cmath>

#include "finger/parameters.h"
#include "idreg/finger/matcher.h"

namespace idreg::finger {

// Spatial cells whose centre lies within the cylinder radius.
int CellsWithinRadius();

// The share of a Gaussian (sigma_D) centred on `alpha` that falls within one direction bin.
double DirectionalContribution(double alpha);

// An angle difference brought to [-pi, pi).
template <typename Real>
inline Real NormAngle(Real a) {
  constexpr Real pi = static_cast<Real>(params::kPi);
  a = std::fmod(a + pi, 2 * pi);
  return (a < 0 ? a + 2 * pi : a) - pi;
}

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_MCC_INTERNAL_H_
