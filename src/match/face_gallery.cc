#include "idreg/match/face_gallery.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace idreg::match {
namespace {

double Similarity(float squared_distance) { return 1.0 - std::sqrt(std::max(0.0f, squared_distance)); }

float SquaredDistance(const float* a, const float* b, int dim) {
  float s = 0;
  for (int i = 0; i < dim; ++i) {
    const float d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

void Count(std::map<size_t, size_t>& counts, size_t n, int delta) {
  if (n == 0) return;
  if (delta > 0) {
    ++counts[n];
  } else if (auto it = counts.find(n); it != counts.end() && --it->second == 0) {
    counts.erase(it);
  }
}

std::unique_ptr<face::VectorIndex> MakeFaceIndex(FaceIndexChoice kind, const FaceGalleryOptions& options) {
  if (kind == FaceIndexChoice::kSketch) return std::make_unique<face::SketchIndex>(128, options.sketch);
  // Exact: the bounded mode's hits are the plain float32 scan's, bit for bit, for about a quarter
  // of its memory traffic (doc/face.md, "The face gallery's index").
  return std::make_unique<face::EmbeddingIndex>(128, face::IndexPrecision::kFloat32Bounded);
}

}  // namespace

FaceGallery::FaceGallery(FaceGalleryOptions options) : options_(options) {
  kind_ = options_.index == FaceIndexChoice::kSketch ? FaceIndexChoice::kSketch : FaceIndexChoice::kFlat;
  index_ = MakeFaceIndex(kind_, options_);
}

FaceIndexChoice FaceGallery::Wanted(size_t rows) const {
  if (options_.index != FaceIndexChoice::kAuto) return options_.index;
  // Hysteresis: a gallery hovering around the threshold must not rebuild on every enrollment.
  if (kind_ == FaceIndexChoice::kFlat) return rows >= options_.sketch_from_rows ? FaceIndexChoice::kSketch : kind_;
  return rows < options_.sketch_from_rows / 2 ? FaceIndexChoice::kFlat : kind_;
}

Status FaceGallery::Rebuild(FaceIndexChoice kind) {
  std::unique_ptr<face::VectorIndex> next = MakeFaceIndex(kind, options_);
  // Chunked, so that the copy never holds a third full matrix besides the two indexes.
  constexpr size_t kChunk = 65536;
  std::vector<float> rows;
  for (size_t first = 0; first < index_->size(); first += kChunk) {
    const size_t n = std::min(kChunk, index_->size() - first);
    rows.resize(n * 128);
    for (size_t r = 0; r < n; ++r) std::copy_n(index_->Row(first + r), 128, rows.data() + r * 128);
    IDREG_ASSIGN_OR_RETURN(size_t at, next->Add(rows));
    if (at != first) return Status::Internal("face gallery: the rebuilt index numbered rows differently");
  }
  index_ = std::move(next);
  kind_ = kind;
  return Status::Ok();
}

FaceIndexChoice FaceGallery::index() const {
  std::shared_lock lock(mu_);
  return kind_;
}

Status FaceGallery::Add(std::span<const SampleKey> keys, std::vector<face::Descriptor> templates) {
  if (keys.size() != templates.size()) {
    return Status::InvalidArgument("face gallery: " + std::to_string(keys.size()) + " keys for " +
                                   std::to_string(templates.size()) + " descriptors");
  }
  std::unique_lock lock(mu_);
  std::unordered_set<Id, IdHash> batch;
  std::vector<float> flat;
  flat.reserve(templates.size() * 128);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].sample.empty()) return Status::InvalidArgument("face gallery: a sample needs an id");
    if (sample_ids_.count(keys[i].sample) || !batch.insert(keys[i].sample).second) {
      return Status::InvalidArgument("face gallery: sample " + keys[i].sample.ToString() + " is already in the gallery");
    }
    flat.insert(flat.end(), templates[i].begin(), templates[i].end());
  }
  // Past the threshold the sketch index is built first (from the rows already stored) and then
  // takes the batch: its centre comes from as many rows as possible.
  if (const FaceIndexChoice want = Wanted(keys_.size() + keys.size()); want != kind_) {
    IDREG_RETURN_IF_ERROR(Rebuild(want));
  }
  // The index checks every value is finite before it adds anything.
  IDREG_ASSIGN_OR_RETURN(size_t first, index_->Add(flat));
  for (size_t i = 0; i < keys.size(); ++i) {
    auto& rows = by_profile_[keys[i].profile];
    Count(per_profile_counts_, rows.size(), -1);
    rows.push_back(static_cast<uint32_t>(first + i));
    Count(per_profile_counts_, rows.size(), +1);
    sample_ids_.insert(keys[i].sample);
    keys_.push_back(keys[i]);
  }
  return Status::Ok();
}

