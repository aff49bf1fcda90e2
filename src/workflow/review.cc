#include "idreg/workflow/review.h"

#include <algorithm>

namespace idreg {

using nlohmann::json;

json CandidateToJson(const match::FusedCandidate& c) {
  json parts = json::array();
  for (const match::ScorePart& p : c.parts) {
    parts.push_back({{"modality", p.modality}, {"probe", p.probe}, {"sample", p.sample.ToString()},
                     {"position", p.position}, {"raw_score", p.raw}, {"llr", p.llr}});
  }
  return {{"profile_id", c.profile.ToString()}, {"llr", c.llr}, {"modality_llr", c.modality_llr}, {"parts", parts}};
}

Result<Id> OpenReviewCase(Store& store, const DedupResult& result, Enrollment enrollment,
                          const PreparedSamples& samples, const Actor& actor) {
  if (result.outcome != DedupOutcome::kReview && result.outcome != DedupOutcome::kPossibleFraud) {
    return Status::InvalidArgument("only review and possible_fraud outcomes open a review case, not " +
                                   std::string(DedupOutcomeName(result.outcome)));
  }
  if (result.committed) return Status::InvalidArgument("a committed dedup result needs no review");
  ReviewCase c;
  c.kind = std::string(DedupOutcomeName(result.outcome));
  c.reason = result.reason;
  json candidates = json::array();
  for (const match::FusedCandidate& f : result.search.decision.candidates) {
    c.candidate_ids.push_back(f.profile);
    candidates.push_back(CandidateToJson(f));
  }
  // A reused document: the biometrics matched no one, the document's holder is the candidate.
  if (result.outcome == DedupOutcome::kPossibleFraud && result.search.decision.candidates.empty()) {
    for (const Document& d : enrollment.documents) {
      if (d.number.empty()) continue;
      IDREG_ASSIGN_OR_RETURN(auto holders, store.FindByDocument(d.issuing_state, d.number, actor));
      for (const ProfileId& h : holders) {
        if (std::find(c.candidate_ids.begin(), c.candidate_ids.end(), h) != c.candidate_ids.end()) continue;
        c.candidate_ids.push_back(h);
        candidates.push_back({{"profile_id", h.ToString()}, {"matched_by", "document"}});
      }
    }
  }
  c.candidates = candidates.dump();
  enrollment.biometrics = samples.records;
  c.pending = std::move(enrollment);
  return store.OpenReviewCase(c, actor);
}

Result<ReviewResolution> ParseReviewResolution(std::string_view name) {
  if (name == "enroll_new") return ReviewResolution::kEnrollNew;
  if (name == "link") return ReviewResolution::kLink;
  if (name == "reject") return ReviewResolution::kReject;
  return Status::InvalidArgument("decision '" + std::string(name) + "': expected enroll_new, link or reject");
}

std::string_view ReviewResolutionName(ReviewResolution r) {
  switch (r) {
    case ReviewResolution::kEnrollNew: return "enroll_new";
    case ReviewResolution::kLink: return "link";
    case ReviewResolution::kReject: return "reject";
  }
  return "?";
}

Result<ReviewCase> DecideReview(Store& store, match::Engine& engine, const Id& case_id, const ReviewDecision& decision,
                                const Actor& actor) {
  if (decision.resolution == ReviewResolution::kLink && decision.link_to.empty()) {
    return Status::InvalidArgument("a link decision names the candidate profile to link to");
  }
  IDREG_ASSIGN_OR_RETURN(ReviewCase c, store.DecideReviewCase(case_id, decision.resolution, decision.link_to,
                                                              decision.reason, actor));
  if (decision.resolution != ReviewResolution::kReject && !c.pending.biometrics.empty()) {
    IDREG_RETURN_IF_ERROR(engine.Add(c.result_profile, c.pending.biometrics)
                              .WithContext("review case " + case_id.ToString() + " was decided and stored"));
  }
  return c;
}

}  // namespace idreg
