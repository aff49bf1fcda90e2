// Fusion: the LLR of a candidate is the sum of the calibrated LLRs of every probe sample that
// could be compared with it, over every modality the probe carries. Modalities the probe does not
// carry, or the candidate has no sample of, add nothing (LLR 0: no evidence either way), so a
// missing modality never counts against anyone.
//
// Samples of one modality (several fingers, several face images) are summed as if independent,
// then capped per modality: fingers of one person share capture conditions and skin, so their
// scores are correlated and an uncapped sum would overstate the evidence. The default cap is
// twice the largest LLR the modality's calibration gives to one sample.
#ifndef IDREG_MATCH_FUSION_H_
#define IDREG_MATCH_FUSION_H_

#include <map>
#include <string>
#include <vector>

#include "idreg/match/calibration.h"
#include "idreg/match/gallery.h"

namespace idreg::match {

// The scores of one modality: per probe sample, its candidates (from Search and Score merged).
struct ModalityScores {
  std::string modality;
  std::vector<std::string> probes;  // a label per probe sample ("right_index", "profile", ...)
  CandidateLists lists;             // parallel to probes
};

// One term of a fused score: which probe met which stored sample, its raw score and its LLR.
struct ScorePart {
  std::string modality;
  std::string probe;
  Id sample;
  std::string position;
  double raw = 0;
  double llr = 0;
};

struct FusedCandidate {
  ProfileId profile;
  double llr = 0;
  std::map<std::string, double> modality_llr;  // after the cap
  std::vector<ScorePart> parts;
};

struct FusionOptions {
  // Per modality: the cap on the sum of its samples' LLRs; a modality not listed gets twice its
  // calibration's llr_max.
  std::map<std::string, double> modality_cap;
};

// Candidates best first (ties by profile id). InvalidArgument when a modality has no calibration.
Result<std::vector<FusedCandidate>> Fuse(const std::vector<ModalityScores>& scores,
                                         const std::map<std::string, Calibration>& calibrations,
                                         const FusionOptions& options = {});

}  // namespace idreg::match

#endif  // IDREG_MATCH_FUSION_H_