Status FaceGallery::Remove(std::span<const ProfileId> profiles) {
  std::unique_lock lock(mu_);
  for (const ProfileId& p : profiles) {
    if (!by_profile_.count(p)) return Status::NotFound("face gallery: profile " + p.ToString() + " has no face");
  }
  for (const ProfileId& p : profiles) {
    auto it = by_profile_.find(p);
    if (it == by_profile_.end()) continue;  // listed twice
    std::vector<uint32_t> rows = std::move(it->second);
    Count(per_profile_counts_, rows.size(), -1);
    by_profile_.erase(it);
    // Highest row first: the index fills a hole with its last row, and a row of this profile
    // that is still to be removed must not be the one moved.
    std::sort(rows.rbegin(), rows.rend());
    for (uint32_t row : rows) {
      sample_ids_.erase(keys_[row].sample);
      IDREG_ASSIGN_OR_RETURN(size_t moved_from, index_->Remove(row));
      if (moved_from != row) {
        keys_[row] = std::move(keys_[moved_from]);
        auto& owner = by_profile_[keys_[row].profile];
        std::replace(owner.begin(), owner.end(), static_cast<uint32_t>(moved_from), row);
      }
      keys_.pop_back();
    }
  }
  if (const FaceIndexChoice want = Wanted(keys_.size()); want != kind_) return Rebuild(want);
  return Status::Ok();
}

void FaceGallery::ScoreRows(std::span<const FaceProbeSample> probes, const std::vector<uint32_t>& rows,
                            CandidateLists& out) const {
  for (size_t p = 0; p < probes.size(); ++p) {
    const float* q = probes[p].descriptor.data();
    float best = 0;
    uint32_t best_row = 0;
    bool any = false;
    for (uint32_t row : rows) {
      const float d = SquaredDistance(q, index_->Row(row), index_->dim());
      if (!any || d < best || (d == best && row < best_row)) best = d, best_row = row, any = true;
    }
    if (any) {
      const SampleKey& key = keys_[best_row];
      out[p].push_back({key.profile, key.sample, key.position, Similarity(best)});
    }
  }
}

CandidateLists FaceGallery::Search(std::span<const FaceProbeSample> probes, size_t k, const Selector& selector) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  if (k == 0 || keys_.empty()) return out;
  auto better = [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.sample.ToString() < b.sample.ToString();
  };
  if (!selector.everyone()) {
    for (const ProfileId& id : *selector.ids()) {
      if (auto it = by_profile_.find(id); it != by_profile_.end()) ScoreRows(probes, it->second, out);
    }
    for (auto& list : out) {
      std::sort(list.begin(), list.end(), better);
      if (list.size() > k) list.resize(k);
    }
    return out;
  }
  // The top k * m rows hold at least k distinct profiles when no profile has more than m rows;
  // k + (rows - profiles) rows do too. The smaller bound is asked for.
  const size_t most = per_profile_counts_.empty() ? 1 : per_profile_counts_.rbegin()->first;
  const size_t rows = std::min({keys_.size(), k * most, k + keys_.size() - by_profile_.size()});
  std::vector<float> queries;
  queries.reserve(probes.size() * 128);
  for (const auto& p : probes) queries.insert(queries.end(), p.descriptor.begin(), p.descriptor.end());
  const auto hits = index_->Search(queries, rows, face::IndexMetric::kL2, options_.threads);
  for (size_t p = 0; p < probes.size(); ++p) {
    std::unordered_set<ProfileId, IdHash> seen;
    for (const face::IndexHit& h : hits[p]) {
      const SampleKey& key = keys_[h.row];
      if (!seen.insert(key.profile).second) continue;
      out[p].push_back({key.profile, key.sample, key.position, Similarity(h.score)});
      if (out[p].size() == k) break;
    }
  }
  return out;
}

CandidateLists FaceGallery::Score(std::span<const FaceProbeSample> probes, std::span<const ProfileId> profiles) const {
  std::shared_lock lock(mu_);
  CandidateLists out(probes.size());
  for (const ProfileId& id : profiles) {
    if (auto it = by_profile_.find(id); it != by_profile_.end()) ScoreRows(probes, it->second, out);
  }
  return out;
}

size_t FaceGallery::samples() const {
  std::shared_lock lock(mu_);
  return keys_.size();
}

size_t FaceGallery::profiles() const {
  std::shared_lock lock(mu_);
  return by_profile_.size();
}

size_t FaceGallery::MemoryBytes() const {
  std::shared_lock lock(mu_);
  // Descriptors (with the sketches or the bounded flat index's codes), keys (with their position
  // strings' inline buffers) and the profile map.
  const size_t row = kind_ == FaceIndexChoice::kSketch
                         ? 128 * sizeof(float) + static_cast<size_t>(options_.sketch.bits) / 8
                         : face::EmbeddingIndex::BytesPerRow(128, face::IndexPrecision::kFloat32Bounded);
  return keys_.size() * (row + sizeof(SampleKey) + sizeof(uint32_t)) +
         by_profile_.size() * (sizeof(ProfileId) + sizeof(std::vector<uint32_t>) + 16) + sample_ids_.size() * (sizeof(Id) + 16);
}

}  // namespace idreg::match
