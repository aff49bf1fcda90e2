// How each modality's templates are kept in the store's biometric records, and read back when
// the galleries are built: fingers as ISO/IEC 19794-2:2005 records (format "iso19794-2", the
// position the finger's name), DNA as idreg-dna-json-v1 (dna/profile_io.h).
#ifndef IDREG_MATCH_RECORDS_H_
#define IDREG_MATCH_RECORDS_H_

#include <string_view>

#include "idreg/dna/str_profile.h"
#include "idreg/finger/minutia.h"
#include "idreg/registry/profile.h"

namespace idreg::match {

inline constexpr std::string_view kFingerFormat = "iso19794-2";

// The ten finger names accepted as positions (ISO/IEC 19794-2 codes 1..10), e.g. "right_index".
bool IsFingerPosition(std::string_view name);
const std::vector<std::string_view>& FingerPositions();

Result<BiometricRecord> FingerRecord(const finger::FingerTemplate& tmpl, std::string position);
Result<finger::FingerTemplate> FingerTemplateOf(const BiometricRecord& record);

BiometricRecord DnaRecord(const dna::StrProfile& profile);
Result<dna::StrProfile> DnaProfileOf(const BiometricRecord& record);

}  // namespace idreg::match

#endif  // IDREG_MATCH_RECORDS_H_
