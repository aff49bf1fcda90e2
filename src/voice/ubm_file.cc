// The background model file (doc/voice.md): "IDRGVUBM", version, band count, training speaker ids,
// per band its filterbank, UBM, relevance factor, centring supervector and NAP directions, then the
// cohorts of fused embeddings.
#include <cmath>
#include <fstream>

#include "idreg/voice/speaker_model.h"
#include "voice/byte_io.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

constexpr char kMagic[] = "IDRGVUBM";
// 2: NAP directions; cohorts per segment duration. 3: two bands (a GMM-UBM each), fused cohorts.
constexpr uint32_t kVersion = 3;
constexpr uint32_t kMaxComponents = 4096;
constexpr uint32_t kMaxSpeakers = 100000;
constexpr uint32_t kMaxCohort = 100000;
constexpr uint32_t kMaxNapRank = 1024;
constexpr uint32_t kMaxCohortGroups = 16;

Status Bad(const std::string& what) { return Status::Corruption("voice model: " + what); }

// One band: its filterbank edges, mixture, relevance factor, centring supervector and NAP rows.
void WriteBand(ByteWriter& w, const GmmUbmBand& b, size_t band) {
  w.F32(params::kBandLowHz[band]);
  w.F32(params::kBandHighHz[band]);
  w.U32(uint32_t(b.ubm().dim));
  w.U32(uint32_t(b.ubm().components));
  w.F32(b.relevance());
  w.Floats(b.ubm().weights);
  w.Floats(b.ubm().means);
  w.Floats(b.ubm().variances);
  w.Floats(b.center());
  w.U32(uint32_t(b.nap().size() / b.embedding_dim()));
  w.Floats(b.nap());
}

Result<GmmUbmBand> ReadBand(ByteReader& r, size_t band) {
  const std::string which = "band " + std::to_string(band) + ": ";
  const float low = r.F32(), high = r.F32();
  if (!r.ok()) return Bad(which + "truncated band header");
  if (low != params::kBandLowHz[band] || high != params::kBandHighHz[band])
    return Bad(which + "filterbank " + std::to_string(int(low)) + "-" + std::to_string(int(high)) +
               " Hz, this build computes " + std::to_string(int(params::kBandLowHz[band])) + "-" +
               std::to_string(int(params::kBandHighHz[band])) + " Hz");
  const uint32_t dim = r.U32(), comps = r.U32();
  if (!r.ok()) return Bad(which + "truncated band header");
  if (dim != uint32_t(params::kBandFeatureDim))
    return Bad(which + "feature dimension " + std::to_string(dim) + ", this build computes " +
               std::to_string(params::kBandFeatureDim));
  if (comps == 0 || comps > kMaxComponents) return Bad(which + "component count " + std::to_string(comps));
  const float relevance = r.F32();
  if (!r.ok() || !(relevance > 0 && relevance < 1e6f)) return Bad(which + "relevance factor out of range");
  const size_t cd = size_t(comps) * dim;
  if (r.remaining() < (size_t(comps) + 3 * cd) * 4) return Bad(which + "truncated mixture parameters");
  DiagGmm g;
  g.components = int(comps);
  g.dim = int(dim);
  g.weights = r.Floats(comps);
  g.means = r.Floats(cd);
  g.variances = r.Floats(cd);
  std::vector<float> center = r.Floats(cd);
  if (!r.ok()) return Bad(which + "truncated or non-finite mixture parameters");
  const uint32_t nap_rows = r.U32();
  if (!r.ok() || nap_rows > kMaxNapRank || r.remaining() < size_t(nap_rows) * cd * 4)
    return Bad(which + "NAP rank out of range or truncated");
  std::vector<float> nap = r.Floats(size_t(nap_rows) * cd);
  if (!r.ok()) return Bad(which + "non-finite NAP direction");
  for (uint32_t k = 0; k < nap_rows; ++k) {
    double norm = 0;
    for (size_t j = 0; j < cd; ++j) norm += double(nap[k * cd + j]) * nap[k * cd + j];
    if (std::abs(norm - 1.0) > 1e-3) return Bad(which + "a NAP direction is not unit length");
  }
  double wsum = 0;
  for (float w : g.weights) {
    if (!(w > 0 && w <= 1)) return Bad(which + "a mixture weight is outside (0, 1]");
    wsum += w;
  }
  if (std::abs(wsum - 1.0) > 1e-3) return Bad(which + "mixture weights do not sum to 1");
  for (float v : g.variances)
    if (!(v > 1e-8f)) return Bad(which + "a variance is not positive");
  return GmmUbmBand::FromParts(std::move(g), relevance, std::move(center), std::move(nap));
}

}  // namespace

