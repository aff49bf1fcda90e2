// The background model file (doc/voice.md): "IDRGVUBM", version, dimensions, relevance factor,
// training speaker ids, the UBM, the centring supervector and the cohort embeddings.
#include <cmath>
#include <fstream>

#include "idreg/voice/speaker_model.h"
#include "voice/byte_io.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

constexpr char kMagic[] = "IDRGVUBM";
constexpr uint32_t kVersion = 2;  // 2: NAP directions; cohorts per segment duration
constexpr uint32_t kMaxComponents = 4096;
constexpr uint32_t kMaxSpeakers = 100000;
constexpr uint32_t kMaxCohort = 100000;
constexpr uint32_t kMaxNapRank = 1024;
constexpr uint32_t kMaxCohortGroups = 16;

}  // namespace

void GmmUbmModel::FinishIds(std::span<const uint8_t> serialized) { id_ = Fnv1aHex(serialized); }

std::vector<uint8_t> GmmUbmModel::Serialize() const {
  ByteWriter w;
  w.Bytes(kMagic, 8);
  w.U32(kVersion);
  w.U32(uint32_t(ubm_.dim));
  w.U32(uint32_t(ubm_.components));
  w.F32(relevance_);
  w.U32(uint32_t(speakers_.size()));
  for (const std::string& s : speakers_) w.String(s);
  w.Floats(ubm_.weights);
  w.Floats(ubm_.means);
  w.Floats(ubm_.variances);
  w.Floats(center_);
  w.U32(uint32_t(nap_.size() / embedding_dim()));
  w.Floats(nap_);
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
  auto bad = [](const std::string& what) { return Status::Corruption("voice model: " + what); };
  if (!r.Magic(kMagic, 8)) return bad("not a voice background model (magic IDRGVUBM missing)");
  const uint32_t version = r.U32();
  if (version != kVersion) return bad("unsupported version " + std::to_string(version));
  const uint32_t dim = r.U32(), comps = r.U32();
  if (dim != uint32_t(params::kFeatureDim))
    return bad("feature dimension " + std::to_string(dim) + ", this build computes " +
               std::to_string(params::kFeatureDim));
  if (comps == 0 || comps > kMaxComponents) return bad("component count " + std::to_string(comps));
  const float relevance = r.F32();
  if (!(relevance > 0 && relevance < 1e6f)) return bad("relevance factor out of range");
  const uint32_t n_speakers = r.U32();
  if (!r.ok() || n_speakers > kMaxSpeakers) return bad("truncated header or speaker count out of range");
  std::vector<std::string> speakers;
  for (uint32_t i = 0; i < n_speakers && r.ok(); ++i) speakers.push_back(r.String(256));
  if (!r.ok()) return bad("truncated speaker list");
  const size_t cd = size_t(comps) * dim;
  if (r.remaining() < (size_t(comps) + 3 * cd) * 4) return bad("truncated mixture parameters");
  DiagGmm g;
  g.components = int(comps);
  g.dim = int(dim);
  g.weights = r.Floats(comps);
  g.means = r.Floats(cd);
  g.variances = r.Floats(cd);
  std::vector<float> center = r.Floats(cd);
  if (!r.ok()) return bad("truncated or non-finite mixture parameters");
  const uint32_t nap_rows = r.U32();
  if (!r.ok() || nap_rows > kMaxNapRank || r.remaining() < size_t(nap_rows) * cd * 4)
    return bad("NAP rank out of range or truncated");
  std::vector<float> nap = r.Floats(size_t(nap_rows) * cd);
  if (!r.ok()) return bad("non-finite NAP direction");
  for (uint32_t k = 0; k < nap_rows; ++k) {
    double norm = 0;
    for (size_t j = 0; j < cd; ++j) norm += double(nap[k * cd + j]) * nap[k * cd + j];
    if (std::abs(norm - 1.0) > 1e-3) return bad("a NAP direction is not unit length");
  }
  double wsum = 0;
  for (float w : g.weights) {
    if (!(w > 0 && w <= 1)) return bad("a mixture weight is outside (0, 1]");
    wsum += w;
  }
  if (std::abs(wsum - 1.0) > 1e-3) return bad("mixture weights do not sum to 1");
  for (float v : g.variances)
    if (!(v > 1e-8f)) return bad("a variance is not positive");
  const uint32_t groups = r.U32();
  if (!r.ok() || groups > kMaxCohortGroups) return bad("cohort group count out of range");
  std::vector<DurationCohort> cohorts;
  for (uint32_t k = 0; k < groups; ++k) {
    DurationCohort c;
    c.seconds = r.F32();
    const uint32_t rows = r.U32();
    if (!r.ok()) return bad("truncated cohort header");
    if (!(c.seconds > 0 && c.seconds <= 3600) || (!cohorts.empty() && !(c.seconds > cohorts.back().seconds)))
      return bad("cohort durations must be positive and ascending");
    if (rows == 0 || rows > kMaxCohort || r.remaining() < size_t(rows) * cd * 4)
      return bad("cohort size out of range or truncated");
    c.embeddings = r.Floats(size_t(rows) * cd);
    if (!r.ok()) return bad("non-finite cohort embedding");
    cohorts.push_back(std::move(c));
  }
  if (r.remaining() != 0) return bad("trailing bytes after the cohorts");
  GmmUbmModel m;
  g.Prepare();
  m.ubm_ = std::move(g);
  m.relevance_ = relevance;
  m.speakers_ = std::move(speakers);
  m.center_ = std::move(center);
  m.nap_ = std::move(nap);
  m.cohorts_ = std::move(cohorts);
  m.FinishIds(bytes);
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
