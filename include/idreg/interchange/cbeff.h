// CBEFF (ISO/IEC 19785-3) XML as MOSIP exchanges it: a root BIR (namespace
// http://standards.iso.org/iso-iec/19785/-3/ed-2/) holding one child BIR per sample, each with
// BDBInfo (format organization and type, creation date, type, subtype, level, purpose,
// quality) and the biometric data block (BDB) in base64. MOSIP's format types: 7 finger image
// (ISO/IEC 19794-4), 8 face image (19794-5), 9 iris image (19794-6). See doc/cbeff.md.
#ifndef IDREG_INTERCHANGE_CBEFF_H_
#define IDREG_INTERCHANGE_CBEFF_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"

namespace idreg {

struct CbeffBir {
  std::string index;                // BDBInfo/Index (MOSIP: a UUID), may be empty
  std::string format_organization;  // "Mosip"
  std::string format_type;          // "7", "8", "9", ...
  std::string creation_date;        // ISO 8601
  std::string type;                 // "Finger", "Face", "Iris"
  std::string subtype;              // "Right IndexFinger", "Left Thumb", ... ("" for faces)
  std::string level;                // "Raw", "Processed"
  std::string purpose;              // "Enroll", "Verify", "Identify"
  std::optional<int> quality;       // Quality/Score, 0..100
  std::string quality_organization;  // Quality/Algorithm/Organization
  std::string quality_algorithm;     // Quality/Algorithm/Type
  Bytes bdb;
  Bytes sb;  // security block, when present (kept, not checked)
};

struct CbeffDocument {
  std::vector<CbeffBir> birs;
};

// Parses the XML. Errors give the line and column, or name the BIR (1-based) and element: not
// well-formed XML, a root that is not BIR, a Score that is not 0-100, base64 that does not decode.
Result<CbeffDocument> ParseCbeffXml(std::string_view xml);

// Writes the document in MOSIP's layout (Version and CBEFFVersion 1.1, Integrity false).
std::string WriteCbeffXml(const CbeffDocument& doc);

// MOSIP's subtype for a finger position name ("right_index" -> "Right IndexFinger"), and back;
// "" when the name is not a finger position.
std::string CbeffFingerSubtype(std::string_view position);
std::string CbeffFingerPosition(std::string_view subtype);

}  // namespace idreg

#endif  // IDREG_INTERCHANGE_CBEFF_H_
