#include "idreg/match/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace idreg::match {

Result<std::vector<FusedCandidate>> Fuse(const std::vector<ModalityScores>& scores,
                                         const std::map<std::string, Calibration>& calibrations,
                                         const FusionOptions& options) {
  std::unordered_map<ProfileId, FusedCandidate, IdHash> by_profile;
  std::vector<ProfileId> order;  // first-seen order, for a stable result before sorting
  for (const ModalityScores& m : scores) {
    auto cal = calibrations.find(m.modality);
    if (cal == calibrations.end()) return Status::InvalidArgument("fusion: no calibration for modality " + m.modality);
    if (m.lists.size() != m.probes.size()) return Status::InvalidArgument("fusion: probe labels and lists differ");
    for (size_t p = 0; p < m.lists.size(); ++p) {
      // A probe meets each profile once: keep its best sample (Search and Score may both list it).
      std::unordered_map<ProfileId, const Candidate*, IdHash> best;
      for (const Candidate& c : m.lists[p]) {
        auto [it, fresh] = best.try_emplace(c.profile, &c);
        if (!fresh && c.score > it->second->score) it->second = &c;
      }
      for (const Candidate& c : m.lists[p]) {
        if (best[c.profile] != &c) continue;
        auto [it, fresh] = by_profile.try_emplace(c.profile);
        if (fresh) {
          it->second.profile = c.profile;
          order.push_back(c.profile);
        }
        it->second.parts.push_back({m.modality, m.probes[p], c.sample, c.position, c.score, cal->second.Llr(c.score)});
      }
    }
  }
  std::vector<FusedCandidate> out;
  out.reserve(order.size());
  for (const ProfileId& id : order) {
    FusedCandidate& f = by_profile[id];
    for (const ScorePart& part : f.parts) f.modality_llr[part.modality] += part.llr;
    f.llr = 0;
    for (auto& [modality, llr] : f.modality_llr) {
      auto capped = options.modality_cap.find(modality);
      const double cap = capped != options.modality_cap.end() ? capped->second
                                                              : 2 * calibrations.at(modality).llr_max;
      llr = std::clamp(llr, -cap, cap);
      f.llr += llr;
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const FusedCandidate& a, const FusedCandidate& b) {
    return a.llr != b.llr ? a.llr > b.llr : a.profile < b.profile;
  });
  return out;
}

}  // namespace idreg::match
