#include "idreg/voice/voice_template.h"

#include <algorithm>
#include <cmath>

#include "voice/byte_io.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

constexpr char kTemplateMagic[] = "IDRGVTPL";
// 2: cohort statistics per duration. 3: two-band embeddings (scores of version 2 templates are on
// another scale, and their model is gone).
constexpr uint32_t kTemplateVersion = 3;
constexpr uint32_t kTemplateMaxCohortGroups = 16;

// Mean and standard deviation of e's dot products with the rows of cohort.
CohortStats Measure(const std::vector<float>& e, const std::vector<float>& cohort, float seconds) {
  CohortStats c;
  c.seconds = seconds;
  const size_t dim = e.size();
  const size_t rows = dim ? cohort.size() / dim : 0;
  if (rows < 2) return c;
  double sum = 0, sq = 0;
  for (size_t r = 0; r < rows; ++r) {
    const double s = Dot(e.data(), cohort.data() + r * dim, dim);
    sum += s;
    sq += s * s;
  }
  const double mean = sum / double(rows);
  c.mean = float(mean);
  c.std = float(std::sqrt(std::max(sq / double(rows) - mean * mean, 1e-8)));
  return c;
}
constexpr uint32_t kMaxDim = 1u << 20;

}  // namespace

Result<VoiceTemplate> MakeTemplate(const SpeakerModel& model, const FeatureMatrix& features,
                                   double speech_seconds) {
  IDREG_ASSIGN_OR_RETURN(std::vector<float> e, model.Embed(features));
  VoiceTemplate t;
  t.model_id = model.id();
  t.embedding = std::move(e);
  t.speech_seconds = float(speech_seconds);
  const CohortStats longest = Measure(t.embedding, model.cohort(), 0);
  t.cohort_mean = longest.mean;
  t.cohort_std = longest.std;
  for (const DurationCohort& c : model.duration_cohorts())
    t.cohort_by_duration.push_back(Measure(t.embedding, c.embeddings, c.seconds));
  return t;
}

Result<VoiceTemplate> Enroll(const SpeakerModel& model, const std::vector<Audio>& recordings) {
  if (recordings.empty()) return Status::InvalidArgument("voice: no recording to enroll");
  FeatureMatrix pooled;
  double speech = 0;
  for (size_t i = 0; i < recordings.size(); ++i) {
    SpeechFeatures s = ExtractSpeech(recordings[i]);
    // Each recording must be usable on its own except for its length: the length rule applies to
    // the pooled speech.
    Status q = CheckQuality(s, 0.0);
    if (!q.ok())
      return recordings.size() == 1 ? q
                                    : Status::InvalidArgument("recording " + std::to_string(i + 1) + ": " + q.message());
    pooled.Append(s.features);
    speech += s.speech_seconds;
  }
  SpeechFeatures total;
  total.features = pooled;
  total.peak = 1;
  total.speech_seconds = speech;
  total.snr_db = std::nan("");
  IDREG_RETURN_IF_ERROR(CheckQuality(total, params::kMinSpeechSeconds));
  ApplyCmvn(pooled);
  return MakeTemplate(model, pooled, speech);
}

