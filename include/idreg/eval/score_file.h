// Every compared pair of an evaluation as CSV, so that anyone can recompute the figures:
// header "probe,reference,score,genuine", then one row per pair (genuine is 1 or 0; score printed
// with 9 significant digits). Names containing commas or quotes are quoted as RFC 4180 says.
#ifndef IDREG_EVAL_SCORE_FILE_H_
#define IDREG_EVAL_SCORE_FILE_H_

#include <string>
#include <vector>

#include "idreg/core/status.h"

namespace idreg::eval {

struct ScoredPair {
  std::string probe;
  std::string reference;
  double score = 0;
  bool genuine = false;
};

std::string FormatScoresCsv(const std::vector<ScoredPair>& pairs);
Status WriteScoresCsv(const std::string& path, const std::vector<ScoredPair>& pairs);

}  // namespace idreg::eval

#endif  // IDREG_EVAL_SCORE_FILE_H_
