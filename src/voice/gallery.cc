#include "idreg/voice/gallery.h"

#include <algorithm>
#include <fstream>

namespace idreg::voice {

Status VoiceGallery::Add(std::string id, VoiceTemplate t) {
  if (ids_.empty()) {
    model_id_ = t.model_id;
    dim_ = t.embedding.size();
  }
  if (t.model_id != model_id_ || t.embedding.size() != dim_)
    return Status::InvalidArgument("voice gallery: template " + id + " comes from model " + t.model_id +
                                   ", the gallery holds model " + model_id_);
  ids_.push_back(std::move(id));
  embeddings_.insert(embeddings_.end(), t.embedding.begin(), t.embedding.end());
  t.embedding.clear();  // the statistics stay, the embedding lives in the contiguous block
  t.embedding.shrink_to_fit();
  stats_.push_back(std::move(t));
  return Status::Ok();
}

std::vector<VoiceCandidate> VoiceGallery::Search(const VoiceTemplate& probe, size_t k) const {
  std::vector<VoiceCandidate> all;
  if (probe.embedding.size() != dim_ || probe.model_id != model_id_) return all;
  all.reserve(ids_.size());
  // SNormScore with the probe's side computed once per reference duration (tests/voice/template_test.cc
  // checks that the two agree).
  float zp_for = -1;  // the reference duration zp was computed for (references mostly share one)
  CohortStats zp;
  for (size_t i = 0; i < ids_.size(); ++i) {
    const float s = Dot(probe.embedding.data(), embeddings_.data() + i * dim_, dim_);
    if (stats_[i].speech_seconds != zp_for) {
      zp_for = stats_[i].speech_seconds;
      zp = CohortStatsFor(probe, zp_for);
    }
    const CohortStats zr = CohortStatsFor(stats_[i], probe.speech_seconds);
    all.push_back({ids_[i], 0.5f * ((s - zp.mean) / zp.std + (s - zr.mean) / zr.std) -
                                DurationOffset(probe.speech_seconds, stats_[i].speech_seconds)});
  }
  k = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + long(k), all.end(),
                    [](const VoiceCandidate& a, const VoiceCandidate& b) { return a.score > b.score; });
  all.resize(k);
  return all;
}

Result<VoiceGallery> VoiceGallery::LoadDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".vtpl") files.push_back(e.path());
  if (ec) return Status::NotFound("voice gallery: cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  VoiceGallery g;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto t = DecodeTemplate(bytes);
    if (!t.ok()) return Status(t.status().code(), f.string() + ": " + t.status().message());
    IDREG_RETURN_IF_ERROR(g.Add(f.stem().string(), std::move(*t)));
  }
  if (g.size() == 0) return Status::NotFound("voice gallery: " + dir.string() + " holds no *.vtpl templates");
  return g;
}

}  // namespace idreg::voice
