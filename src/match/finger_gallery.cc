// The engine's fingerprint gallery over the two-stage finger::FingerGallery (finger_gallery.h).
// Deletion leaves tombstones in the finger gallery's live bitmap (O(1), indices stay valid for
// by_profile_) and compacts once a quarter of the slots are dead, so removal is amortised O(1) and
// the coarse scan never walks more than 4/3 of the live templates.
#include "idreg/match/finger_gallery.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "match/top_k.h"

namespace idreg::match {

FingerGallery::FingerGallery(FingerGalleryOptions options) : options_(options) {}

unsigned FingerGallery::Threads() const {
  return options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
}

Result<uint8_t> FingerGallery::PositionCode(const std::string& position) {
  for (size_t i = 0; i < positions_.size(); ++i) {
    if (positions_[i] == position) return static_cast<uint8_t>(i);
  }
  if (positions_.size() == 256) {
    return Status::InvalidArgument("finger gallery: more than 255 distinct finger positions (at \"" + position + "\")");
  }
  positions_.push_back(position);
  live_per_position_.push_back(0);
  return static_cast<uint8_t>(positions_.size() - 1);
}

int FingerGallery::ProbePosition(const std::string& position) const {
  if (position.empty()) return -1;
  for (size_t i = 1; i < positions_.size(); ++i) {
    if (positions_[i] == position) return static_cast<int>(i);
  }
  return -2;
}

Status FingerGallery::CheckNew(std::span<const SampleKey> keys) const {
  std::unordered_set<Id, IdHash> batch;
  for (const SampleKey& k : keys) {
    if (k.sample.empty()) return Status::InvalidArgument("finger gallery: a sample needs an id");
    if (sample_ids_.count(k.sample) || !batch.insert(k.sample).second) {
      return Status::InvalidArgument("finger gallery: sample " + k.sample.ToString() + " is already in the gallery");
    }
  }
  // Positions: all new ones must fit the 255 codes.
  std::unordered_set<std::string> fresh;
  for (const SampleKey& k : keys) {
    if (std::find(positions_.begin(), positions_.end(), k.position) == positions_.end()) fresh.insert(k.position);
  }
  if (positions_.size() + fresh.size() > 256) {
    return Status::InvalidArgument("finger gallery: more than 255 distinct finger positions");
  }
  return Status::Ok();
}

Status FingerGallery::Add(std::span<const SampleKey> keys, std::vector<finger::FingerTemplate> templates) {
  return Add(keys, std::move(templates), {});
}

Status FingerGallery::Add(std::span<const SampleKey> keys, std::vector<finger::FingerTemplate> templates,
                          std::vector<std::optional<finger::CoarseTemplate>> coarse) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("finger gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " templates");
  }
  if (!coarse.empty() && coarse.size() != templates.size()) {
    return Status::InvalidArgument("finger gallery: " + std::to_string(coarse.size()) + " coarse forms for " +
                                   std::to_string(templates.size()) + " templates");
  }
  {
    std::shared_lock lock(mu_);
    IDREG_RETURN_IF_ERROR(CheckNew(keys));
  }
  // Cylinders and coarse codes, built outside the lock in contiguous slices on every core and
  // joined in order (finger::FingerGallery::Add is not thread-safe).
  const size_t n = templates.size();
  const unsigned threads = static_cast<unsigned>(std::clamp<size_t>(n / 8, 1, Threads()));
  bool keep;
  {
    std::shared_lock lock(mu_);
    keep = !prebuilt_dropped_ && gallery_.size() + n <= options_.prebuilt_limit;
  }
  std::vector<finger::FingerGallery> parts(threads);
  std::vector<std::shared_ptr<const finger::SearchTemplate>> prebuilt(keep ? n : 0);
  std::vector<std::thread> pool;
  auto build = [&](unsigned t) {
    for (size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) {
      const uint32_t local = !coarse.empty() && coarse[i] ? parts[t].Add(templates[i], *coarse[i], 0)
                                                          : parts[t].Add(templates[i]);
      if (keep) prebuilt[i] = std::make_shared<const finger::SearchTemplate>(parts[t].Template(local));
    }
  };
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(build, t);
  build(0);
  for (auto& th : pool) th.join();
  for (unsigned t = 1; t < threads; ++t) parts[0].Append(parts[t]);
  if (keys.size() != parts[0].size()) return Status::Internal("finger gallery: template count changed while building");
  std::unique_lock lock(mu_);
  IDREG_RETURN_IF_ERROR(CheckNew(keys));  // again: another Add may have run since
  return Insert(keys, parts[0], std::move(prebuilt));
}

Status FingerGallery::AddGallery(std::span<const SampleKey> keys, const finger::FingerGallery& templates) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("finger gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " templates");
  }
  if (templates.removed() > 0) return Status::InvalidArgument("finger gallery: the templates to add hold removed ones");
  std::unique_lock lock(mu_);
  IDREG_RETURN_IF_ERROR(CheckNew(keys));
  return Insert(keys, templates, {});
}

