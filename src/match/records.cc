#include "idreg/match/records.h"

#include <algorithm>
#include <string>

#include "idreg/dna/profile_io.h"
#include "idreg/finger/iso19794_2.h"

namespace idreg::match {

const std::vector<std::string_view>& FingerPositions() {
  static const std::vector<std::string_view> kNames = {
      "right_thumb", "right_index", "right_middle", "right_ring", "right_little",
      "left_thumb",  "left_index",  "left_middle",  "left_ring",  "left_little"};
  return kNames;
}

bool IsFingerPosition(std::string_view name) {
  const auto& names = FingerPositions();
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<BiometricRecord> FingerRecord(const finger::FingerTemplate& tmpl, std::string position) {
  IDREG_ASSIGN_OR_RETURN(finger::IsoFingerRecord iso, finger::TemplateToIso(tmpl));
  const auto& names = FingerPositions();
  if (auto it = std::find(names.begin(), names.end(), position); it != names.end() && !iso.views.empty()) {
    iso.views[0].finger_position = static_cast<uint8_t>(1 + (it - names.begin()));
  }
  BiometricRecord r;
  r.id = Id::Random();
  r.modality = "finger";
  r.position = std::move(position);
  r.format = std::string(kFingerFormat);
  r.quality = std::clamp(tmpl.quality, 0, 100);
  IDREG_ASSIGN_OR_RETURN(r.payload, finger::WriteIso19794_2(iso));
  return r;
}

Result<finger::FingerTemplate> FingerTemplateOf(const BiometricRecord& record) {
  if (record.format != kFingerFormat) {
    return Status::InvalidArgument("finger record " + record.id.ToString() + " has format '" + record.format +
                                   "', expected " + std::string(kFingerFormat));
  }
  auto iso = finger::ParseIso19794_2(record.payload);
  if (!iso.ok()) return iso.status().WithContext("finger record " + record.id.ToString());
  return finger::IsoToTemplate(*iso);
}

BiometricRecord DnaRecord(const dna::StrProfile& profile) {
  BiometricRecord r;
  r.id = Id::Random();
  r.modality = "dna";
  r.position = "profile";
  r.format = std::string(dna::kDnaJsonFormat);
  // Quality: the share of the 20 CODIS core loci typed, a rough measure of how much a profile says.
  r.quality = std::min(100.0, 5.0 * static_cast<double>(profile.loci.size()));
  std::string json = dna::ProfileToJson(profile, /*indent=*/false);
  r.payload.assign(json.begin(), json.end());
  return r;
}

Result<dna::StrProfile> DnaProfileOf(const BiometricRecord& record) {
  if (record.format != dna::kDnaJsonFormat && record.format != "application/json") {
    return Status::InvalidArgument("dna record " + record.id.ToString() + " has format '" + record.format +
                                   "', expected " + std::string(dna::kDnaJsonFormat));
  }
  auto p = dna::ParseProfileJson(
      std::string_view(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()));
  if (!p.ok()) return p.status().WithContext("dna record " + record.id.ToString());
  return p;
}

}  // namespace idreg::match