float DotScalar(const float* a, const float* b, size_t n) {
  float acc = 0;
  for (size_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

float DecisionThreshold() { return params::kDecisionThreshold; }

float CosineScore(const VoiceTemplate& a, const VoiceTemplate& b) {
  if (a.embedding.size() != b.embedding.size()) return -1.0f;
  return Dot(a.embedding.data(), b.embedding.data(), a.embedding.size());
}

CohortStats CohortStatsFor(const VoiceTemplate& t, float seconds) {
  const std::vector<CohortStats>& c = t.cohort_by_duration;
  if (c.empty()) return {seconds, t.cohort_mean, t.cohort_std};
  if (!(seconds > c.front().seconds)) return c.front();
  if (seconds >= c.back().seconds) return c.back();
  size_t k = 1;
  while (c[k].seconds < seconds) ++k;
  const CohortStats &lo = c[k - 1], &hi = c[k];
  const float w = std::log(seconds / lo.seconds) / std::log(hi.seconds / lo.seconds);
  return {seconds, lo.mean + w * (hi.mean - lo.mean), lo.std + w * (hi.std - lo.std)};
}

float DurationOffset(float seconds_a, float seconds_b) {
  const float d = std::clamp(std::min(seconds_a, seconds_b), params::kCalibrationMinSeconds,
                             params::kCalibrationMaxSeconds);
  return params::kDurationSlope * std::log(d / params::kCalibrationReferenceSeconds);
}

float SNormScore(const VoiceTemplate& a, const VoiceTemplate& b) {
  const float s = CosineScore(a, b);
  const CohortStats ca = CohortStatsFor(a, b.speech_seconds), cb = CohortStatsFor(b, a.speech_seconds);
  return 0.5f * ((s - ca.mean) / ca.std + (s - cb.mean) / cb.std) - DurationOffset(a.speech_seconds, b.speech_seconds);
}

std::vector<uint8_t> EncodeTemplate(const VoiceTemplate& t) {
  ByteWriter w;
  w.Bytes(kTemplateMagic, 8);
  w.U32(kTemplateVersion);
  w.String(t.model_id);
  w.F32(t.speech_seconds);
  w.F32(t.cohort_mean);
  w.F32(t.cohort_std);
  w.U32(uint32_t(t.cohort_by_duration.size()));
  for (const CohortStats& c : t.cohort_by_duration) {
    w.F32(c.seconds);
    w.F32(c.mean);
    w.F32(c.std);
  }
  w.U32(uint32_t(t.embedding.size()));
  w.Floats(t.embedding);
  return w.Take();
}

Result<VoiceTemplate> DecodeTemplate(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  auto bad = [](const std::string& what) { return Status::Corruption("voice template: " + what); };
  if (!r.Magic(kTemplateMagic, 8)) return bad("not a voice template (magic IDRGVTPL missing)");
  const uint32_t version = r.U32();
  if (!r.ok()) return bad("truncated header");
  if (version != kTemplateVersion)
    return bad("unsupported version " + std::to_string(version) + " (this build reads version " +
               std::to_string(kTemplateVersion) + ": enroll the recordings again)");
  VoiceTemplate t;
  t.model_id = r.String(64);
  t.speech_seconds = r.F32();
  t.cohort_mean = r.F32();
  t.cohort_std = r.F32();
  const uint32_t groups = r.U32();
  if (!r.ok()) return bad("truncated header");
  if (!std::isfinite(t.speech_seconds) || t.speech_seconds < 0) return bad("speech duration out of range");
  if (!std::isfinite(t.cohort_mean) || !(t.cohort_std > 0) || !std::isfinite(t.cohort_std))
    return bad("cohort statistics out of range");
  if (groups > kTemplateMaxCohortGroups) return bad("cohort group count " + std::to_string(groups) + " out of range");
  for (uint32_t k = 0; k < groups; ++k) {
    CohortStats c;
    c.seconds = r.F32();
    c.mean = r.F32();
    c.std = r.F32();
    if (!r.ok()) return bad("truncated cohort statistics");
    if (!(c.seconds > 0 && c.seconds <= 3600) ||
        (!t.cohort_by_duration.empty() && !(c.seconds > t.cohort_by_duration.back().seconds)))
      return bad("cohort durations must be positive and ascending");
    if (!std::isfinite(c.mean) || !(c.std > 0) || !std::isfinite(c.std)) return bad("cohort statistics out of range");
    t.cohort_by_duration.push_back(c);
  }
  const uint32_t dim = r.U32();
  if (!r.ok()) return bad("truncated header");
  if (dim == 0 || dim > kMaxDim) return bad("embedding dimension " + std::to_string(dim) + " out of range");
  if (r.remaining() != size_t(dim) * 4) return bad("embedding length does not match the file length");
  t.embedding = r.Floats(dim);
  if (!r.ok()) return bad("non-finite embedding value");
  double norm = 0;
  for (float v : t.embedding) norm += double(v) * v;
  if (std::abs(norm - 1.0) > 1e-3) return bad("embedding is not unit length");
  return t;
}

}  // namespace idreg::voice