Status FingerGallery::Insert(std::span<const SampleKey> keys, const finger::FingerGallery& templates,
                             std::vector<std::shared_ptr<const finger::SearchTemplate>> prebuilt) {
  const uint32_t first = static_cast<uint32_t>(gallery_.size());
  gallery_.Append(templates);
  // Prebuilt search forms: kept only while every finger has one and the limit holds.
  if (!prebuilt_dropped_ && prebuilt.size() == keys.size() && gallery_.size() <= options_.prebuilt_limit) {
    prebuilt_.insert(prebuilt_.end(), std::make_move_iterator(prebuilt.begin()), std::make_move_iterator(prebuilt.end()));
  } else if (!prebuilt_dropped_) {
    prebuilt_dropped_ = true;
    prebuilt_ = {};
  }
  entries_.reserve(entries_.size() + keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    IDREG_ASSIGN_OR_RETURN(const uint8_t code, PositionCode(keys[i].position));  // CheckNew made room
    const uint32_t index = first + static_cast<uint32_t>(i);
    gallery_.SetTag(index, code);
    ++live_per_position_[code];
    by_profile_[keys[i].profile].push_back(index);
    sample_ids_.insert(keys[i].sample);
    entries_.push_back(Entry{keys[i].profile, keys[i].sample});
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
    for (uint32_t i : it->second) {
      sample_ids_.erase(entries_[i].sample);
      --live_per_position_[gallery_.tag(i)];
      gallery_.Remove(i);
    }
    by_profile_.erase(it);
  }
  if (gallery_.removed() * 4 > gallery_.size()) {
    const std::vector<uint32_t> moved = gallery_.Compact();
    std::vector<Entry> kept;
    kept.reserve(gallery_.size());
    for (size_t i = 0; i < moved.size(); ++i) {
      if (moved[i] != finger::FingerGallery::kRemoved) kept.push_back(std::move(entries_[i]));
    }
    entries_ = std::move(kept);
    if (!prebuilt_.empty()) {
      std::vector<std::shared_ptr<const finger::SearchTemplate>> still;
      for (size_t i = 0; i < moved.size(); ++i) {
        if (moved[i] != finger::FingerGallery::kRemoved) still.push_back(std::move(prebuilt_[i]));
      }
      prebuilt_ = std::move(still);
    }
    for (auto& [profile, indices] : by_profile_) {
      for (uint32_t& i : indices) i = moved[i];
    }
  }
  return Status::Ok();
}

std::vector<std::pair<uint32_t, float>> FingerGallery::SearchOne(const finger::FingerProbe& probe, int want,
                                                                 size_t shortlist, const Selector& selector) const {
  finger::FingerGallery::Filter filter;
  if (want == -2) filter.OnlyTags({0});
  if (want >= 0) filter.OnlyTags({0, static_cast<uint8_t>(want)});
  auto admitted = [&](uint32_t i) { return gallery_.alive(i) && filter.AdmitsTag(gallery_.tag(i)); };
  std::vector<uint32_t> list;
  std::vector<uint64_t> subset;
  bool coarse = false;
  if (!selector.everyone()) {
    // The selected fingers, found through by_profile_ (O(selected), no scan of the gallery).
    for (const ProfileId& p : *selector.ids()) {
      if (auto it = by_profile_.find(p); it != by_profile_.end()) {
        for (uint32_t i : it->second) {
          if (admitted(i)) list.push_back(i);
        }
      }
    }
    if (shortlist != 0 && list.size() > shortlist) {
      subset.assign((gallery_.size() + 63) / 64, 0);
      for (uint32_t i : list) subset[i / 64] |= uint64_t{1} << (i % 64);
      filter.subset = &subset;
      list.clear();
      coarse = true;
    }
  } else {
    size_t eligible = 0;
    for (size_t c = 0; c < live_per_position_.size(); ++c) {
      if (filter.AdmitsTag(static_cast<uint8_t>(c))) eligible += live_per_position_[c];
    }
    if (shortlist == 0 || eligible <= shortlist) {
      for (uint32_t i = 0; i < gallery_.size() && list.size() < eligible; ++i) {
        if (admitted(i)) list.push_back(i);
      }
    } else {
      coarse = true;
    }
  }
  if (coarse) {
    list = gallery_.CoarseShortlist(finger::MakeCoarseTemplate(probe.search()), shortlist, Threads(), filter);
  }
  const std::vector<float> scores = FineMatch(probe, list);
  std::vector<std::pair<uint32_t, float>> out(list.size());
  for (size_t i = 0; i < list.size(); ++i) out[i] = {list[i], scores[i]};
  return out;
}

