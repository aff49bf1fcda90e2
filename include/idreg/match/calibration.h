// Score calibration: a modality's raw score -> natural-log likelihood ratio (LLR), so that scores
// of different modalities (and samples) can be added. Two methods:
//  - "logistic": LLR = a + b * f(score), f the identity or log(score + epsilon), fitted by
//    logistic regression on genuine and impostor score sets with the classes weighted to equal
//    total weight. With equal class weights the fitted log-odds are the log-odds at a prior of
//    1/2, which is the LLR itself: no prior correction is needed afterwards (an unweighted fit
//    would have to subtract ln(genuine count / impostor count) from its intercept). The LLR is
//    clamped to [-ln(genuine+1), ln(impostor+1)]: a set of n impostor scores cannot support a
//    likelihood ratio beyond about n, whatever the fit extrapolates.
//  - "log10-lr": the raw score already is log10 of a likelihood ratio (DNA match weights); the
//    LLR is raw * ln 10.
// Stored as a versioned JSON file (doc/identification.md).
#ifndef IDREG_MATCH_CALIBRATION_H_
#define IDREG_MATCH_CALIBRATION_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"

namespace idreg::match {

inline constexpr std::string_view kCalibrationFormat = "idreg-calibration-v1";

struct Calibration {
  std::string modality;
  std::string method = "logistic";  // "logistic" or "log10-lr"
  std::string transform = "log";    // logistic only: "identity" or "log"
  double epsilon = 1e-4;            // the offset of the log transform
  double a = 0, b = 1;
  double llr_min = -1e300, llr_max = 1e300;
  size_t genuine = 0, impostor = 0;  // the sizes of the sets it was fitted from
  std::string source;                // how it was made (a command line), for people

  double Llr(double raw) const;
};

// Fits both transforms and keeps the one with the lower weighted cross-entropy. InvalidArgument
// when either set is empty or a score is not finite.
Result<Calibration> FitLogistic(std::string modality, const std::vector<double>& genuine,
                                const std::vector<double>& impostor);

// The fixed calibration of a modality whose score is log10 LR.
Calibration Log10LrCalibration(std::string modality);

std::string CalibrationToJson(const Calibration& c);
// InvalidArgument naming the field that is missing, of the wrong type or out of range.
Result<Calibration> ParseCalibrationJson(std::string_view text);

// $IDREG_CALIBRATION_DIR, else the repository's data/calibration (the committed defaults).
std::string DefaultCalibrationDir();
// Every MODALITY.json in `dir`, keyed by the modality each file names; a file that does not parse
// fails the whole load naming it. A missing folder gives no calibrations.
Result<std::map<std::string, Calibration>> LoadCalibrationDir(const std::string& dir);

// A score file of `idreg eval ...` (eval/score_file.h: header probe,reference,score,genuine).
// InvalidArgument naming the line and column of anything malformed.
struct ScoreSets {
  std::vector<double> genuine, impostor;
};
Result<ScoreSets> ParseScoresCsv(std::string_view text);

}  // namespace idreg::match

#endif  // IDREG_MATCH_CALIBRATION_H_
