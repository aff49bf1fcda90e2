#include "idreg/match/finger_gallery.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "match/top_k.h"

namespace idreg::match {

FingerGallery::FingerGallery(FingerGalleryOptions options) : options_(options) {}

uint16_t FingerGallery::PositionCode(const std::string& position) {
  for (size_t i = 0; i < positions_.size(); ++i) {
    if (positions_[i] == position) return static_cast<uint16_t>(i);
  }
  positions_.push_back(position);
  return static_cast<uint16_t>(positions_.size() - 1);
}

int FingerGallery::ProbePosition(const std::string& position) const {
  if (position.empty()) return -1;
  for (size_t i = 1; i < positions_.size(); ++i) {
    if (positions_[i] == position) return static_cast<int>(i);
  }
  return -2;
}

Status FingerGallery::Add(std::span<const SampleKey> keys, std::vector<finger::FingerTemplate> templates) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("finger gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " templates");
  }
  std::vector<finger::SearchTemplate> search;
  search.reserve(templates.size());
  for (const auto& t : templates) search.emplace_back(t);
  return AddSearchTemplates(keys, std::move(search));
}

Status FingerGallery::AddSearchTemplates(std::span<const SampleKey> keys, std::vector<finger::SearchTemplate> templates) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("finger gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " templates");
  }
  std::unique_lock lock(mu_);
  std::unordered_set<Id, IdHash> batch;
  for (const SampleKey& k : keys) {
    if (k.sample.empty()) return Status::InvalidArgument("finger gallery: a sample needs an id");
    if (sample_ids_.count(k.sample) || !batch.insert(k.sample).second) {
      return Status::InvalidArgument("finger gallery: sample " + k.sample.ToString() + " is already in the gallery");
    }
  }
  entries_.reserve(entries_.size() + keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    by_profile_[keys[i].profile].push_back(static_cast<uint32_t>(entries_.size()));
    sample_ids_.insert(keys[i].sample);
    entries_.push_back(Entry{keys[i].profile, keys[i].sample, PositionCode(keys[i].position), std::move(templates[i])});
  }
  return Status::Ok();
}

Status FingerGallery::Remove(std::span<const ProfileId> profiles) {
  std::unique_lock lock(mu_);
  for (const ProfileId& p : profiles) {
    if (!by_profile_.count(p)) return Status::NotFound("finger gallery: profile " + p.ToString() + " has no finger");
  }
  for (const ProfileId& p : profiles) {
    auto it = by_profile_.find(p);
    if (it == by_profile_.end()) continue;  // listed twice
    std::vector<uint32_t> doomed = std::move(it->second);
    by_profile_.erase(it);
    // Highest index first, so that the entry moved into a hole is never one still to remove.
    std::sort(doomed.rbegin(), doomed.rend());
    for (uint32_t i : doomed) {
      sample_ids_.erase(entries_[i].sample);
      const uint32_t last = static_cast<uint32_t>(entries_.size() - 1);
      if (i != last) {
        entries_[i] = std::move(entries_[last]);
        auto& moved = by_profile_[entries_[i].profile];
        std::replace(moved.begin(), moved.end(), last, i);
      }
      entries_.pop_back();
    }
  }
  return Status::Ok();
}

CandidateLists FingerGallery::Search(std::span<const FingerProbeSample> probes, size_t k,
                                     const Selector& selector) const {
  std::shared_lock lock(mu_);
  // The entries to scan: all of them, or those of the selected profiles.
  std::vector<uint32_t> subset;
  const bool all = selector.everyone();
  if (!all) {
    for (const ProfileId& p : *selector.ids()) {
      if (auto it = by_profile_.find(p); it != by_profile_.end()) {
        subset.insert(subset.end(), it->second.begin(), it->second.end());
      }
    }
  }
  const size_t n = all ? entries_.size() : subset.size();
  std::vector<finger::FingerProbe> prepared;
  std::vector<int> wanted;
  prepared.reserve(probes.size());
  for (const auto& p : probes) {
    prepared.emplace_back(p.tmpl);
    wanted.push_back(ProbePosition(p.position));
  }
  // scores[p * n + j]: probe p against the j-th scanned entry; -1 when not comparable.
  std::vector<float> scores(probes.size() * n, -1.f);
  unsigned threads = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n / 64)));
  constexpr size_t kBlock = 64;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t begin; (begin = next.fetch_add(kBlock)) < n;) {
      const size_t end = std::min(n, begin + kBlock);
      for (size_t j = begin; j < end; ++j) {
        const Entry& e = entries_[all ? j : subset[j]];
        for (size_t p = 0; p < prepared.size(); ++p) {
          const int want = wanted[p];
          if (want != -1 && e.position != 0 && e.position != want) continue;
          scores[p * n + j] = prepared[p].Match(e.tmpl);
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  CandidateLists out(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    std::vector<ScoredIndex> scored;
    for (size_t j = 0; j < n; ++j) {
      if (scores[p * n + j] >= 0) scored.push_back({scores[p * n + j], static_cast<uint32_t>(all ? j : subset[j])});
    }
    for (const ScoredIndex& s : TopKDistinct(std::move(scored), k,
                                             [&](uint32_t i) -> const ProfileId& { return entries_[i].profile; })) {
      const Entry& e = entries_[s.index];
      out[p].push_back({e.profile, e.sample, positions_[e.position], s.score});
    }
  }
  return out;
}

CandidateLists FingerGallery::Score(std::span<const FingerProbeSample> probes,
                                    std::span<const ProfileId> profiles) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    const finger::FingerProbe prepared(probes[p].tmpl);
    const int want = ProbePosition(probes[p].position);
    for (const ProfileId& id : profiles) {
      auto it = by_profile_.find(id);
      if (it == by_profile_.end()) continue;
      Candidate best;
      bool any = false;
      for (uint32_t i : it->second) {
        const Entry& e = entries_[i];
        if (want != -1 && e.position != 0 && e.position != want) continue;
        const double s = prepared.Match(e.tmpl);
        if (!any || s > best.score) best = {e.profile, e.sample, positions_[e.position], s};
        any = true;
      }
      if (any) out[p].push_back(best);
    }
  }
  return out;
}

size_t FingerGallery::samples() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

size_t FingerGallery::profiles() const {
  std::shared_lock lock(mu_);
  return by_profile_.size();
}

size_t FingerGallery::MemoryBytes() const {
  std::shared_lock lock(mu_);
  size_t bytes = entries_.capacity() * sizeof(Entry);
  for (const Entry& e : entries_) bytes += e.tmpl.MemoryBytes() - sizeof(finger::SearchTemplate);
  // Hash tables: a node per profile and per sample plus the bucket arrays.
  bytes += by_profile_.size() * (sizeof(ProfileId) + sizeof(std::vector<uint32_t>) + 2 * sizeof(void*) + 8);
  bytes += by_profile_.bucket_count() * sizeof(void*);
  bytes += sample_ids_.size() * (sizeof(Id) + 2 * sizeof(void*)) + sample_ids_.bucket_count() * sizeof(void*);
  return bytes;
}

}  // namespace idreg::match
