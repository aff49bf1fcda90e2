#include "idreg/workflow/samples.h"

#include <algorithm>

#include "idreg/dna/profile_io.h"
#include "idreg/finger/extractor.h"
#include "idreg/finger/iso19794_2.h"
#include "idreg/image/decode.h"
#include "idreg/match/records.h"

namespace idreg {
namespace {

Result<finger::FingerTemplate> FingerFrom(const Bytes& data) {
  if (data.size() >= 4 && std::equal(data.begin(), data.begin() + 4, "FMR")) {
    IDREG_ASSIGN_OR_RETURN(auto rec, finger::ParseIso19794_2(data));
    return finger::IsoToTemplate(rec);
  }
  IDREG_ASSIGN_OR_RETURN(auto image, DecodeImage(data));
  return finger::ExtractMinutiae(image);
}

}  // namespace

PreparedSamples PrepareSamples(const std::vector<CapturedSample>& samples, const SampleQuality& quality) {
  PreparedSamples out;
  for (const CapturedSample& s : samples) {
    auto reject = [&](std::string reason) { out.rejected.push_back({s.modality, s.position, s.source, std::move(reason)}); };
    if (s.modality == "finger") {
      if (!s.position.empty() && !match::IsFingerPosition(s.position)) {
        reject("unknown finger position '" + s.position + "' (expected e.g. right_index)");
        continue;
      }
      auto t = FingerFrom(s.data);
      if (!t.ok()) {
        reject(t.status().message());
        continue;
      }
      // ISO records may not report an image quality (0): then only the minutiae count decides.
      if (t->quality != 0 && t->quality < quality.finger_min_quality) {
        reject("image quality " + std::to_string(t->quality) + " is below " + std::to_string(quality.finger_min_quality));
        continue;
      }
      if (static_cast<int>(t->minutiae.size()) < quality.finger_min_minutiae) {
        reject(std::to_string(t->minutiae.size()) + " minutiae found, " + std::to_string(quality.finger_min_minutiae) +
               " needed");
        continue;
      }
      auto rec = match::FingerRecord(*t, s.position);
      if (!rec.ok()) {
        reject(rec.status().message());
        continue;
      }
      out.records.push_back(std::move(*rec));
      out.probes.fingers.push_back({std::move(*t), s.position});
    } else if (s.modality == "dna") {
      auto p = dna::ParseOneProfile(std::string_view(reinterpret_cast<const char*>(s.data.data()), s.data.size()));
      if (!p.ok()) {
        reject(p.status().message());
        continue;
      }
      if (static_cast<int>(p->loci.size()) < quality.dna_min_loci) {
        reject(std::to_string(p->loci.size()) + " loci typed, " + std::to_string(quality.dna_min_loci) + " needed");
        continue;
      }
      out.records.push_back(match::DnaRecord(*p));
      out.probes.dna.push_back(std::move(*p));
    } else {
      reject("modality '" + s.modality + "' is not supported by this build");
    }
  }
  return out;
}

std::string DescribeIssues(const std::vector<SampleIssue>& issues) {
  std::string out;
  for (const SampleIssue& i : issues) {
    if (!out.empty()) out += "; ";
    out += i.modality + (i.position.empty() ? "" : " " + i.position) + (i.source.empty() ? "" : " (" + i.source + ")") +
           ": " + i.reason;
  }
  return out;
}

}  // namespace idreg
