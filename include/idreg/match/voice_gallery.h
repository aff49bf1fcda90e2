// The voice gallery: every enrolled speaker template (voice/voice_template.h) in one flat array,
// scored as the voice module scores: symmetric s-norm, 0.5 * (z_probe + z_enrolled), one dot
// product per pair because each template carries its own cohort statistics. All cores scan
// (idreg/core/parallel_for.h over blocks of rows).
//
// Templates are only comparable when one speaker model made them: the first template added fixes
// the model, and a template of another model is refused (InvalidArgument) — the engine counts
// those at start-up instead of failing (doc/identification.md, "Voice").
#ifndef IDREG_MATCH_VOICE_GALLERY_H_
#define IDREG_MATCH_VOICE_GALLERY_H_

#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "idreg/match/gallery.h"
#include "idreg/voice/voice_template.h"

namespace idreg::match {

class VoiceSampleGallery final : public Gallery<voice::VoiceTemplate, voice::VoiceTemplate> {
 public:
  std::string modality() const override { return "voice"; }
  Status Add(std::span<const SampleKey> keys, std::vector<voice::VoiceTemplate> templates) override;
  Status Remove(std::span<const ProfileId> profiles) override;
  CandidateLists Search(std::span<const voice::VoiceTemplate> probes, size_t k, const Selector& selector) const override;
  CandidateLists Score(std::span<const voice::VoiceTemplate> probes, std::span<const ProfileId> profiles) const override;
  size_t samples() const override;
  size_t profiles() const override;
  size_t MemoryBytes() const override;
  // The speaker model every template here comes from ("" while empty).
  std::string model_id() const;

 private:
  // Probes of another model than the gallery's cannot be scored: they get no candidates.
  bool Comparable(const voice::VoiceTemplate& probe) const;

  mutable std::shared_mutex mu_;
  std::string model_id_;
  std::vector<voice::VoiceTemplate> templates_;
  std::vector<SampleKey> keys_;
  std::unordered_map<ProfileId, std::vector<uint32_t>, IdHash> by_profile_;
  std::unordered_set<Id, IdHash> sample_ids_;
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_VOICE_GALLERY_H_
