// The DNA gallery: dna::DnaGallery (bit-parallel CODIS search) behind the Gallery interface, with
// removals. Raw score = the match weight as log10 LR (dna/profile_search.h). Search returns only
// profiles that agree at the stringency; Score (verification, fusion's second pass) also reports
// profiles that were compared at >= min_loci loci and did not agree, with the exclusion score
// below, because a DNA exclusion is evidence too.
#ifndef IDREG_MATCH_DNA_GALLERY_H_
#define IDREG_MATCH_DNA_GALLERY_H_

#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/profile_search.h"
#include "idreg/match/gallery.h"

namespace idreg::match {

// log10 LR given to an exclusion: the chance that two typings of one person fail to agree at
// moderate stringency (a typing error, a mutation, a sample mix-up) is put at 1 in 1000, against
// about 1 for two different people.
inline constexpr double kDnaExclusionLog10 = -3.0;

struct DnaGalleryOptions {
  dna::SearchOptions search;  // stringency, min_loci, theta (max_hits is set per search)
  std::shared_ptr<const dna::PopulationFrequencies> frequencies;  // required
};

class DnaSampleGallery final : public Gallery<dna::StrProfile, dna::StrProfile> {
 public:
  explicit DnaSampleGallery(DnaGalleryOptions options);

  std::string modality() const override { return "dna"; }
  Status Add(std::span<const SampleKey> keys, std::vector<dna::StrProfile> templates) override;
  Status Remove(std::span<const ProfileId> profiles) override;
  CandidateLists Search(std::span<const dna::StrProfile> probes, size_t k, const Selector& selector) const override;
  CandidateLists Score(std::span<const dna::StrProfile> probes, std::span<const ProfileId> profiles) const override;
  size_t samples() const override;
  size_t profiles() const override;
  size_t MemoryBytes() const override;

 private:
  void Rebuild();  // drops removed entries from the search index; caller holds the lock

  DnaGalleryOptions options_;
  mutable std::shared_mutex mu_;
  dna::DnaGallery index_;
  std::vector<SampleKey> keys_;  // by index_ position
  std::vector<bool> removed_;
  size_t removed_count_ = 0;
  std::unordered_map<ProfileId, std::vector<uint32_t>, IdHash> by_profile_;
  std::unordered_set<Id, IdHash> sample_ids_;
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_DNA_GALLERY_H_
