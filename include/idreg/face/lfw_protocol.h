// The Labeled Faces in the Wild View 2 protocol: the pairs file (`pairs.txt`) and the 10-fold
// accuracy. The file starts with "FOLDS PAIRS" (10 300); each fold then lists PAIRS same-person
// lines "name n1 n2" followed by PAIRS different-person lines "name1 n1 name2 n2" (tab or space
// separated). Image n of a person is DIR/name/name_%04d.jpg.
//
// Accuracy per fold: the distance threshold is the one that maximises accuracy on the other
// folds (training pairs only), then applied to the fold; reported as the mean over the folds and
// the standard error sigma / sqrt(folds) (sigma: sample standard deviation), as LFW's results page does.
#ifndef IDREG_FACE_LFW_PROTOCOL_H_
#define IDREG_FACE_LFW_PROTOCOL_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"

namespace idreg::face {

struct LfwPair {
  std::string name_a;
  int image_a = 0;
  std::string name_b;
  int image_b = 0;
  bool same = false;
  int fold = 0;  // 0-based
};

struct LfwProtocol {
  int folds = 0;
  int pairs_per_class = 0;  // same (and different) pairs per fold
  std::vector<LfwPair> pairs;  // fold by fold, same pairs first, in file order
};

// InvalidArgument naming the line (1-based) for a malformed header, a line with the wrong number
// of fields, a bad image number or name, missing or extra lines.
Result<LfwProtocol> ParseLfwPairs(std::string_view text);

// DIR/name/name_%04d.jpg
std::string LfwImagePath(const std::string& dir, const std::string& name, int image);

struct LfwFold {
  double threshold = 0;  // distance; "same" when distance <= threshold
  double accuracy = 0;
};

struct LfwResult {
  std::vector<LfwFold> folds;
  double mean_accuracy = 0;
  double standard_error = 0;
};

// distances[i] belongs to protocol.pairs[i]; +infinity (or NaN) marks a pair that could not be
// compared (no face found): it is decided "different". distances.size() must equal pairs.size().
LfwResult EvaluateLfw(const LfwProtocol& protocol, std::span<const double> distances);

}  // namespace idreg::face

#endif  // IDREG_FACE_LFW_PROTOCOL_H_
