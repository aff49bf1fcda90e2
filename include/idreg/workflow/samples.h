// Captured samples -> quality-checked templates, ready both to search with (match::ProbeSet) and
// to store (BiometricRecord). A sample that fails its quality check is reported with the reason
// and left out; it is never enrolled.
#ifndef IDREG_WORKFLOW_SAMPLES_H_
#define IDREG_WORKFLOW_SAMPLES_H_

#include <string>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/match/engine.h"
#include "idreg/registry/profile.h"

namespace idreg {

struct CapturedSample {
  std::string modality;  // "finger", "dna"
  std::string position;  // finger name (match/records.h), may be empty for a search probe
  Bytes data;            // finger: an image or an ISO/IEC 19794-2 record; dna: JSON or one-person CSV
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

struct PreparedSamples {
  match::ProbeSet probes;
  std::vector<BiometricRecord> records;  // one per accepted sample, ids assigned
  std::vector<SampleIssue> rejected;
};

PreparedSamples PrepareSamples(const std::vector<CapturedSample>& samples, const SampleQuality& quality = {});

// "finger right_index (a.png): quality 12 below 20; dna (p.json): ..." for messages.
std::string DescribeIssues(const std::vector<SampleIssue>& issues);

}  // namespace idreg

#endif  // IDREG_WORKFLOW_SAMPLES_H_
