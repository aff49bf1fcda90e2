#include "idreg/match/decision.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace idreg::match {

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kNew: return "new";
    case Outcome::kMatch: return "match";
    case Outcome::kReview: return "review";
  }
  return "?";
}

Result<DecisionPolicy> ParsePolicyJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("decision policy: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("decision policy: expected a JSON object");
  auto format = j.find("format");
  if (format == j.end() || !format->is_string() || format->get<std::string>() != kPolicyFormat) {
    return Status::InvalidArgument("decision policy: field 'format' must be \"" + std::string(kPolicyFormat) + "\"");
  }
  DecisionPolicy p;
  for (auto& [key, value] : j.items()) {
    if (key == "format") continue;
    if (key == "target_fpir" || key == "review_fpir") {
      if (!value.is_number()) return Status::InvalidArgument("decision policy: field '" + key + "' must be a number");
      const double v = value.get<double>();
      if (!(v > 0 && v < 1)) return Status::InvalidArgument("decision policy: field '" + key + "' must be in (0, 1)");
      (key == "target_fpir" ? p.target_fpir : p.review_fpir) = v;
    } else if (key == "top_k") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 10000) {
        return Status::InvalidArgument("decision policy: field 'top_k' must be an integer in 1..10000");
      }
      p.top_k = static_cast<size_t>(value.get<int64_t>());
    } else if (key == "modality_cap") {
      if (!value.is_object()) return Status::InvalidArgument("decision policy: field 'modality_cap' must be an object");
      for (auto& [m, cap] : value.items()) {
        if (!cap.is_number() || !(cap.get<double>() > 0) || !std::isfinite(cap.get<double>())) {
          return Status::InvalidArgument("decision policy: modality_cap." + m + " must be a positive number");
        }
        p.fusion.modality_cap[m] = cap.get<double>();
      }
    } else {
      return Status::InvalidArgument("decision policy: unknown field '" + key + "'");
    }
  }
  if (!(p.review_fpir > p.target_fpir)) {
    return Status::InvalidArgument("decision policy: review_fpir must be above target_fpir");
  }
  return p;
}

std::string PolicyToJson(const DecisionPolicy& policy) {
  nlohmann::json j{{"format", kPolicyFormat},
                   {"target_fpir", policy.target_fpir},
                   {"review_fpir", policy.review_fpir},
                   {"top_k", policy.top_k}};
  if (!policy.fusion.modality_cap.empty()) j["modality_cap"] = policy.fusion.modality_cap;
  return j.dump(2) + "\n";
}

Thresholds ThresholdsFor(const DecisionPolicy& policy, size_t persons_searched) {
  const double n = static_cast<double>(std::max<size_t>(1, persons_searched));
  return {std::log(n / policy.target_fpir), std::log(n / policy.review_fpir)};
}

Decision Decide(const DecisionPolicy& policy, size_t persons_searched, std::vector<FusedCandidate> fused) {
  Decision d;
  d.persons_searched = persons_searched;
  d.thresholds = ThresholdsFor(policy, persons_searched);
  std::sort(fused.begin(), fused.end(), [](const FusedCandidate& a, const FusedCandidate& b) {
    return a.llr != b.llr ? a.llr > b.llr : a.profile < b.profile;
  });
  size_t above_match = 0, above_review = 0;
  for (const FusedCandidate& c : fused) {
    above_match += c.llr >= d.thresholds.match;
    above_review += c.llr >= d.thresholds.review;
  }
  fused.resize(above_review);
  if (above_review == 0) {
    d.outcome = Outcome::kNew;
  } else if (above_match == 1) {
    d.outcome = Outcome::kMatch;
    fused.resize(1);
  } else {
    d.outcome = Outcome::kReview;
  }
  d.candidates = std::move(fused);
  return d;
}

}  // namespace idreg::match
