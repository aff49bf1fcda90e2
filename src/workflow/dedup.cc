#include "idreg/workflow/dedup.h"

#include <cstdio>

namespace idreg {
namespace {

// The same identity: a shared document, or the same name and birth date.
bool SameIdentity(const Profile& existing, const Enrollment& e) {
  for (const Document& d : existing.documents) {
    for (const Document& n : e.documents) {
      if (!d.number.empty() && d.number == n.number && d.issuing_state == n.issuing_state) return true;
    }
  }
  auto attr = [&](std::string_view name) -> std::string {
    for (const Attribute& a : e.attributes) {
      if (a.name == name) return a.value;
    }
    return "";
  };
  const std::string surname = attr("surname"), birth = attr("birth_date");
  return !surname.empty() && !birth.empty() && existing.Attr("surname") == surname &&
         existing.Attr("given_names").value_or("") == attr("given_names") && existing.Attr("birth_date") == birth;
}

std::string LlrText(double llr) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", llr);
  return buf;
}

}  // namespace

std::string_view DedupOutcomeName(DedupOutcome o) {
  switch (o) {
    case DedupOutcome::kNew: return "new";
    case DedupOutcome::kMatch: return "match";
    case DedupOutcome::kReview: return "review";
    case DedupOutcome::kPossibleFraud: return "possible_fraud";
  }
  return "?";
}

Result<DedupResult> EnrollWithDedup(Store& store, match::Engine& engine, Enrollment enrollment,
                                    const PreparedSamples& samples, const Actor& actor) {
  if (samples.records.empty()) {
    std::string why = samples.rejected.empty() ? "none was given" : DescribeIssues(samples.rejected);
    return Status::InvalidArgument("enrollment refused: no usable biometric sample (" + why + ")");
  }
  DedupResult r;
  r.rejected = samples.rejected;
  IDREG_ASSIGN_OR_RETURN(r.search, engine.Identify(samples.probes));
  const match::Decision& d = r.search.decision;

  if (d.outcome == match::Outcome::kMatch) {
    const ProfileId candidate = d.candidates.front().profile;
    IDREG_ASSIGN_OR_RETURN(Profile existing, store.GetProfile(candidate, actor));
    if (SameIdentity(existing, enrollment)) {
      IDREG_ASSIGN_OR_RETURN(r.encounter, store.AddEncounter(candidate, enrollment.encounter, samples.records, actor));
      r.outcome = DedupOutcome::kMatch;
      r.committed = true;
      r.profile = candidate;
      // After the commit; a failure here leaves the gallery behind the store until the next
      // start, which is why it is reported rather than ignored.
      IDREG_RETURN_IF_ERROR(engine.Add(candidate, samples.records).WithContext("the encounter was stored"));
      return r;
    }
    r.outcome = DedupOutcome::kPossibleFraud;
    r.reason = "the biometrics match profile " + candidate.ToString() + " (LLR " + LlrText(d.candidates.front().llr) +
               "), enrolled under another identity";
    IDREG_RETURN_IF_ERROR(store.RecordAudit(actor, "dedup.possible_fraud", candidate.ToString(),
                                            "llr=" + LlrText(d.candidates.front().llr) + " reason=biometric_match"));
    return r;
  }
  if (d.outcome == match::Outcome::kReview) {
    r.outcome = DedupOutcome::kReview;
    r.reason = std::to_string(d.candidates.size()) + " candidate(s) in the review band (LLR >= " +
               LlrText(d.thresholds.review) + ", match needs " + LlrText(d.thresholds.match) + ")";
    IDREG_RETURN_IF_ERROR(store.RecordAudit(actor, "dedup.review", d.candidates.front().profile.ToString(),
                                            "candidates=" + std::to_string(d.candidates.size())));
    return r;
  }
  // New biometrics. A document already enrolled for someone else is a reused or forged document.
  for (const Document& doc : enrollment.documents) {
    if (doc.number.empty()) continue;
    IDREG_ASSIGN_OR_RETURN(auto holders, store.FindByDocument(doc.issuing_state, doc.number, actor));
    if (!holders.empty()) {
      r.outcome = DedupOutcome::kPossibleFraud;
      r.reason = "document " + doc.issuing_state + " " + doc.number + " is enrolled for profile " +
                 holders.front().ToString() + ", whose biometrics do not match";
      IDREG_RETURN_IF_ERROR(store.RecordAudit(actor, "dedup.possible_fraud", holders.front().ToString(),
                                              "reason=document_reuse"));
      return r;
    }
  }
  enrollment.biometrics = samples.records;
  IDREG_ASSIGN_OR_RETURN(r.profile, store.Enroll(enrollment, actor));
  r.outcome = DedupOutcome::kNew;
  r.committed = true;
  IDREG_RETURN_IF_ERROR(engine.Add(r.profile, samples.records).WithContext("the profile was stored"));
  return r;
}

}  // namespace idreg
