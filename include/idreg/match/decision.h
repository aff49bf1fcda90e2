// The decision policy: from fused candidates to new / match / review, with thresholds derived
// from a target false-positive identification rate (FPIR) and the number of persons searched.
//
// Derivation. For a calibrated likelihood ratio LR, an impostor reaches LR >= r with probability
// at most 1/r (Markov's inequality: the impostor expectation of LR is 1). A search of N persons
// who are all impostors to the probe reports a false positive when any of them reaches the
// threshold, so FPIR <= N * FMR(t) <= N * exp(-t) for a threshold t on the natural-log LLR.
// Setting that bound to the target gives
//     t_match  = ln(N / target_fpir),
//     t_review = ln(N / review_fpir)   (review_fpir > target_fpir: the band below a match that a
//                                       person should look at).
// The bound holds for the fused LLR too (a product of independent LRs is an LR) and is
// conservative: the true FPIR at t is usually far below the target.
//
// Rules: no candidate at or above t_review -> new; exactly one candidate at or above t_match ->
// match (with it); otherwise -> review (with every candidate at or above t_review, best first).
#ifndef IDREG_MATCH_DECISION_H_
#define IDREG_MATCH_DECISION_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/match/fusion.h"

namespace idreg::match {

inline constexpr std::string_view kPolicyFormat = "idreg-decision-policy-v1";

struct DecisionPolicy {
  double target_fpir = 0.001;
  double review_fpir = 0.1;
  size_t top_k = 10;  // candidates each modality returns per probe sample
  FusionOptions fusion;
};

// The policy file: {"format": "idreg-decision-policy-v1", "target_fpir": 0.001,
// "review_fpir": 0.1, "top_k": 10, "modality_cap": {"finger": 20}} (all but format optional).
Result<DecisionPolicy> ParsePolicyJson(std::string_view text);
std::string PolicyToJson(const DecisionPolicy& policy);

struct Thresholds {
  double match = 0;   // LLR
  double review = 0;  // LLR
};
// N < 1 is taken as 1 (an empty gallery still has to be told apart from a hit).
Thresholds ThresholdsFor(const DecisionPolicy& policy, size_t persons_searched);

enum class Outcome { kNew, kMatch, kReview };
std::string_view OutcomeName(Outcome o);  // "new", "match", "review"

struct Decision {
  Outcome outcome = Outcome::kNew;
  Thresholds thresholds;
  size_t persons_searched = 0;
  std::vector<FusedCandidate> candidates;  // match: the one; review: the band; new: empty
};

Decision Decide(const DecisionPolicy& policy, size_t persons_searched, std::vector<FusedCandidate> fused);

}  // namespace idreg::match

#endif  // IDREG_MATCH_DECISION_H_
