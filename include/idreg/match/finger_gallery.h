// The fingerprint gallery: every enrolled finger as a finger::SearchTemplate in one flat array,
// scanned by all cores (std::thread) with each probe prepared once (finger::FingerProbe). A probe
// names a finger position ("right_index", ...) to be compared with that finger only (and with
// gallery samples whose position is unknown), or none to be compared with every finger.
#ifndef IDREG_MATCH_FINGER_GALLERY_H_
#define IDREG_MATCH_FINGER_GALLERY_H_

#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "idreg/finger/matcher.h"
#include "idreg/finger/minutia.h"
#include "idreg/match/gallery.h"

namespace idreg::match {

struct FingerProbeSample {
  finger::FingerTemplate tmpl;
  std::string position;  // empty: any finger
};

struct FingerGalleryOptions {
  unsigned threads = 0;  // 0: one per core
};

class FingerGallery final : public Gallery<finger::FingerTemplate, FingerProbeSample> {
 public:
  explicit FingerGallery(FingerGalleryOptions options = {});

  std::string modality() const override { return "finger"; }
  Status Add(std::span<const SampleKey> keys, std::vector<finger::FingerTemplate> templates) override;
  // The same with templates already in search form (benchmarks, bulk loads that build them
  // on several threads).
  Status AddSearchTemplates(std::span<const SampleKey> keys, std::vector<finger::SearchTemplate> templates);
  Status Remove(std::span<const ProfileId> profiles) override;
  CandidateLists Search(std::span<const FingerProbeSample> probes, size_t k, const Selector& selector) const override;
  CandidateLists Score(std::span<const FingerProbeSample> probes, std::span<const ProfileId> profiles) const override;
  size_t samples() const override;
  size_t profiles() const override;
  size_t MemoryBytes() const override;

 private:
  struct Entry {
    ProfileId profile;
    Id sample;
    uint16_t position = 0;  // index into positions_; 0 is "unknown"
    finger::SearchTemplate tmpl;
  };
  uint16_t PositionCode(const std::string& position);  // interns; caller holds the lock
  // The position code a probe may be compared with, or -1 for any; -2 when the gallery has never
  // seen that position (only unknown-position samples can then be compared).
  int ProbePosition(const std::string& position) const;

  FingerGalleryOptions options_;
  mutable std::shared_mutex mu_;
  std::vector<Entry> entries_;
  std::unordered_map<ProfileId, std::vector<uint32_t>, IdHash> by_profile_;
  std::unordered_set<Id, IdHash> sample_ids_;
  std::vector<std::string> positions_{""};
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_FINGER_GALLERY_H_
