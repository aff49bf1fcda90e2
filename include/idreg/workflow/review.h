// The adjudication queue (DESIGN.md, "workflow/"): dedup outcomes that a person must decide.
// EnrollWithDedup commits nothing for review and possible_fraud; OpenReviewCase keeps the
// enrollment, its accepted samples and the candidates with their scores as a review case in the
// store (sealed like every biometric payload). An adjudicator then enrolls it as a new person,
// links it to one of the candidates (the encounter and samples join that profile), or rejects it,
// always with a reason. The store commits the decision and its effect in one transaction; only
// after that commit do the galleries change. Format and flow: doc/review-queue.md.
#ifndef IDREG_WORKFLOW_REVIEW_H_
#define IDREG_WORKFLOW_REVIEW_H_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "idreg/match/engine.h"
#include "idreg/registry/store.h"
#include "idreg/workflow/dedup.h"
#include "idreg/workflow/samples.h"

namespace idreg {

// A fused candidate as JSON: {"profile_id", "llr", "modality_llr": {...}, "parts": [{"modality",
// "probe", "sample", "position", "raw_score", "llr"}]}. Ids and numbers only.
nlohmann::json CandidateToJson(const match::FusedCandidate& c);

// Opens a case for `result` (outcome review or possible_fraud; InvalidArgument otherwise):
// `enrollment` is what EnrollWithDedup was given, `samples` the prepared samples. The candidates
// are the decided ones and, for a reused document, the document's holders. Returns the case id.
Result<Id> OpenReviewCase(Store& store, const DedupResult& result, Enrollment enrollment,
                          const PreparedSamples& samples, const Actor& actor);

// "enroll_new", "link", "reject".
Result<ReviewResolution> ParseReviewResolution(std::string_view name);
std::string_view ReviewResolutionName(ReviewResolution r);

struct ReviewDecision {
  ReviewResolution resolution = ReviewResolution::kReject;
  ProfileId link_to;  // kLink only: one of the case's candidates
  std::string reason;
};

// Decides a pending case (Store::DecideReviewCase), then adds the samples of an enrolled or linked
// enrollment to the engine. An engine failure after the commit is returned with that context:
// the store is right and the gallery catches up at the next start.
Result<ReviewCase> DecideReview(Store& store, match::Engine& engine, const Id& case_id, const ReviewDecision& decision,
                                const Actor& actor);

}  // namespace idreg

#endif  // IDREG_WORKFLOW_REVIEW_H_
