// The speaker model behind enrollment and matching: features in, a fixed-length unit-norm
// embedding out, scored by dot product (cosine) and normalised against a cohort of background
// speakers (s-norm). The classical two-band GMM-UBM backend implements it; a neural speaker-embedding
// network can implement the same interface later without touching templates, CLI or galleries.
#ifndef IDREG_VOICE_SPEAKER_MODEL_H_
#define IDREG_VOICE_SPEAKER_MODEL_H_

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/voice/features.h"
#include "idreg/voice/gmm.h"

namespace idreg::voice {

// Cohort embeddings (rows of embedding_dim) from segments of one speech duration.
struct DurationCohort {
  float seconds = 0;
  std::vector<float> embeddings;
};

class SpeakerModel {
 public:
  virtual ~SpeakerModel() = default;
  // Identifies the trained model; templates record it and refuse another model's templates.
  virtual const std::string& id() const = 0;
  virtual size_t embedding_dim() const = 0;
  // features: speech frames after ApplyCmvn. Returns a unit-length embedding.
  virtual Result<std::vector<float>> Embed(const FeatureMatrix& features) const = 0;
  // Speakers whose recordings trained the model (an evaluation must not reuse them).
  virtual const std::vector<std::string>& training_speakers() const = 0;
  // Cohort embeddings (rows of embedding_dim) from the training speakers, for s-norm.
  virtual const std::vector<float>& cohort() const = 0;
  // Cohorts of several segment durations, ascending (empty: cohort() serves every duration). A
  // template is normalised against the cohort as long as the sample it is compared with, which
  // keeps one threshold across probe lengths (duration-matched s-norm, doc/voice.md).
  virtual std::span<const DurationCohort> duration_cohorts() const { return {}; }
};

// Background segments (each CMVN'd) from which the models are derived around their UBMs.
struct BackgroundSegments {
  std::vector<FeatureMatrix> centring;  // their mean supervector centres every embedding
  std::vector<std::pair<float, std::vector<FeatureMatrix>>> cohorts;  // (seconds, segments), ascending
  std::vector<FeatureMatrix> sessions;  // short segments for NAP, labelled by session_speaker
  std::vector<int> session_speaker;
};

// One band's GMM-UBM with mean-only MAP adaptation. The embedding is the adapted-mean supervector
// scaled by sqrt(weight)/sigma (the GMM supervector kernel of Campbell et al. 2006, a linear
// approximation of the KL divergence between the adapted models), centred on the mean of the
// background speakers, with the NAP directions projected out, scaled to unit length. Its features
// are one band's columns (BandFeatures).
class GmmUbmBand {
 public:
  size_t embedding_dim() const { return size_t(ubm_.components) * size_t(ubm_.dim); }
  Result<std::vector<float>> Embed(const FeatureMatrix& band_features) const;
  const DiagGmm& ubm() const { return ubm_; }
  float relevance() const { return relevance_; }
  const std::vector<float>& center() const { return center_; }
  // Rows of embedding_dim: the orthonormal directions removed by NAP (empty: none).
  const std::vector<float>& nap() const { return nap_; }

  // MAP-adapted mean offsets (adapted mean - UBM mean), components x dim.
  std::vector<float> AdaptedOffsets(const FeatureMatrix& band_features) const;
  // Expected frame log-likelihood ratio of probe features between the adapted model (UBM means +
  // offsets) and the UBM, over the UBM's top components per frame (Reynolds et al. 2000).
  // One probe against many models at once: the UBM side is computed once per frame.
  std::vector<double> ExpectedLlr(const std::vector<const std::vector<float>*>& offsets,
                                  const FeatureMatrix& band_probe) const;

  // From a trained UBM and this band's background segments: the centring supervector and nuisance
  // attribute projection (NAP: the nap_rank directions of largest within-speaker scatter of the
  // session segments). background.cohorts is not used here.
  static GmmUbmBand Create(DiagGmm ubm, float relevance, const BackgroundSegments& background, int nap_rank,
                           int threads);
  // From stored parts (the model file parser checks them first).
  static GmmUbmBand FromParts(DiagGmm ubm, float relevance, std::vector<float> center, std::vector<float> nap);

 private:
  std::vector<float> Supervector(const std::vector<float>& offsets) const;  // uncentred
  void ProjectOutNap(std::vector<float>& embedding) const;

  DiagGmm ubm_;
  float relevance_ = 16.0f;
  std::vector<float> center_;  // mean background supervector
  std::vector<float> nap_;     // NAP directions, rows of embedding_dim
};

// The shipped speaker model: one GmmUbmBand per filterbank band (100-3800 Hz and 100-7600 Hz), their
// unit embeddings concatenated and scaled by 1/sqrt(bands), so the embedding is unit length and one
// dot product gives the mean of the bands' cosines (equal-weight score fusion, doc/voice.md). The
// s-norm cohorts are of such fused embeddings.
class GmmUbmModel final : public SpeakerModel {
 public:
  const std::string& id() const override { return id_; }
  size_t embedding_dim() const override;
  // features: rows of params kFeatureDim (every band), after ApplyCmvn.
  Result<std::vector<float>> Embed(const FeatureMatrix& features) const override;
  const std::vector<std::string>& training_speakers() const override { return speakers_; }
  const std::vector<float>& cohort() const override;  // the longest-duration cohort
  std::span<const DurationCohort> duration_cohorts() const override { return cohorts_; }

  size_t bands() const { return bands_.size(); }
  const GmmUbmBand& band(size_t k) const { return bands_[k]; }
  // The telephone band's mixture and relevance factor (for reports).
  const DiagGmm& ubm() const { return bands_.front().ubm(); }
  float relevance() const { return bands_.front().relevance(); }
  // Rows of embedding_dim: every band's NAP directions, placed in that band's part of the
  // embedding (orthonormal; the embedding is orthogonal to them).
  const std::vector<float>& nap() const { return nap_; }

  // Frame-level scoring (`idreg eval voice --scoring llr`, kept for comparison) on the telephone
  // band: AdaptedOffsets and ExpectedLlr of band 0, taking full feature rows.
  std::vector<float> AdaptedOffsets(const FeatureMatrix& features) const;
  std::vector<double> ExpectedLlr(const std::vector<const std::vector<float>*>& offsets,
                                  const FeatureMatrix& probe) const;

  // From one trained band per filterbank band (in band order) and full-row background segments (for
  // the cohorts of every duration).
  static GmmUbmModel Create(std::vector<GmmUbmBand> bands, std::vector<std::string> training_speakers,
                            const BackgroundSegments& background, int threads);

  // The persistent form (doc/voice.md "Background model file").
  std::vector<uint8_t> Serialize() const;
  static Result<GmmUbmModel> Parse(std::span<const uint8_t> bytes);
  static Result<GmmUbmModel> Load(const std::filesystem::path& path);

 private:
  void Finish(std::span<const uint8_t> serialized);  // the id and the padded NAP rows

  std::vector<GmmUbmBand> bands_;
  std::vector<std::string> speakers_;
  std::vector<DurationCohort> cohorts_;  // ascending seconds, fused embeddings
  std::vector<float> nap_;
  std::string id_;
};

// One band's columns of full feature rows (band < params kBands).
FeatureMatrix BandFeatures(const FeatureMatrix& features, size_t band);

// The installed background model: ModelsDir()/voice/ubm.bin.
std::filesystem::path DefaultModelPath();

}  // namespace idreg::voice

#endif  // IDREG_VOICE_SPEAKER_MODEL_H_
