// Internals shared by the cylinder builder and the matchers (fast and reference).
#ifndef IDREG_SRC_FINGER_MCC_INTERNAL_H_
#define IDREG_SRC_FINGER_MCC_INTERNAL_H_

#include "idreg/finger/matcher.h"

namespace idreg::finger {

// Spatial cells whose centre lies within the cylinder radius.
int CellsWithinRadius();

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_MCC_INTERNAL_H_