std::vector<float> FingerGallery::FineMatch(const finger::FingerProbe& probe, std::span<const uint32_t> indices) const {
  if (prebuilt_.empty()) return gallery_.MatchIndices(probe, indices, Threads());
  std::vector<float> scores(indices.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(16)) < indices.size();) {
      for (size_t j = i; j < std::min(indices.size(), i + 16); ++j) scores[j] = probe.Match(*prebuilt_[indices[j]]);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(Threads(), indices.size() / 16 + 1); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return scores;
}

CandidateLists FingerGallery::Search(std::span<const FingerProbeSample> probes, size_t k,
                                     const Selector& selector) const {
  std::shared_lock lock(mu_);
  const size_t shortlist = options_.shortlist == 0 ? 0 : std::max(options_.shortlist, 2 * k);
  CandidateLists out(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    const finger::FingerProbe prepared(probes[p].tmpl);
    std::vector<ScoredIndex> scored;
    for (const auto& [index, score] : SearchOne(prepared, ProbePosition(probes[p].position), shortlist, selector)) {
      scored.push_back({score, index});
    }
    for (const ScoredIndex& s :
         TopKDistinct(std::move(scored), k, [&](uint32_t i) -> const ProfileId& { return entries_[i].profile; })) {
      const Entry& e = entries_[s.index];
      out[p].push_back({e.profile, e.sample, positions_[gallery_.tag(s.index)], s.score});
    }
  }
  return out;
}

CandidateLists FingerGallery::Score(std::span<const FingerProbeSample> probes,
                                    std::span<const ProfileId> profiles) const {
  std::shared_lock lock(mu_);
  std::vector<finger::FingerProbe> prepared;
  std::vector<int> wanted;
  for (const auto& p : probes) {
    prepared.emplace_back(p.tmpl);
    wanted.push_back(ProbePosition(p.position));
  }
  auto comparable = [&](size_t p, uint32_t i) {
    const int want = wanted[p];
    return want == -1 || gallery_.tag(i) == 0 || gallery_.tag(i) == want;
  };
  // Each listed finger's cylinders are rebuilt once and matched with every probe, on every core.
  std::vector<uint32_t> indices;
  std::unordered_set<ProfileId, IdHash> listed;
  for (const ProfileId& id : profiles) {
    if (!listed.insert(id).second) continue;
    if (auto it = by_profile_.find(id); it != by_profile_.end()) indices.insert(indices.end(), it->second.begin(), it->second.end());
  }
  std::vector<float> scores(indices.size() * probes.size(), -1.f);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t j; (j = next.fetch_add(1)) < indices.size();) {
      std::shared_ptr<const finger::SearchTemplate> candidate =
          prebuilt_.empty() ? std::make_shared<const finger::SearchTemplate>(gallery_.Template(indices[j]))
                            : prebuilt_[indices[j]];
      for (size_t p = 0; p < probes.size(); ++p) {
        if (comparable(p, indices[j])) scores[j * probes.size() + p] = prepared[p].Match(*candidate);
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(Threads(), indices.size()); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  CandidateLists out(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    // indices hold each listed profile's fingers contiguously, in profile order.
    for (size_t j = 0; j < indices.size();) {
      const ProfileId& profile = entries_[indices[j]].profile;
      Candidate best;
      bool any = false;
      for (; j < indices.size() && entries_[indices[j]].profile == profile; ++j) {
        const float s = scores[j * probes.size() + p];
        if (s < 0) continue;
        if (!any || s > best.score) {
          best = {profile, entries_[indices[j]].sample, positions_[gallery_.tag(indices[j])], s};
        }
        any = true;
      }
      if (any) out[p].push_back(best);
    }
  }
  return out;
}

size_t FingerGallery::samples() const {
  std::shared_lock lock(mu_);
  return gallery_.size() - gallery_.removed();
}

size_t FingerGallery::profiles() const {
  std::shared_lock lock(mu_);
  return by_profile_.size();
}

size_t FingerGallery::MemoryBytes() const {
  std::shared_lock lock(mu_);
  size_t bytes = gallery_.MemoryBytes() + entries_.capacity() * sizeof(Entry);
  bytes += prebuilt_.capacity() * sizeof(prebuilt_[0]);
  for (const auto& p : prebuilt_) bytes += p->MemoryBytes() + 32;  // + the shared block
  // Hash tables: a node per profile and per sample plus the bucket arrays, and the index vectors.
  for (const auto& [profile, indices] : by_profile_) bytes += indices.capacity() * sizeof(uint32_t);
  bytes += by_profile_.size() * (sizeof(ProfileId) + sizeof(std::vector<uint32_t>) + 2 * sizeof(void*) + 8);
  bytes += by_profile_.bucket_count() * sizeof(void*);
  bytes += sample_ids_.size() * (sizeof(Id) + 2 * sizeof(void*)) + sample_ids_.bucket_count() * sizeof(void*);
  return bytes;
}

}  // namespace idreg::match
