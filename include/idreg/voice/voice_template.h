// A voice template: a speaker embedding from one SpeakerModel plus its cohort statistics, so that
// s-norm scoring of a pair is one dot product. Persistent form: doc/voice.md "Template file".
#ifndef IDREG_VOICE_VOICE_TEMPLATE_H_
#define IDREG_VOICE_VOICE_TEMPLATE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/voice/features.h"
#include "idreg/voice/speaker_model.h"

namespace idreg::voice {

// Mean and standard deviation of a template's scores against the cohort segments of one duration.
struct CohortStats {
  float seconds = 0;
  float mean = 0;
  float std = 1;
};

struct VoiceTemplate {
  std::string model_id;          // SpeakerModel::id() of the model that made it
  std::vector<float> embedding;  // unit length
  float cohort_mean = 0;         // mean and standard deviation of its scores against the cohort
  float cohort_std = 1;          // (the longest-duration one)
  float speech_seconds = 0;
  // The same against the model's cohorts of each segment duration (ascending seconds); empty when
  // the model has none, and then cohort_mean/cohort_std serve every duration.
  std::vector<CohortStats> cohort_by_duration;
};

// t's cohort statistics for a comparison with a sample of `seconds` of speech: interpolated in log
// duration between the two nearest cohorts, clamped at the shortest and longest.
CohortStats CohortStatsFor(const VoiceTemplate& t, float seconds);

// Embeds CMVN'd speech features and measures the embedding against the model's cohort.
Result<VoiceTemplate> MakeTemplate(const SpeakerModel& model, const FeatureMatrix& features,
                                   double speech_seconds);

// Enrolls one or more recordings of one speaker: quality check of each (the reason is returned for
// the first that fails), their speech pooled, normalised and embedded.
Result<VoiceTemplate> Enroll(const SpeakerModel& model, const std::vector<Audio>& recordings);

// Raw cosine score and the symmetric, duration-matched s-norm score 0.5 * (z_a + z_b), where z_a
// normalises by a's statistics against the cohort of b's duration and z_b the other way round,
// minus DurationOffset, so that one threshold keeps about the same false match rate for 1 s, 3 s
// and 10 s samples (doc/voice.md "Threshold and duration").
// The calibration term: kDurationSlope * ln(min(seconds_a, seconds_b) / 3 s), the shorter duration
// clamped to 1-30 s. Impostor s-norm scores grow with the speech compared; zero for 3 s.
float DurationOffset(float seconds_a, float seconds_b);
float CosineScore(const VoiceTemplate& a, const VoiceTemplate& b);
float SNormScore(const VoiceTemplate& a, const VoiceTemplate& b);
// The s-norm score at or above which `idreg voice match` calls two samples the same speaker.
float DecisionThreshold();

// Dot product kernel: run-time AVX2/FMA when the CPU has it, else DotScalar (the reference).
float Dot(const float* a, const float* b, size_t n);
float DotScalar(const float* a, const float* b, size_t n);

std::vector<uint8_t> EncodeTemplate(const VoiceTemplate& t);
// Refuses (Corruption naming what) anything not written by EncodeTemplate.
Result<VoiceTemplate> DecodeTemplate(std::span<const uint8_t> bytes);

}  // namespace idreg::voice

#endif  // IDREG_VOICE_VOICE_TEMPLATE_H_
