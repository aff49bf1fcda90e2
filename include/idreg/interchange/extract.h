// What an interchange file holds, in idreg's terms: the identity attributes it states and one
// sample per biometric image or record, each with modality, position and media type, plus a
// note for every part that cannot be used and why. The registry-facing mapping (provenance,
// encounters) is the caller's; this module knows formats, not profiles.
#ifndef IDREG_INTERCHANGE_EXTRACT_H_
#define IDREG_INTERCHANGE_EXTRACT_H_

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/interchange/an2k.h"

namespace idreg {

struct InterchangeSample {
  std::string modality;  // "face", "finger", "dna"
  std::string position;  // "right_index", "frontal", "latent", ...; may be empty
  // "image/wsq", "image/jpeg", "image/png", "image/jp2", "image/raw;width=W;height=H",
  // "iso19794-4", "iso19794-5", "an2k-type9" (the record's bytes), "an2k-type18"
  std::string format;
  std::optional<double> quality;  // 0..100 when the file states one
  double ppi = 0;                 // when the file states it
  Bytes payload;
  std::string source;  // where it came from, e.g. "record 3 (Type-14)"
};

struct InterchangeNote {
  std::string source;  // "record 5 (Type-15)", "BIR 3", "field 2.073"
  std::string reason;
};

struct InterchangeContent {
  std::string format;  // "ANSI/NIST-ITL 0400", "CBEFF XML", "ISO/IEC 19794-5"
  std::string attribute_source;  // e.g. "ANSI/NIST Type-2": what the attributes' provenance should say
  std::vector<std::pair<std::string, std::string>> attributes;  // surname, given_names, birth_date, sex, ...
  std::vector<InterchangeSample> samples;
  std::vector<InterchangeNote> unused;
};

// Recognises the format (ANSI/NIST-ITL traditional encoding, CBEFF XML, a 19794-5 record or a
// DG2) and extracts its content. InvalidArgument when the format is unknown or malformed.
Result<InterchangeContent> ExtractInterchange(std::span<const uint8_t> bytes);

// The same for a parsed transaction.
InterchangeContent ExtractAn2k(const An2kTransaction& t);

// Width and height of an image payload of the given media type (image/wsq, image/png,
// image/jpeg, image/jp2, image/raw;width=W;height=H), from its header only.
Result<std::pair<int, int>> ImagePayloadSize(const std::string& format, std::span<const uint8_t> payload);

// ANSI/NIST-ITL finger position codes (Table 8 of 1-2011) and idreg's position names.
std::string FingerPositionName(int code);  // 2 -> "right_index"; unknown -> "fgp_N"
int FingerPositionCode(const std::string& name);  // "right_index" -> 2; unknown -> 0

}  // namespace idreg

#endif  // IDREG_INTERCHANGE_EXTRACT_H_
