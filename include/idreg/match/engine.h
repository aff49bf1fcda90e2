// The identification engine: one gallery per modality, built from the store at start-up and kept
// current by the caller after each commit, calibrations per modality and the decision policy.
// Identify runs every modality the probe carries (top-k search), completes the scores of every
// candidate any modality found (Score), fuses the calibrated LLRs and decides.
#ifndef IDREG_MATCH_ENGINE_H_
#define IDREG_MATCH_ENGINE_H_

#include <array>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_set>

#include "idreg/match/calibration.h"
#include "idreg/match/decision.h"
#include "idreg/match/dna_gallery.h"
#include "idreg/match/face_gallery.h"
#include "idreg/match/finger_gallery.h"
#include "idreg/match/voice_gallery.h"
#include "idreg/registry/store.h"

namespace idreg::match {

// The samples of one search or verification, already extracted and quality-checked.
struct ProbeSet {
  std::vector<FingerProbeSample> fingers;
  std::vector<dna::StrProfile> dna;
  std::vector<FaceProbeSample> faces;
  std::vector<voice::VoiceTemplate> voices;
  bool empty() const { return fingers.empty() && dna.empty() && faces.empty() && voices.empty(); }
};

struct EngineOptions {
  DecisionPolicy policy;
  // One per modality searched ("finger", "face", "voice"; DNA's is fixed): a probe of a modality
  // without one is refused.
  std::map<std::string, Calibration> calibrations;
  FingerGalleryOptions finger;
  FaceGalleryOptions face;
  // DNA is searched only when frequencies are given (search options: stringency, min_loci, theta).
  std::shared_ptr<const dna::PopulationFrequencies> dna_frequencies;
  dna::SearchOptions dna_search;
  // The speaker model voice probes are made with (voice::SpeakerModel::id()); stored templates of
  // any other model are skipped at start-up. Empty: the first stored template's model.
  std::string voice_model_id;
  std::ostream* log = nullptr;  // one line per gallery built (count, time, rate)
  bool progress = false;        // a progress line on stderr while loading (callers set it for a tty)
};

struct IdentifyResult {
  Decision decision;
  std::vector<FusedCandidate> ranked;       // every fused candidate, best first (the top-k of each modality)
  std::map<std::string, double> seconds;    // per modality: search + score time
  double fusion_seconds = 0;
};

struct GalleryStats {
  std::string modality;
  size_t samples = 0, profiles = 0, memory_bytes = 0;
  double load_seconds = 0;
  // Stored records left out at start-up: voice templates of another speaker model than the
  // gallery's (they need re-enrollment; doc/identification.md).
  size_t skipped = 0;
};

class Engine {
 public:
  // Builds every gallery from the store (one audited bulk read per modality). A record that
  // cannot be decoded fails the start-up naming it: a gallery silently missing people would
  // make dedup lie.
  static Result<std::unique_ptr<Engine>> Build(Store& store, const Actor& actor, EngineOptions options);

  // 1:N among the persons the selector admits.
  Result<IdentifyResult> Identify(const ProbeSet& probes, const Selector& selector = {}) const;
  // 1:1 against one profile: the fused LLR of the probe against its samples, and whether it
  // reaches the match threshold for N = 1. NotFound when the profile has no comparable sample.
  Result<FusedCandidate> Verify(const ProfileId& id, const ProbeSet& probes) const;

  // After the store committed: the new samples of a profile (any modality; others ignored).
  Status Add(const ProfileId& id, const std::vector<BiometricRecord>& records);
  // After the store committed an erasure. NotFound when the engine holds nothing of the profile.
  Status Remove(const ProfileId& id);

  size_t persons() const;
  std::vector<GalleryStats> Stats() const;
  // Coarse forms that Build rebuilt and wrote back to the store.
  size_t restored_coarse_forms() const { return restored_forms_; }
  const EngineOptions& options() const { return options_; }
  bool searches_dna() const { return dna_ != nullptr; }
  const FingerGallery& finger_gallery() const { return *finger_; }
  const DnaSampleGallery* dna_gallery() const { return dna_.get(); }  // null without frequencies
  const FaceGallery& face_gallery() const { return *face_; }
  const VoiceSampleGallery& voice_gallery() const { return *voice_; }

 private:
  explicit Engine(EngineOptions options);
  // InvalidArgument when the probes are empty or a modality they carry cannot be searched.
  Status CheckProbes(const ProbeSet& probes, std::string_view what) const;
  // Decodes `records` into the galleries; the caller holds no lock.
  Status AddRecords(const std::vector<std::pair<ProfileId, BiometricRecord>>& records);

  EngineOptions options_;
  std::unique_ptr<FingerGallery> finger_;
  std::unique_ptr<DnaSampleGallery> dna_;
  std::unique_ptr<FaceGallery> face_;
  std::unique_ptr<VoiceSampleGallery> voice_;
  bool building_ = false;  // during Build: stale voice templates are counted, not refused
  // Finger coarse codes at start-up: the stored form when current (match/records.h), else nullopt
  // (counted by reason, StoredCoarse's order; logged by Build).
  std::optional<finger::CoarseTemplate> UsableCoarse(const BiometricRecord& r, const finger::FingerTemplate& t);
  std::mutex coarse_mu_;
  std::array<size_t, 4> coarse_counts_{};
  // During Build: the coarse forms rebuilt because the stored one was unusable, written back to
  // the store once the galleries are built (Store::ReplaceDerived), so that the next start-up
  // reads them.
  std::vector<Store::DerivedUpdate> rebuilt_forms_;
  size_t restored_forms_ = 0;
  int coarse_checks_left_ = 8;
  bool coarse_distrusted_ = false;
  std::map<std::string, size_t> skipped_;
  std::map<std::string, double> load_seconds_;
  mutable std::shared_mutex mu_;  // guards persons_
  std::unordered_set<ProfileId, IdHash> persons_;
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_ENGINE_H_
