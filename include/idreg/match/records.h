// How each modality's templates are kept in the store's biometric records, and read back when
// the galleries are built: fingers as ISO/IEC 19794-2:2005 records (format "iso19794-2", the
// position the finger's name), DNA as idreg-dna-json-v1 (dna/profile_io.h), faces as
// idreg-face-descriptor-v1 (below; the captured image is kept beside it as a second face record of
// its image format, which galleries skip), voices as the voice module's template file
// (idreg-voice-template-v1, voice/voice_template.h).
#ifndef IDREG_MATCH_RECORDS_H_
#define IDREG_MATCH_RECORDS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "idreg/dna/str_profile.h"
#include "idreg/face/networks.h"
#include "idreg/finger/gallery.h"
#include "idreg/finger/minutia.h"
#include "idreg/voice/voice_template.h"
#include "idreg/registry/profile.h"

namespace idreg::match {

inline constexpr std::string_view kFingerFormat = "iso19794-2";

// The ten finger names accepted as positions (ISO/IEC 19794-2 codes 1..10), e.g. "right_index".
bool IsFingerPosition(std::string_view name);
const std::vector<std::string_view>& FingerPositions();

// With `coarse_form` the record carries the template's coarse search form as a derived form
// (kFingerCoarseKind), built from the template as the gallery will read it back (after the ISO
// round trip), so that start-up parses it instead of building it; a record that is only searched
// with does not need it.
Result<BiometricRecord> FingerRecord(const finger::FingerTemplate& tmpl, std::string position, bool coarse_form = true);
Result<finger::FingerTemplate> FingerTemplateOf(const BiometricRecord& record);

// The finger gallery's coarse codes as stored beside a finger record (finger::SerializeCoarse,
// version finger::kCoarseFormVersion).
inline constexpr std::string_view kFingerCoarseKind = "finger-coarse";
// The coarse codes a finger gallery keeps for a template: built from at most its first 255
// minutiae (finger::FingerGallery's cap) and trimmed to the cylinders the scan compares
// (finger::GalleryCoarseTemplate); `minutiae` is the count they were built from, as the stored
// form records it. The one definition that the stored form, the start-up rebuild and the start-up
// check of stored forms share.
struct FingerGalleryCoarse {
  finger::CoarseTemplate coarse;
  size_t minutiae = 0;
};
FingerGalleryCoarse GalleryCoarseOf(const finger::FingerTemplate& tmpl);
// Builds the coarse form of a finger record's template (for records made without FingerRecord,
// and to backfill stored records).
Result<DerivedForm> FingerCoarseForm(const BiometricRecord& record);
// Sets (or replaces) the record's coarse form.
Status AttachFingerCoarseForm(BiometricRecord& record);
// The record's stored coarse codes when they are of the current version, parse, and belong to
// `tmpl` (the record's decoded template): nullopt otherwise (absent, stale, unreadable), and the
// caller builds the codes from the minutiae. `why` (optional) says which.
enum class StoredCoarse { kUsable, kMissing, kStale, kUnreadable };
std::optional<finger::CoarseTemplate> StoredCoarseOf(const BiometricRecord& record, const finger::FingerTemplate& tmpl,
                                                     StoredCoarse* why = nullptr);

BiometricRecord DnaRecord(const dna::StrProfile& profile);
Result<dna::StrProfile> DnaProfileOf(const BiometricRecord& record);

// The stored face template, 520 bytes (doc/identification.md, "Face"):
//   "IFD" 0x01                     magic and version
//   u8 model                       1 = face-api.js / dlib ResNet, 128-d (face/networks.h)
//   u8 alignment                   0 axis-aligned, 1 eyes levelled (face/pipeline.h AlignMode)
//   u16 LE dimension               128
//   128 x f32 LE                   the descriptor
inline constexpr std::string_view kFaceFormat = "idreg-face-descriptor-v1";
inline constexpr uint8_t kFaceModelDlibResnet128 = 1;

struct FaceTemplate {
  face::Descriptor descriptor{};
  uint8_t model = kFaceModelDlibResnet128;
  uint8_t alignment = 1;
};

Bytes EncodeFaceTemplate(const FaceTemplate& t);
// InvalidArgument naming what is wrong (magic, version, model, dimension, length, a value that
// is not finite).
Result<FaceTemplate> DecodeFaceTemplate(std::span<const uint8_t> bytes);
bool LooksLikeFaceTemplate(std::span<const uint8_t> bytes);  // the magic is there

// quality: 0..100. position: "frontal" unless the caller knows better.
BiometricRecord FaceRecord(const FaceTemplate& t, std::string position, double quality);
// Records of modality face whose format is the descriptor's (the others are kept images).
bool IsFaceTemplateRecord(const BiometricRecord& record);
Result<FaceTemplate> FaceTemplateOf(const BiometricRecord& record);

inline constexpr std::string_view kVoiceFormat = "idreg-voice-template-v1";
BiometricRecord VoiceRecord(const voice::VoiceTemplate& t);
Result<voice::VoiceTemplate> VoiceTemplateOf(const BiometricRecord& record);

}  // namespace idreg::match

#endif  // IDREG_MATCH_RECORDS_H_
