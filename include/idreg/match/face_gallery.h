// The face gallery: every enrolled face descriptor (128-d, dlib's ResNet via face-api, see
// face/networks.h) as one row of a face index. Raw score = 1 - Euclidean distance, the scale of
// `idreg eval face --scores` that the face calibration is fitted on (same person at >= 0.4 by
// dlib's operating point 0.6).
//
// The index (FaceIndexChoice): by default the exact flat face::EmbeddingIndex in its bounded mode
// (int8 codes with a proven bound, hits bit-identical to the float32 scan; run-time SIMD, rows
// split over every core) while the gallery is small, and the face::SketchIndex (binary
// sketches scanned by Hamming distance, the best candidates re-scored exactly) once it holds
// kFaceSketchFromRows samples, back to flat when removals bring it under half that. A switch
// rebuilds the other index from the stored rows in the same order, so row numbers, and with them
// the gallery's mappings, are unchanged (doc/face.md, "The face gallery's index").
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

#include <memory>

#include "idreg/face/embedding_index.h"
#include "idreg/face/networks.h"
#include "idreg/face/sketch_index.h"
#include "idreg/match/gallery.h"

namespace idreg::match {

// A face to search with: its descriptor and a label for explanations ("frontal", a file name).
struct FaceProbeSample {
  face::Descriptor descriptor{};
  std::string label;
};

// Below this many samples (2^18) the exact bounded flat scan of one probe costs under 1.5 ms of one
// idle core (1.49 ms at 262,144 rows, BENCHMARKS.md "Eighth session"), within the 2 ms budget of a
// 1:N query, so nothing is gained by approximating. (The plain float32 scan needed the sketch from
// 65,536 rows: 8.5 ms at 262,144.)
inline constexpr size_t kFaceSketchFromRows = 262144;

enum class FaceIndexChoice {
  kAuto,    // flat below kFaceSketchFromRows samples (sketch_from_rows), sketch from there on
  kFlat,    // always the exact flat index (bounded mode)
  kSketch,  // always the sketch index
};

struct FaceGalleryOptions {
  int threads = 0;  // <= 0: every core
  FaceIndexChoice index = FaceIndexChoice::kAuto;
  // kAuto switches to the sketch index at this many samples, back to flat under half of it.
  size_t sketch_from_rows = kFaceSketchFromRows;
  face::SketchParams sketch{};  // bits, candidates re-scored, seed
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
  // The index searches run on now: FaceIndexChoice::kFlat or kSketch (never kAuto).
  FaceIndexChoice index() const;

 private:
  // The index the options ask for at `rows` samples, given the one in use (hysteresis).
  FaceIndexChoice Wanted(size_t rows) const;
  // Replaces the index by one of `kind` holding the same rows in the same order.
  Status Rebuild(FaceIndexChoice kind);

  // The profile's best row for each probe among `rows`, appended to out[p].
  void ScoreRows(std::span<const FaceProbeSample> probes, const std::vector<uint32_t>& rows, CandidateLists& out) const;

  FaceGalleryOptions options_;
  mutable std::shared_mutex mu_;
  FaceIndexChoice kind_ = FaceIndexChoice::kFlat;
  std::unique_ptr<face::VectorIndex> index_;
  std::vector<SampleKey> keys_;  // by index row
  std::unordered_map<ProfileId, std::vector<uint32_t>, IdHash> by_profile_;
  std::unordered_set<Id, IdHash> sample_ids_;
  std::map<size_t, size_t> per_profile_counts_;  // samples of a profile -> how many profiles have that many
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_FACE_GALLERY_H_
