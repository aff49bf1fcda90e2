// The face gallery: every enrolled face descriptor (128-d, dlib's ResNet via face-api, see
// face/networks.h) as one row of a face::EmbeddingIndex, the flat index the face module scans with
// run-time chosen SIMD kernels on every core. Raw score = 1 - Euclidean distance, the scale of
// `idreg eval face --scores` that the face calibration is fitted on (same person at >= 0.4 by
// dlib's operating point 0.6).
//
// A search of everyone asks the index for the top k * (most samples of one profile) rows, which
// always holds the k best distinct profiles; a selector (a watchlist, a list of ids) is scored
// directly over the selected profiles' rows instead.
#ifndef IDREG_MATCH_FACE_GALLERY_H_
#define IDREG_MATCH_FACE_GALLERY_H_

#include <map>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "idreg/face/embedding_index.h"
#include "idreg/face/networks.h"
#include "idreg/match/gallery.h"

namespace idreg::match {

// A face to search with: its descriptor and a label for explanations ("frontal", a file name).
struct FaceProbeSample {
  face::Descriptor descriptor{};
  std::string label;
};

struct FaceGalleryOptions {
  int threads = 0;  // <= 0: every core
};

class FaceGallery final : public Gallery<face::Descriptor, FaceProbeSample> {
 public:
  explicit FaceGallery(FaceGalleryOptions options = {});

  std::string modality() const override { return "face"; }
  Status Add(std::span<const SampleKey> keys, std::vector<face::Descriptor> templates) override;
  Status Remove(std::span<const ProfileId> profiles) override;
  CandidateLists Search(std::span<const FaceProbeSample> probes, size_t k, const Selector& selector) const override;
  CandidateLists Score(std::span<const FaceProbeSample> probes, std::span<const ProfileId> profiles) const override;
  size_t samples() const override;
  size_t profiles() const override;
  size_t MemoryBytes() const override;

 private:
  // The profile's best row for each probe among `rows`, appended to out[p].
  void ScoreRows(std::span<const FaceProbeSample> probes, const std::vector<uint32_t>& rows, CandidateLists& out) const;

  FaceGalleryOptions options_;
  mutable std::shared_mutex mu_;
  face::EmbeddingIndex index_{128};
  std::vector<SampleKey> keys_;  // by index row
  std::unordered_map<ProfileId, std::vector<uint32_t>, IdHash> by_profile_;
  std::unordered_set<Id, IdHash> sample_ids_;
  std::map<size_t, size_t> per_profile_counts_;  // samples of a profile -> how many profiles have that many
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_FACE_GALLERY_H_
