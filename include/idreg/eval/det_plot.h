// The DET curve as a standalone SVG: FNMR against FMR on log-scaled axes (0.01% to 100%), with
// the EER point marked. Several curves may share one plot (e.g. one per database).
#ifndef IDREG_EVAL_DET_PLOT_H_
#define IDREG_EVAL_DET_PLOT_H_

#include <string>
#include <vector>

#include "idreg/eval/error_rates.h"

namespace idreg::eval {

struct DetSeries {
  std::string label;
  std::vector<DetPoint> points;
  ErrorRates rates;
};

std::string RenderDetSvg(const std::vector<DetSeries>& series, const std::string& title);

}  // namespace idreg::eval

#endif  // IDREG_EVAL_DET_PLOT_H_
