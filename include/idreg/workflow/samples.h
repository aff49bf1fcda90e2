// Captured samples -> quality-checked templates, ready both to search with (match::ProbeSet) and
// to store (BiometricRecord). A sample that fails its quality check is reported with the reason
// and left out; it is never enrolled.
#ifndef IDREG_WORKFLOW_SAMPLES_H_
#define IDREG_WORKFLOW_SAMPLES_H_

#include <memory>
#include <string>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/face/networks.h"
#include "idreg/match/engine.h"
#include "idreg/registry/profile.h"
#include "idreg/voice/speaker_model.h"

namespace idreg {

struct CapturedSample {
  std::string modality;  // "finger", "dna", "face", "voice"
  // finger: its name (match/records.h), may be empty for a search probe; face: "frontal" (or
  // empty) for a photo to detect the face in, "crop" for an image that already is the face crop
  // (landmarks and alignment only, as `idreg eval face --no-detect`).
  std::string position;
  // finger: an image or an ISO/IEC 19794-2 record; dna: JSON or one-person CSV; face: an image
  // (PNG, JPEG, TIFF, BMP) or an idreg-face-descriptor-v1 record; voice: audio (WAV, FLAC, OGG)
  // or an idreg voice template (*.vtpl).
  Bytes data;
  std::string source;    // a file name or label, for messages
};

struct SampleIssue {
  std::string modality, position, source, reason;
};

struct SampleQuality {
  int finger_min_quality = 20;   // the extractor's 0-100 image quality
  int finger_min_minutiae = 12;  // fewer cannot support a 1:N decision
  int dna_min_loci = 8;          // as dna::kDefaultMinLoci
};

// The networks face and voice samples need. Left null, they are loaded from the installed models
// (face: models/face-api, voice: models/voice/ubm.bin, or $IDREG_MODELS_DIR) the first time a
// sample of that modality comes, once per process.
struct SampleModels {
  std::shared_ptr<const face::FaceNetworks> face;
  std::shared_ptr<const voice::SpeakerModel> voice;
};

struct PreparedSamples {
  match::ProbeSet probes;
  // One per accepted sample, ids assigned; a face photo adds a second record, the image itself
  // (its own format, e.g. image/png), which galleries skip (doc/identification.md, "Face").
  std::vector<BiometricRecord> records;
  std::vector<SampleIssue> rejected;
};

// What the prepared records are for. kStore (enrollment, registration) gives each finger record
// its coarse search form (match::FingerRecord), so that the galleries read it instead of building
// it; kSearch (identify, verify: nothing is stored) leaves it out, which saves building a form
// nobody reads (about 1 ms a finger).
enum class SampleUse { kStore, kSearch };

PreparedSamples PrepareSamples(const std::vector<CapturedSample>& samples, const SampleQuality& quality = {},
                               SampleUse use = SampleUse::kStore);
PreparedSamples PrepareSamples(const std::vector<CapturedSample>& samples, const SampleQuality& quality,
                               const SampleModels& models, SampleUse use = SampleUse::kStore);

// "finger right_index (a.png): quality 12 below 20; dna (p.json): ..." for messages.
std::string DescribeIssues(const std::vector<SampleIssue>& issues);

}  // namespace idreg

#endif  // IDREG_WORKFLOW_SAMPLES_H_
