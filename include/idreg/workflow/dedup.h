// Dedup at enrollment (DESIGN.md, "The flow of one enrollment"): the encounter's samples are
// searched in every modality they carry, fused and decided, and only then is anything written:
//  - new: no one in the registry matches -> a new profile (document, attributes, encounter,
//    samples) in one transaction;
//  - match: one person matches and the biographic data agree (the same document, or the same
//    surname, given names and birth date) -> the encounter and its samples are added to that
//    profile;
//  - possible_fraud: the biometrics match a person enrolled under another identity, or the
//    document is already enrolled for someone whose biometrics do not match. Nothing is
//    committed: a second identity is exactly what dedup exists to stop. The attempt is audited
//    (dedup.possible_fraud, with the candidate's id) and returned with the candidates for an
//    officer or adjudicator;
//  - review: the evidence is in the review band (or several persons match): nothing is committed,
//    the attempt is audited (dedup.review) and the candidates returned for adjudication.
// Galleries change only after the store committed.
#ifndef IDREG_WORKFLOW_DEDUP_H_
#define IDREG_WORKFLOW_DEDUP_H_

#include <string>
#include <string_view>
#include <vector>

#include "idreg/match/engine.h"
#include "idreg/registry/store.h"
#include "idreg/workflow/samples.h"

namespace idreg {

enum class DedupOutcome { kNew, kMatch, kReview, kPossibleFraud };
std::string_view DedupOutcomeName(DedupOutcome o);  // "new", "match", "review", "possible_fraud"

struct DedupResult {
  DedupOutcome outcome = DedupOutcome::kNew;
  bool committed = false;
  ProfileId profile;  // new: the new profile; match: the matched one; else empty
  Id encounter;       // match: the added encounter
  std::string reason;  // why, in words (for possible_fraud and review)
  match::IdentifyResult search;
  std::vector<SampleIssue> rejected;  // samples left out for quality
};

// `enrollment` holds the document, attributes and encounter (no biometrics); `samples` the
// prepared samples. InvalidArgument when no sample is usable (naming why each was rejected).
Result<DedupResult> EnrollWithDedup(Store& store, match::Engine& engine, Enrollment enrollment,
                                    const PreparedSamples& samples, const Actor& actor);

}  // namespace idreg

#endif  // IDREG_WORKFLOW_DEDUP_H_
