// A flat in-memory gallery of voice templates for 1:N search by s-norm score.
#ifndef IDREG_VOICE_GALLERY_H_
#define IDREG_VOICE_GALLERY_H_

#include <filesystem>
#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/voice/voice_template.h"

namespace idreg::voice {

struct VoiceCandidate {
  std::string id;
  float score = 0;  // s-norm
};

class VoiceGallery {
 public:
  // Every template must come from the same model (the first one added sets it).
  Status Add(std::string id, VoiceTemplate t);
  size_t size() const { return ids_.size(); }
  // The k best candidates, best first.
  std::vector<VoiceCandidate> Search(const VoiceTemplate& probe, size_t k) const;
  // Loads every *.vtpl file of dir; the id is the file name without extension.
  static Result<VoiceGallery> LoadDir(const std::filesystem::path& dir);

 private:
  std::string model_id_;
  size_t dim_ = 0;
  std::vector<std::string> ids_;
  std::vector<float> embeddings_;  // rows of dim_, contiguous for the scan
  std::vector<VoiceTemplate> stats_;  // the templates without their embeddings (cohort statistics)
};

}  // namespace idreg::voice

#endif  // IDREG_VOICE_GALLERY_H_
