// ISO/IEC 19794-2:2005 finger minutiae records ("FMR\0", version " 20\0"): a reader that keeps
// every field (reserved bits and extended data included) so that a record writes back
// byte-identical, and conversions to and from FingerTemplate. Layout: doc/finger-iso19794-2.md.
#ifndef IDREG_FINGER_ISO19794_2_H_
#define IDREG_FINGER_ISO19794_2_H_

#include <cstdint>
#include <span>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/finger/minutia.h"

namespace idreg::finger {

struct IsoMinutia {
  uint8_t type = 0;      // 2 bits: 0 other, 1 ending, 2 bifurcation
  uint16_t x = 0;        // 14 bits
  uint8_t reserved = 0;  // the 2 bits above y
  uint16_t y = 0;        // 14 bits
  uint8_t angle = 0;     // units of 360/256 degrees, counter-clockwise
  uint8_t quality = 0;   // 0-100 (0: not reported)
};

struct IsoExtendedBlock {
  uint16_t type = 0;  // 1 ridge counts, 2 core and delta, else vendor-defined
  Bytes data;         // the block's bytes after its 4-byte header, kept opaque
};

struct IsoFingerView {
  uint8_t finger_position = 0;
  uint8_t view_number = 0;      // 4 bits
  uint8_t impression_type = 0;  // 4 bits
  uint8_t quality = 0;
  std::vector<IsoMinutia> minutiae;
  std::vector<IsoExtendedBlock> extended;
};

struct IsoFingerRecord {
  uint16_t capture_equipment = 0;  // 4 bits compliance + 12 bits equipment id, kept as read
  uint16_t width = 0;
  uint16_t height = 0;
  uint16_t x_resolution = 197;  // pixels per centimetre (197 = 500 ppi)
  uint16_t y_resolution = 197;
  uint8_t reserved = 0;
  std::vector<IsoFingerView> views;
  // Zero bytes after the record (some writers pad to a buffer size), kept so a file writes back
  // unchanged. Non-zero bytes after the record are refused.
  uint32_t padding = 0;
};

// Parses one record. InvalidArgument naming the field and offset that is short or malformed,
// e.g. "iso19794-2: truncated: extended data length of view 1 at offset 28 needs 2 bytes, 1 left".
Result<IsoFingerRecord> ParseIso19794_2(std::span<const uint8_t> bytes);

// Serialises a record (computing the record length); InvalidArgument when a field is out of range
// (more than 255 minutiae or views, coordinates above 14 bits, an oversized extended block).
Result<Bytes> WriteIso19794_2(const IsoFingerRecord& record);

// The first view as a template (coordinates rescaled to 500 ppi are NOT applied: the template
// keeps the record's pixel grid and reports its resolution).
Result<FingerTemplate> IsoToTemplate(const IsoFingerRecord& record);
// One view holding the template's minutiae, at the template's resolution.
Result<IsoFingerRecord> TemplateToIso(const FingerTemplate& tmpl);

}  // namespace idreg::finger

#endif  // IDREG_FINGER_ISO19794_2_H_
