#include "idreg/match/records.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
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

Result<BiometricRecord> FingerRecord(const finger::FingerTemplate& tmpl, std::string position, bool coarse_form) {
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
  if (coarse_form) IDREG_RETURN_IF_ERROR(AttachFingerCoarseForm(r));
  return r;
}

namespace {

// The template as the gallery holds it: at most 255 minutiae (finger::FingerGallery::Add).
size_t GalleryMinutiae(const finger::FingerTemplate& t) { return std::min<size_t>(t.minutiae.size(), 255); }

}  // namespace

FingerGalleryCoarse GalleryCoarseOf(const finger::FingerTemplate& tmpl) {
  const size_t n = GalleryMinutiae(tmpl);
  if (tmpl.minutiae.size() == n) return {finger::GalleryCoarseTemplate(finger::MakeCoarseTemplate(tmpl)), n};
  finger::FingerTemplate capped = tmpl;
  capped.minutiae.resize(n);
  return {finger::GalleryCoarseTemplate(finger::MakeCoarseTemplate(capped)), n};
}

Result<DerivedForm> FingerCoarseForm(const BiometricRecord& record) {
  IDREG_ASSIGN_OR_RETURN(finger::FingerTemplate t, FingerTemplateOf(record));
  const FingerGalleryCoarse g = GalleryCoarseOf(t);
  return DerivedForm{std::string(kFingerCoarseKind), finger::kCoarseFormVersion,
                     finger::SerializeCoarse(g.coarse, g.minutiae)};
}

Status AttachFingerCoarseForm(BiometricRecord& record) {
  IDREG_ASSIGN_OR_RETURN(DerivedForm form, FingerCoarseForm(record));
  std::erase_if(record.derived, [](const DerivedForm& d) { return d.kind == kFingerCoarseKind; });
  record.derived.push_back(std::move(form));
  return Status::Ok();
}

std::optional<finger::CoarseTemplate> StoredCoarseOf(const BiometricRecord& record, const finger::FingerTemplate& tmpl,
                                                     StoredCoarse* why) {
  StoredCoarse unused;
  StoredCoarse& reason = why ? *why : unused;
  reason = StoredCoarse::kMissing;
  for (const DerivedForm& d : record.derived) {
    if (d.kind != kFingerCoarseKind) continue;
    if (d.version != finger::kCoarseFormVersion) {
      reason = StoredCoarse::kStale;
      return std::nullopt;
    }
    auto parsed = finger::ParseCoarse(d.payload);
    if (!parsed.ok()) {
      // The payload's own version byte disagreeing with the row's is staleness too.
      reason = d.payload.size() > 4 && d.payload[4] != finger::kCoarseFormVersion ? StoredCoarse::kStale
                                                                                  : StoredCoarse::kUnreadable;
      return std::nullopt;
    }
    if (parsed->minutiae != GalleryMinutiae(tmpl)) {
      reason = StoredCoarse::kUnreadable;
      return std::nullopt;
    }
    reason = StoredCoarse::kUsable;
    return std::move(parsed->coarse);
  }
  return std::nullopt;
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

namespace {

constexpr uint8_t kFaceMagic[4] = {'I', 'F', 'D', 1};
constexpr size_t kFaceHeader = 8;
constexpr size_t kFaceBytes = kFaceHeader + 128 * 4;

}  // namespace

bool LooksLikeFaceTemplate(std::span<const uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == 'I' && bytes[1] == 'F' && bytes[2] == 'D';
}

Bytes EncodeFaceTemplate(const FaceTemplate& t) {
  Bytes out(kFaceBytes);
  std::memcpy(out.data(), kFaceMagic, 4);
  out[4] = t.model;
  out[5] = t.alignment;
  out[6] = 128;
  out[7] = 0;
  for (size_t i = 0; i < 128; ++i) {
    const uint32_t bits = std::bit_cast<uint32_t>(t.descriptor[i]);
    for (int b = 0; b < 4; ++b) out[kFaceHeader + 4 * i + b] = static_cast<uint8_t>(bits >> (8 * b));
  }
  return out;
}

Result<FaceTemplate> DecodeFaceTemplate(std::span<const uint8_t> bytes) {
  auto bad = [](const std::string& what) { return Status::InvalidArgument("face template: " + what); };
  if (!LooksLikeFaceTemplate(bytes)) return bad("not an idreg face template (magic IFD missing)");
  if (bytes.size() < kFaceHeader) return bad("truncated header (" + std::to_string(bytes.size()) + " bytes)");
  if (bytes[3] != 1) return bad("unsupported version " + std::to_string(bytes[3]));
  FaceTemplate t;
  t.model = bytes[4];
  if (t.model != kFaceModelDlibResnet128) return bad("unknown face model " + std::to_string(t.model));
  t.alignment = bytes[5];
  if (t.alignment > 1) return bad("unknown alignment " + std::to_string(t.alignment));
  const unsigned dim = bytes[6] | (unsigned{bytes[7]} << 8);
  if (dim != 128) return bad("dimension " + std::to_string(dim) + ", expected 128");
  if (bytes.size() != kFaceBytes) {
    return bad(std::to_string(bytes.size()) + " bytes, expected " + std::to_string(kFaceBytes));
  }
  for (size_t i = 0; i < 128; ++i) {
    uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) bits |= uint32_t{bytes[kFaceHeader + 4 * i + b]} << (8 * b);
    t.descriptor[i] = std::bit_cast<float>(bits);
    if (!std::isfinite(t.descriptor[i])) return bad("value " + std::to_string(i) + " is not finite");
  }
  return t;
}

BiometricRecord FaceRecord(const FaceTemplate& t, std::string position, double quality) {
  BiometricRecord r;
  r.id = Id::Random();
  r.modality = "face";
  r.position = position.empty() ? "frontal" : std::move(position);
  r.format = std::string(kFaceFormat);
  r.quality = std::clamp(quality, 0.0, 100.0);
  r.payload = EncodeFaceTemplate(t);
  return r;
}

bool IsFaceTemplateRecord(const BiometricRecord& record) {
  return record.modality == "face" && record.format == kFaceFormat;
}

Result<FaceTemplate> FaceTemplateOf(const BiometricRecord& record) {
  if (record.format != kFaceFormat) {
    return Status::InvalidArgument("face record " + record.id.ToString() + " has format '" + record.format +
                                   "', expected " + std::string(kFaceFormat));
  }
  auto t = DecodeFaceTemplate(record.payload);
  if (!t.ok()) return t.status().WithContext("face record " + record.id.ToString());
  return t;
}

BiometricRecord VoiceRecord(const voice::VoiceTemplate& t) {
  BiometricRecord r;
  r.id = Id::Random();
  r.modality = "voice";
  r.position = "speech";
  r.format = std::string(kVoiceFormat);
  // Quality: net speech, 100 at 30 s or more (the voice module enrolls from >= a few seconds).
  r.quality = std::clamp(100.0 * t.speech_seconds / 30.0, 0.0, 100.0);
  r.payload = voice::EncodeTemplate(t);
  return r;
}

Result<voice::VoiceTemplate> VoiceTemplateOf(const BiometricRecord& record) {
  if (record.format != kVoiceFormat) {
    return Status::InvalidArgument("voice record " + record.id.ToString() + " has format '" + record.format +
                                   "', expected " + std::string(kVoiceFormat));
  }
  auto t = voice::DecodeTemplate(record.payload);
  if (!t.ok()) return t.status().WithContext("voice record " + record.id.ToString());
  return t;
}

}  // namespace idreg::match
