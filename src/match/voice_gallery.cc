#include "idreg/match/voice_gallery.h"

#include <algorithm>
#include <mutex>

#include "idreg/core/parallel_for.h"
#include "match/top_k.h"

namespace idreg::match {

Status VoiceSampleGallery::Add(std::span<const SampleKey> keys, std::vector<voice::VoiceTemplate> templates) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("voice gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " templates");
  }
  std::unique_lock lock(mu_);
  std::string model = model_id_;
  std::unordered_set<Id, IdHash> batch;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].sample.empty()) return Status::InvalidArgument("voice gallery: a sample needs an id");
    if (sample_ids_.count(keys[i].sample) || !batch.insert(keys[i].sample).second) {
      return Status::InvalidArgument("voice gallery: sample " + keys[i].sample.ToString() + " is already in the gallery");
    }
    const auto& t = templates[i];
    if (t.embedding.empty()) return Status::InvalidArgument("voice gallery: an empty template");
    if (model.empty()) model = t.model_id;
    if (t.model_id != model) {
      return Status::InvalidArgument("voice gallery: template " + keys[i].sample.ToString() + " was made by voice model " +
                                     t.model_id + ", the gallery holds model " + model);
    }
    if (!templates_.empty() && t.embedding.size() != templates_.front().embedding.size()) {
      return Status::InvalidArgument("voice gallery: template " + keys[i].sample.ToString() + " has " +
                                     std::to_string(t.embedding.size()) + " dimensions, the gallery " +
                                     std::to_string(templates_.front().embedding.size()));
    }
  }
  model_id_ = model;
  for (size_t i = 0; i < keys.size(); ++i) {
    by_profile_[keys[i].profile].push_back(static_cast<uint32_t>(keys_.size()));
    sample_ids_.insert(keys[i].sample);
    keys_.push_back(keys[i]);
    templates_.push_back(std::move(templates[i]));
  }
  return Status::Ok();
}

Status VoiceSampleGallery::Remove(std::span<const ProfileId> profiles) {
  std::unique_lock lock(mu_);
  for (const ProfileId& p : profiles) {
    if (!by_profile_.count(p)) return Status::NotFound("voice gallery: profile " + p.ToString() + " has no voice");
  }
  for (const ProfileId& p : profiles) {
    auto it = by_profile_.find(p);
    if (it == by_profile_.end()) continue;
    std::vector<uint32_t> rows = std::move(it->second);
    by_profile_.erase(it);
    std::sort(rows.rbegin(), rows.rend());  // highest first: the last row fills each hole
    for (uint32_t row : rows) {
      sample_ids_.erase(keys_[row].sample);
      const size_t last = keys_.size() - 1;
      if (row != last) {
        keys_[row] = std::move(keys_[last]);
        templates_[row] = std::move(templates_[last]);
        auto& owner = by_profile_[keys_[row].profile];
        std::replace(owner.begin(), owner.end(), static_cast<uint32_t>(last), row);
      }
      keys_.pop_back();
      templates_.pop_back();
    }
  }
  if (keys_.empty()) model_id_.clear();
  return Status::Ok();
}

bool VoiceSampleGallery::Comparable(const voice::VoiceTemplate& probe) const {
  return !templates_.empty() && probe.model_id == model_id_ &&
         probe.embedding.size() == templates_.front().embedding.size();
}

CandidateLists VoiceSampleGallery::Search(std::span<const voice::VoiceTemplate> probes, size_t k,
                                          const Selector& selector) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  std::vector<uint32_t> subset;
  const bool all = selector.everyone();
  if (!all) {
    for (const ProfileId& p : *selector.ids()) {
      if (auto it = by_profile_.find(p); it != by_profile_.end()) subset.insert(subset.end(), it->second.begin(), it->second.end());
    }
  }
  const size_t n = all ? templates_.size() : subset.size();
  for (size_t p = 0; p < probes.size(); ++p) {
    if (!Comparable(probes[p]) || n == 0) continue;
    std::vector<ScoredIndex> scored(n);
    constexpr size_t kBlock = 256;
    ParallelFor((n + kBlock - 1) / kBlock, [&](size_t b) {
      for (size_t j = b * kBlock; j < std::min(n, (b + 1) * kBlock); ++j) {
        const uint32_t row = all ? static_cast<uint32_t>(j) : subset[j];
        scored[j] = {voice::SNormScore(probes[p], templates_[row]), row};
      }
    });
    for (const ScoredIndex& s : TopKDistinct(std::move(scored), k, [&](uint32_t row) { return keys_[row].profile; })) {
      const SampleKey& key = keys_[s.index];
      out[p].push_back({key.profile, key.sample, key.position, s.score});
    }
  }
  return out;
}

CandidateLists VoiceSampleGallery::Score(std::span<const voice::VoiceTemplate> probes,
                                         std::span<const ProfileId> profiles) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    if (!Comparable(probes[p])) continue;
    for (const ProfileId& id : profiles) {
      auto it = by_profile_.find(id);
      if (it == by_profile_.end()) continue;
      double best = 0;
      uint32_t best_row = 0;
      bool any = false;
      for (uint32_t row : it->second) {
        const double s = voice::SNormScore(probes[p], templates_[row]);
        if (!any || s > best) best = s, best_row = row, any = true;
      }
      const SampleKey& key = keys_[best_row];
      out[p].push_back({key.profile, key.sample, key.position, best});
    }
  }
  return out;
}

size_t VoiceSampleGallery::samples() const {
  std::shared_lock lock(mu_);
  return keys_.size();
}

size_t VoiceSampleGallery::profiles() const {
  std::shared_lock lock(mu_);
  return by_profile_.size();
}

size_t VoiceSampleGallery::MemoryBytes() const {
  std::shared_lock lock(mu_);
  size_t bytes = 0;
  for (const auto& t : templates_) bytes += sizeof(t) + t.embedding.capacity() * sizeof(float) + t.model_id.capacity();
  return bytes + keys_.size() * (sizeof(SampleKey) + sizeof(uint32_t)) +
         by_profile_.size() * (sizeof(ProfileId) + sizeof(std::vector<uint32_t>) + 16) + sample_ids_.size() * (sizeof(Id) + 16);
}

std::string VoiceSampleGallery::model_id() const {
  std::shared_lock lock(mu_);
  return model_id_;
}

}  // namespace idreg::match
