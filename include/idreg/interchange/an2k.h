// ANSI/NIST-ITL 1-2011 transactions in the traditional encoding (versions 0200 to 0600):
// a Type-1 record whose content list (field 1.003) names every following record, then the
// records themselves. Tagged records (Types 1, 2, 9-22, 98, 99) are "T.NNN:value" fields
// separated by GS and ended by FS, values split into subfields by RS and items by US; field
// .999 holds binary data up to the record's end. Binary records (Types 3-8) start with a 4-byte
// big-endian length and a fixed header. See doc/an2k.md.
//
// The model keeps every byte it read (tags as written, e.g. "1.01"; values with their
// separators), so SerializeAn2k(ParseAn2k(x)) == x for every well-formed x.
#ifndef IDREG_INTERCHANGE_AN2K_H_
#define IDREG_INTERCHANGE_AN2K_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"

namespace idreg {

// The information separators of the traditional encoding.
inline constexpr char kAn2kFs = 0x1C;  // ends a record
inline constexpr char kAn2kGs = 0x1D;  // separates fields
inline constexpr char kAn2kRs = 0x1E;  // separates subfields
inline constexpr char kAn2kUs = 0x1F;  // separates items

struct An2kField {
  int number = 0;     // 1 for "10.001", 999 for "10.999"
  std::string tag;    // as written before ':', e.g. "1.01" or "10.999"
  std::string value;  // raw bytes; RS/US separators included; binary for .999

  // Subfields split on RS, each split into items on US.
  std::vector<std::vector<std::string>> Subfields() const;
  // A field tagged "T.NNN" (three-digit number, as 1-2011 writes it).
  static An2kField Make(int record_type, int number, std::string value);
};

// The fixed header of binary image Types 3-6 (the bytes after LEN).
struct An2kBinaryImageHeader {
  int idc = 0;
  int impression = 0;
  std::array<int, 6> positions{};  // finger positions, 255 = unused
  int isr = 0;                     // image scanning resolution flag
  int width = 0;                   // HLL
  int height = 0;                  // VLL
  int compression = 0;             // GCA/CGA: 0 none, 1 WSQ, ...
};

struct An2kRecord {
  int type = 0;
  size_t offset = 0;  // where the record started in the parsed transaction (informational)
  // Tagged records: every field in order, the first being LEN (.001).
  std::vector<An2kField> fields;
  // Binary records (Types 3-8): the header bytes after the 4-byte LEN, then the data.
  Bytes header;
  Bytes data;

  bool binary() const { return type >= 3 && type <= 8; }
  const An2kField* Find(int number) const;
  // The value of field `number`, or "" when absent.
  std::string Text(int number) const;
  // The image designation character: field .002 of tagged records, header byte 0 of binary ones.
  std::optional<int> Idc() const;
  // Types 3-6 only: the decoded fixed header.
  Result<An2kBinaryImageHeader> ImageHeader() const;
};

struct An2kTransaction {
  std::vector<An2kRecord> records;  // records[0] is the Type-1 record

  // Field 1.002, e.g. "0400".
  std::string Version() const;
};

// Parses a whole transaction. Errors name the record (1-based, with its type and offset) and
// the field: a LEN that disagrees with the content, a content list that does not match the
// records, record types ANSI/NIST-ITL does not define, truncation and trailing bytes.
Result<An2kTransaction> ParseAn2k(const uint8_t* data, size_t size);
inline Result<An2kTransaction> ParseAn2k(const Bytes& b) { return ParseAn2k(b.data(), b.size()); }

// Writes the transaction, recomputing every record's LEN (a LEN as written is kept when its value
// is still right, so leading zeros survive). Fails when a value holds a separator it may not
// (GS or FS outside .999), when a binary header has the wrong size, or when the content list
// does not describe the records.
Result<Bytes> SerializeAn2k(const An2kTransaction& t);

// One record alone (a Type-9 or Type-18 kept as a biometric record's payload): the bytes of
// exactly one record of the given type, and back.
Result<An2kRecord> ParseAn2kRecord(int type, const uint8_t* data, size_t size);
Result<Bytes> SerializeAn2kRecord(const An2kRecord& record);

// Checks field 1.003 against the records (count, types and IDCs), naming the first difference.
Status CheckContentList(const An2kTransaction& t);

// Rewrites field 1.003 from the records (for transactions built in memory).
void RebuildContentList(An2kTransaction& t);

// True for the record types ANSI/NIST-ITL 1-2011 (with its 2013 update) defines.
bool IsAn2kRecordType(int type);

// A short name for well-known fields ("LEN", "IDC", "NAM", "DAT", ...), or "".
std::string_view An2kFieldName(int record_type, int field_number);

}  // namespace idreg

#endif  // IDREG_INTERCHANGE_AN2K_H_
