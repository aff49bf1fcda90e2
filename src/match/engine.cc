#include "idreg/match/engine.h"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <ostream>

#include "idreg/match/records.h"

namespace idreg::match {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The candidates of every list, once each.
std::vector<ProfileId> Union(const std::vector<const CandidateLists*>& lists) {
  std::unordered_set<ProfileId, IdHash> seen;
  std::vector<ProfileId> out;
  for (const CandidateLists* l : lists) {
    for (const auto& per_probe : *l) {
      for (const Candidate& c : per_probe) {
        if (seen.insert(c.profile).second) out.push_back(c.profile);
      }
    }
  }
  return out;
}

void Append(CandidateLists& to, CandidateLists from) {
  for (size_t p = 0; p < to.size() && p < from.size(); ++p) {
    to[p].insert(to[p].end(), std::make_move_iterator(from[p].begin()), std::make_move_iterator(from[p].end()));
  }
}

std::vector<std::string> FingerLabels(const ProbeSet& probes) {
  std::vector<std::string> labels;
  for (size_t i = 0; i < probes.fingers.size(); ++i) {
    labels.push_back(probes.fingers[i].position.empty() ? "finger#" + std::to_string(i + 1) : probes.fingers[i].position);
  }
  return labels;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  finger_ = std::make_unique<FingerGallery>(options_.finger);
  if (options_.dna_frequencies) {
    dna_ = std::make_unique<DnaSampleGallery>(DnaGalleryOptions{options_.dna_search, options_.dna_frequencies});
    if (!options_.calibrations.count("dna")) options_.calibrations["dna"] = Log10LrCalibration("dna");
  }
}

Result<std::unique_ptr<Engine>> Engine::Build(Store& store, const Actor& actor, EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine(std::move(options)));
  std::vector<std::string> modalities{"finger"};
  if (engine->dna_) modalities.push_back("dna");
  for (const std::string& modality : modalities) {
    const auto start = Clock::now();
    std::vector<std::pair<ProfileId, BiometricRecord>> batch;
    size_t count = 0;
    Status failed;
    auto flush = [&]() -> Status {
      Status s = engine->AddRecords(batch);
      batch.clear();
      return s;
    };
    IDREG_RETURN_IF_ERROR(store.ForEachBiometric(modality, actor, [&](const ProfileId& id, const BiometricRecord& r) {
      batch.emplace_back(id, r);
      ++count;
      if (batch.size() == 1024) {
        failed = flush();
        if (engine->options_.progress) {
          std::fprintf(stderr, "\rloading %s gallery: %zu samples, %.0f/s   ", modality.c_str(), count,
                       static_cast<double>(count) / std::max(1e-9, Since(start)));
        }
      }
      return failed.ok();
    }));
    IDREG_RETURN_IF_ERROR(failed);
    IDREG_RETURN_IF_ERROR(flush());
    const double seconds = Since(start);
    engine->load_seconds_[modality] = seconds;
    if (engine->options_.progress && count >= 1024) std::fprintf(stderr, "\n");
    if (engine->options_.log) {
      char line[200];
      std::snprintf(line, sizeof line, "%s gallery: %zu samples loaded in %.2f s (%.0f samples/s)\n", modality.c_str(),
                    count, seconds, static_cast<double>(count) / std::max(1e-9, seconds));
      *engine->options_.log << line;
    }
  }
  return engine;
}

Status Engine::AddRecords(const std::vector<std::pair<ProfileId, BiometricRecord>>& records) {
  std::vector<SampleKey> finger_keys, dna_keys;
  std::vector<finger::FingerTemplate> fingers;
  std::vector<dna::StrProfile> profiles;
  for (const auto& [id, r] : records) {
    if (r.modality == "finger") {
      IDREG_ASSIGN_OR_RETURN(auto t, FingerTemplateOf(r));
      finger_keys.push_back({id, r.id, r.position});
      fingers.push_back(std::move(t));
    } else if (r.modality == "dna" && dna_) {
      IDREG_ASSIGN_OR_RETURN(auto p, DnaProfileOf(r));
      dna_keys.push_back({id, r.id, r.position});
      profiles.push_back(std::move(p));
    }
  }
  if (!fingers.empty()) IDREG_RETURN_IF_ERROR(finger_->Add(finger_keys, std::move(fingers)));
  if (!profiles.empty()) IDREG_RETURN_IF_ERROR(dna_->Add(dna_keys, std::move(profiles)));
  std::unique_lock lock(mu_);
  for (const auto& k : finger_keys) persons_.insert(k.profile);
  for (const auto& k : dna_keys) persons_.insert(k.profile);
  return Status::Ok();
}

Status Engine::Add(const ProfileId& id, const std::vector<BiometricRecord>& records) {
  std::vector<std::pair<ProfileId, BiometricRecord>> batch;
  for (const auto& r : records) batch.emplace_back(id, r);
  return AddRecords(batch);
}

