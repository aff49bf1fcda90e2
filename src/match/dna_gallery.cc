#include "idreg/match/dna_gallery.h"

#include <bit>
#include <mutex>

#include "match/top_k.h"

namespace idreg::match {

DnaSampleGallery::DnaSampleGallery(DnaGalleryOptions options) : options_(std::move(options)) {}

Status DnaSampleGallery::Add(std::span<const SampleKey> keys, std::vector<dna::StrProfile> templates) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("dna gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " profiles");
  }
  std::unique_lock lock(mu_);
  std::unordered_set<Id, IdHash> batch;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].sample.empty()) return Status::InvalidArgument("dna gallery: a sample needs an id");
    if (sample_ids_.count(keys[i].sample) || !batch.insert(keys[i].sample).second) {
      return Status::InvalidArgument("dna gallery: sample " + keys[i].sample.ToString() + " is already in the gallery");
    }
    if (templates[i].loci.empty()) return Status::InvalidArgument("dna gallery: a profile with no typed locus");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    by_profile_[keys[i].profile].push_back(static_cast<uint32_t>(keys_.size()));
    sample_ids_.insert(keys[i].sample);
    keys_.push_back(keys[i]);
    removed_.push_back(false);
    index_.Add(std::move(templates[i]));
  }
  return Status::Ok();
}

Status DnaSampleGallery::Remove(std::span<const ProfileId> profiles) {
  std::unique_lock lock(mu_);
  for (const ProfileId& p : profiles) {
    if (!by_profile_.count(p)) return Status::NotFound("dna gallery: profile " + p.ToString() + " has no DNA profile");
  }
  for (const ProfileId& p : profiles) {
    auto it = by_profile_.find(p);
    if (it == by_profile_.end()) continue;
    for (uint32_t i : it->second) {
      removed_[i] = true;
      ++removed_count_;
      sample_ids_.erase(keys_[i].sample);
    }
    by_profile_.erase(it);
  }
  // The column index has no delete: rebuild it once a quarter of it is dead, so that a scan never
  // does more than a third more work than it must.
  if (removed_count_ * 4 > keys_.size()) Rebuild();
  return Status::Ok();
}

void DnaSampleGallery::Rebuild() {
  dna::DnaGallery fresh;
  std::vector<SampleKey> keys;
  by_profile_.clear();
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (removed_[i]) continue;
    by_profile_[keys_[i].profile].push_back(static_cast<uint32_t>(keys.size()));
    keys.push_back(std::move(keys_[i]));
    fresh.Add(index_.profile(i));
  }
  index_ = std::move(fresh);
  keys_ = std::move(keys);
  removed_.assign(keys_.size(), false);
  removed_count_ = 0;
}

CandidateLists DnaSampleGallery::Search(std::span<const dna::StrProfile> probes, size_t k,
                                        const Selector& selector) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  dna::SearchOptions o = options_.search;
  o.max_hits = index_.size();  // every agreeing profile: removed and unselected ones are dropped below
  for (size_t p = 0; p < probes.size(); ++p) {
    std::vector<ScoredIndex> scored;
    for (const dna::SearchHit& h : index_.Search(probes[p], o, *options_.frequencies)) {
      if (removed_[h.index] || !selector.Contains(keys_[h.index].profile)) continue;
      scored.push_back({h.log10_lr, static_cast<uint32_t>(h.index)});
    }
    for (const ScoredIndex& s :
         TopKDistinct(std::move(scored), k, [&](uint32_t i) -> const ProfileId& { return keys_[i].profile; })) {
      out[p].push_back({keys_[s.index].profile, keys_[s.index].sample, keys_[s.index].position, s.score});
    }
  }
  return out;
}

CandidateLists DnaSampleGallery::Score(std::span<const dna::StrProfile> probes,
                                       std::span<const ProfileId> profiles) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  const dna::SearchOptions& o = options_.search;
  for (size_t p = 0; p < probes.size(); ++p) {
    for (const ProfileId& id : profiles) {
      auto it = by_profile_.find(id);
      if (it == by_profile_.end()) continue;
      Candidate best;
      bool any = false;
      for (uint32_t i : it->second) {
        const dna::StrProfile& ref = index_.profile(i);
        // Loci typed in both: CompareProfiles stops counting at the first disagreement.
        if (std::popcount(probes[p].TypedLoci() & ref.TypedLoci()) < o.min_loci) continue;  // too little in common
        const dna::Comparison c = dna::CompareProfiles(probes[p], ref, o.stringency);
        const double s =
            c.agree ? dna::MatchWeightLog10(probes[p], ref, *options_.frequencies, o.theta) : kDnaExclusionLog10;
        if (!any || s > best.score) best = {id, keys_[i].sample, keys_[i].position, s};
        any = true;
      }
      if (any) out[p].push_back(best);
    }
  }
  return out;
}

size_t DnaSampleGallery::samples() const {
  std::shared_lock lock(mu_);
  return keys_.size() - removed_count_;
}

size_t DnaSampleGallery::profiles() const {
  std::shared_lock lock(mu_);
  return by_profile_.size();
}

size_t DnaSampleGallery::MemoryBytes() const {
  std::shared_lock lock(mu_);
  size_t bytes = keys_.capacity() * sizeof(SampleKey) + removed_.capacity() / 8;
  for (size_t i = 0; i < index_.size(); ++i) {
    const dna::StrProfile& p = index_.profile(i);
    bytes += sizeof(dna::StrProfile) + p.loci.capacity() * sizeof(dna::LocusGenotype);
    for (const auto& l : p.loci) bytes += l.alleles.capacity() * sizeof(dna::Allele);
    bytes += dna::kLocusCount * sizeof(uint64_t) + sizeof(uint32_t);  // the search columns
  }
  bytes += by_profile_.size() * (sizeof(ProfileId) + sizeof(std::vector<uint32_t>) + 2 * sizeof(void*) + 8);
  bytes += sample_ids_.size() * (sizeof(Id) + 2 * sizeof(void*));
  return bytes;
}

}  // namespace idreg::match