std::vector<uint8_t> GmmUbmModel::Serialize() const {
  ByteWriter w;
  w.Bytes(kMagic, 8);
  w.U32(kVersion);
  w.U32(uint32_t(bands_.size()));
  w.U32(uint32_t(speakers_.size()));
  for (const std::string& s : speakers_) w.String(s);
  for (size_t k = 0; k < bands_.size(); ++k) WriteBand(w, bands_[k], k);
  w.U32(uint32_t(cohorts_.size()));
  for (const DurationCohort& c : cohorts_) {
    w.F32(c.seconds);
    w.U32(uint32_t(c.embeddings.size() / embedding_dim()));
    w.Floats(c.embeddings);
  }
  return w.Take();
}

Result<GmmUbmModel> GmmUbmModel::Parse(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  if (!r.Magic(kMagic, 8)) return Bad("not a voice background model (magic IDRGVUBM missing)");
  const uint32_t version = r.U32();
  if (!r.ok()) return Bad("truncated header");
  if (version != kVersion)
    return Bad("unsupported version " + std::to_string(version) + " (this build reads version " +
               std::to_string(kVersion) + ": retrain with scripts/train-voice-model)");
  const uint32_t n_bands = r.U32(), n_speakers = r.U32();
  if (!r.ok()) return Bad("truncated header");
  if (n_bands != uint32_t(params::kBands))
    return Bad(std::to_string(n_bands) + " bands, this build computes " + std::to_string(params::kBands));
  if (n_speakers > kMaxSpeakers) return Bad("speaker count out of range");
  std::vector<std::string> speakers;
  for (uint32_t i = 0; i < n_speakers && r.ok(); ++i) speakers.push_back(r.String(256));
  if (!r.ok()) return Bad("truncated speaker list");
  GmmUbmModel m;
  for (size_t k = 0; k < n_bands; ++k) {
    IDREG_ASSIGN_OR_RETURN(GmmUbmBand b, ReadBand(r, k));
    m.bands_.push_back(std::move(b));
  }
  const size_t dim = m.embedding_dim();
  const uint32_t groups = r.U32();
  if (!r.ok() || groups > kMaxCohortGroups) return Bad("cohort group count out of range");
  std::vector<DurationCohort> cohorts;
  for (uint32_t k = 0; k < groups; ++k) {
    DurationCohort c;
    c.seconds = r.F32();
    const uint32_t rows = r.U32();
    if (!r.ok()) return Bad("truncated cohort header");
    if (!(c.seconds > 0 && c.seconds <= 3600) || (!cohorts.empty() && !(c.seconds > cohorts.back().seconds)))
      return Bad("cohort durations must be positive and ascending");
    if (rows == 0 || rows > kMaxCohort || r.remaining() < size_t(rows) * dim * 4)
      return Bad("cohort size out of range or truncated");
    c.embeddings = r.Floats(size_t(rows) * dim);
    if (!r.ok()) return Bad("non-finite cohort embedding");
    cohorts.push_back(std::move(c));
  }
  if (r.remaining() != 0) return Bad("trailing bytes after the cohorts");
  m.speakers_ = std::move(speakers);
  m.cohorts_ = std::move(cohorts);
  m.Finish(bytes);
  return m;
}

Result<GmmUbmModel> GmmUbmModel::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::NotFound("voice model " + path.string() +
                            " is missing: train it with scripts/train-voice-model");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto m = Parse(bytes);
  if (!m.ok()) return Status(m.status().code(), path.string() + ": " + m.status().message());
  return m;
}

}  // namespace idreg::voice