Status Engine::Remove(const ProfileId& id) {
  {
    std::shared_lock lock(mu_);
    if (!persons_.count(id)) return Status::NotFound("the identification engine holds no sample of profile " + id.ToString());
  }
  const ProfileId ids[] = {id};
  // A profile need not have every modality: NotFound from one gallery is expected.
  Status f = finger_->Remove(ids);
  if (!f.ok() && f.code() != StatusCode::kNotFound) return f;
  if (dna_) {
    Status d = dna_->Remove(ids);
    if (!d.ok() && d.code() != StatusCode::kNotFound) return d;
  }
  std::unique_lock lock(mu_);
  persons_.erase(id);
  return Status::Ok();
}

size_t Engine::persons() const {
  std::shared_lock lock(mu_);
  return persons_.size();
}

std::vector<GalleryStats> Engine::Stats() const {
  std::vector<GalleryStats> out;
  auto load = [&](const std::string& m) {
    auto it = load_seconds_.find(m);
    return it == load_seconds_.end() ? 0.0 : it->second;
  };
  out.push_back({"finger", finger_->samples(), finger_->profiles(), finger_->MemoryBytes(), load("finger")});
  if (dna_) out.push_back({"dna", dna_->samples(), dna_->profiles(), dna_->MemoryBytes(), load("dna")});
  return out;
}

Result<IdentifyResult> Engine::Identify(const ProbeSet& probes, const Selector& selector) const {
  if (probes.empty()) return Status::InvalidArgument("identify: no usable sample to search with");
  if (!probes.dna.empty() && !dna_) {
    return Status::InvalidArgument("identify: a DNA sample was given but no allele frequency table is configured");
  }
  if (!probes.fingers.empty() && !options_.calibrations.count("finger")) {
    return Status::InvalidArgument("identify: no finger calibration is configured");
  }
  IdentifyResult result;
  const size_t k = options_.policy.top_k;
  // Pass 1: each modality's own top-k.
  CandidateLists finger_lists, dna_lists;
  auto t = Clock::now();
  if (!probes.fingers.empty()) finger_lists = finger_->Search(probes.fingers, k, selector);
  result.seconds["finger"] = probes.fingers.empty() ? 0 : Since(t);
  t = Clock::now();
  if (!probes.dna.empty()) dna_lists = dna_->Search(probes.dna, k, selector);
  if (!probes.dna.empty()) result.seconds["dna"] = Since(t);
  // Pass 2: the scores of every candidate in every modality, so that no candidate is judged on
  // one modality just because it missed another's top-k.
  const std::vector<ProfileId> all = Union({&finger_lists, &dna_lists});
  std::vector<ModalityScores> scores;
  if (!probes.fingers.empty()) {
    t = Clock::now();
    Append(finger_lists, finger_->Score(probes.fingers, all));
    result.seconds["finger"] += Since(t);
    scores.push_back({"finger", FingerLabels(probes), std::move(finger_lists)});
  }
  if (!probes.dna.empty()) {
    t = Clock::now();
    Append(dna_lists, dna_->Score(probes.dna, all));
    result.seconds["dna"] += Since(t);
    scores.push_back({"dna", std::vector<std::string>(probes.dna.size(), "profile"), std::move(dna_lists)});
  }
  t = Clock::now();
  IDREG_ASSIGN_OR_RETURN(result.ranked, Fuse(scores, options_.calibrations, options_.policy.fusion));
  size_t searched = 0;
  {
    std::shared_lock lock(mu_);
    if (selector.everyone()) {
      searched = persons_.size();
    } else {
      for (const ProfileId& id : *selector.ids()) searched += persons_.count(id);
    }
  }
  result.decision = Decide(options_.policy, searched, result.ranked);
  result.fusion_seconds = Since(t);
  return result;
}

Result<FusedCandidate> Engine::Verify(const ProfileId& id, const ProbeSet& probes) const {
  if (probes.empty()) return Status::InvalidArgument("verify: no usable sample to compare");
  if (!probes.dna.empty() && !dna_) {
    return Status::InvalidArgument("verify: a DNA sample was given but no allele frequency table is configured");
  }
  const ProfileId ids[] = {id};
  std::vector<ModalityScores> scores;
  if (!probes.fingers.empty()) scores.push_back({"finger", FingerLabels(probes), finger_->Score(probes.fingers, ids)});
  if (!probes.dna.empty()) {
    scores.push_back({"dna", std::vector<std::string>(probes.dna.size(), "profile"), dna_->Score(probes.dna, ids)});
  }
  IDREG_ASSIGN_OR_RETURN(auto fused, Fuse(scores, options_.calibrations, options_.policy.fusion));
  if (fused.empty()) {
    return Status::NotFound("profile " + id.ToString() + " has no sample comparable with the ones given");
  }
  return fused.front();
}

}  // namespace idreg::match
