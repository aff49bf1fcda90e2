// Verification error rates from genuine and impostor similarity scores (ISO/IEC 19795-1): FMR,
// FNMR, EER, the lowest FNMR at a fixed FMR, and the DET curve. Scores are similarities: a pair
// is accepted when its score is >= the threshold. Modality-independent.
#ifndef IDREG_EVAL_ERROR_RATES_H_
#define IDREG_EVAL_ERROR_RATES_H_

#include <cstddef>
#include <vector>

namespace idreg::eval {

struct DetPoint {
  double threshold = 0;
  double fmr = 0;   // impostor scores >= threshold / impostors
  double fnmr = 0;  // genuine scores < threshold / genuines
};

struct ErrorRates {
  size_t genuine = 0;
  size_t impostor = 0;
  double eer = 0;  // as FVC computes it: the mean of FMR and FNMR where they cross
  double eer_threshold = 0;
  double fmr100 = 0;    // the lowest FNMR with FMR <= 1%
  double fmr1000 = 0;   // ... FMR <= 0.1%
  double fmr10000 = 0;  // ... FMR <= 0.01%
  double zero_fmr = 0;  // ... FMR == 0
};

// One point per distinct score (plus one above all), thresholds ascending: FMR falls, FNMR rises.
std::vector<DetPoint> ComputeDet(std::vector<double> genuine, std::vector<double> impostor);

// Both sets must be non-empty for the rates to mean anything; empty sets give all zeros.
ErrorRates ComputeErrorRates(const std::vector<double>& genuine, const std::vector<double>& impostor);

}  // namespace idreg::eval

#endif  // IDREG_EVAL_ERROR_RATES_H_
