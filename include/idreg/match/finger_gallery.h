// The fingerprint gallery of the engine, on the two-stage finger::FingerGallery (doc/finger-gallery.md,
// doc/identification.md): every enrolled finger as minutiae plus coarse codes (about 1.8 KB, not
// MCC's 19 KB), a probe ranked against the eligible fingers by the coarse AND/XOR/POPCNT stage on
// every core, then full MCC on the `shortlist` best. When a probe's eligible fingers (its position,
// the selector's profiles) are no more than the shortlist, every one is fine-matched: small galleries
// and watchlists stay exact. A probe names a finger position ("right_index", ...) to be compared with
// that finger only (and with gallery samples whose position is unknown), or none to be compared with
// every finger. Score (1:1 against listed profiles) is always full MCC.
#ifndef IDREG_MATCH_FINGER_GALLERY_H_
#define IDREG_MATCH_FINGER_GALLERY_H_

#include <algorithm>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "idreg/finger/gallery.h"
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
  // Fingers kept by the coarse stage per probe for full MCC (at least 2 k for a top-k search).
  // Fine matching rebuilds cylinders (about 1-2 ms a finger), so this sets most of a search's
  // cost: 200 x 2 probes on 2 cores is about 0.3 s (BENCHMARKS.md). 0: every eligible finger
  // (exhaustive, the exact reference).
  size_t shortlist = 200;
  // While the gallery holds at most this many fingers, their MCC search forms (about 19 KB each)
  // are kept as well, so that small galleries fine-match without rebuilding cylinders (a rebuild
  // costs some 25 comparisons). Past it they are dropped for good (until the next start-up).
  size_t prebuilt_limit = 4096;
};

class FingerGallery final : public Gallery<finger::FingerTemplate, FingerProbeSample> {
 public:
  explicit FingerGallery(FingerGalleryOptions options = {});

  std::string modality() const override { return "finger"; }
  // Builds the coarse codes of the batch on every core (the costly part of start-up).
  Status Add(std::span<const SampleKey> keys, std::vector<finger::FingerTemplate> templates) override;
  // The same with some coarse codes already built (parsed from the forms stored beside the
  // templates, match/records.h StoredCoarseOf): one entry per template, nullopt where the codes
  // must be built. Start-up from a store with current forms builds no cylinder at all.
  Status Add(std::span<const SampleKey> keys, std::vector<finger::FingerTemplate> templates,
             std::vector<std::optional<finger::CoarseTemplate>> coarse);
  // The same with templates already in gallery form, one per key in order (bulk loads from a
  // cached gallery file, benchmarks). Removed templates of `templates` are refused.
  Status AddGallery(std::span<const SampleKey> keys, const finger::FingerGallery& templates);
  Status Remove(std::span<const ProfileId> profiles) override;
  CandidateLists Search(std::span<const FingerProbeSample> probes, size_t k, const Selector& selector) const override;
  CandidateLists Score(std::span<const FingerProbeSample> probes, std::span<const ProfileId> profiles) const override;
  size_t samples() const override;
  size_t profiles() const override;
  size_t MemoryBytes() const override;
  const FingerGalleryOptions& options() const { return options_; }
  // The underlying two-stage gallery and the position code of a finger name (-1: unknown to the
  // gallery), for benchmarks that time its stages; not synchronised with Add or Remove.
  const finger::FingerGallery& templates() const { return gallery_; }
  int PositionCodeOf(const std::string& position) const { return std::max(-1, ProbePosition(position)); }

 private:
  struct Entry {
    ProfileId profile;
    Id sample;
  };
  // Position codes are the finger gallery's tags: 0 is "unknown", at most 255 positions.
  Result<uint8_t> PositionCode(const std::string& position);  // interns; caller holds the lock
  // The position code a probe may be compared with, or -1 for any; -2 when the gallery has never
  // seen that position (only unknown-position samples can then be compared).
  int ProbePosition(const std::string& position) const;
  Status CheckNew(std::span<const SampleKey> keys) const;  // caller holds the lock
  // The fine-matched indices and scores of one probe.
  std::vector<std::pair<uint32_t, float>> SearchOne(const finger::FingerProbe& probe, int want, size_t shortlist,
                                                    const Selector& selector) const;
  unsigned Threads() const;
  // Full MCC of a probe with these fingers (prebuilt search forms when kept, else rebuilt).
  std::vector<float> FineMatch(const finger::FingerProbe& probe, std::span<const uint32_t> indices) const;
  Status Insert(std::span<const SampleKey> keys, const finger::FingerGallery& templates,
                std::vector<std::shared_ptr<const finger::SearchTemplate>> prebuilt);

  FingerGalleryOptions options_;
  mutable std::shared_mutex mu_;
  finger::FingerGallery gallery_;
  std::vector<Entry> entries_;  // by gallery index (a removed one stays until compaction)
  // By gallery index while the gallery is within prebuilt_limit, else empty; built from the
  // gallery's own (rounded) minutiae, so scores do not depend on whether they are kept.
  std::vector<std::shared_ptr<const finger::SearchTemplate>> prebuilt_;
  bool prebuilt_dropped_ = false;
  std::unordered_map<ProfileId, std::vector<uint32_t>, IdHash> by_profile_;
  std::unordered_set<Id, IdHash> sample_ids_;
  std::vector<std::string> positions_{""};
  std::vector<size_t> live_per_position_{0};
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_FINGER_GALLERY_H_
