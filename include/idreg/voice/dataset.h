// Speaker-labelled recordings on disk: DIR holds one folder per speaker (the folder name is the
// speaker id) with audio files at any depth (.wav .flac .ogg .gsm; symlinks followed). Used to train
// the background model and by `idreg eval voice`.
#ifndef IDREG_VOICE_DATASET_H_
#define IDREG_VOICE_DATASET_H_

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/voice/features.h"
#include "idreg/voice/gmm.h"
#include "idreg/voice/speaker_model.h"

namespace idreg::voice {

struct SpeakerFolder {
  std::string speaker;
  std::vector<std::filesystem::path> files;  // sorted by path
};

Result<std::vector<SpeakerFolder>> ListSpeakerFolders(const std::filesystem::path& dir);

struct SpeakerSpeech {
  std::string speaker;
  FeatureMatrix speech;   // speech frames of every usable file in file order, not normalised
  size_t files = 0;
  size_t unusable = 0;    // undecodable, silent or clipped files (skipped)
};

// Decodes and extracts every file of every speaker on `threads` threads, stopping a speaker once it
// has max_seconds of speech (0: no limit).
std::vector<SpeakerSpeech> LoadSpeech(const std::vector<SpeakerFolder>& speakers, double max_seconds,
                                      int threads);

// Cuts frames [first, end) of a speaker's speech into consecutive segments of `seconds` and returns
// at most max_segments of them, evenly spaced, each normalised by ApplyCmvn.
std::vector<FeatureMatrix> CutSegments(const FeatureMatrix& speech, size_t first_frame, double seconds,
                                       size_t max_segments);

// The seeded training behind `idreg voice train-ubm`: loads DIR, trains one UBM per band on every
// speaker's speech (normalised per 10 s segment, as enrollment normalises per sample), with its
// centring and NAP, builds the s-norm cohorts of fused embeddings from the same speakers, and
// records their ids. Progress goes to log when given.
Result<GmmUbmModel> TrainGmmUbm(const std::filesystem::path& dir, const GmmTrainOptions& options,
                                std::ostream* log);

}  // namespace idreg::voice

#endif  // IDREG_VOICE_DATASET_H_
