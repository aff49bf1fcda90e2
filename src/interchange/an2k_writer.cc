// Writes an ANSI/NIST-ITL transaction in the traditional encoding. Lengths are recomputed; a
// LEN as written is reused when its value is still right so that round trips are byte-identical
// even for writers that padded it with zeros.
#include <string>

#include "idreg/interchange/an2k.h"
#include "interchange/an2k_internal.h"

namespace idreg {
namespace {

std::string RecordName(size_t index, int type) {
  return "record " + std::to_string(index + 1) + " (Type-" + std::to_string(type) + ")";
}

Status AppendTagged(const An2kRecord& r, size_t index, std::string& out) {
  if (r.fields.empty() || r.fields[0].number != 1) {
    return Status::InvalidArgument(RecordName(index, r.type) + ": the first field must be the length field .001");
  }
  std::string body;  // everything after the LEN value: GS-separated fields and the final FS
  for (size_t i = 1; i < r.fields.size(); ++i) {
    const An2kField& f = r.fields[i];
    if (f.number == 999 && i + 1 != r.fields.size()) {
      return Status::InvalidArgument(RecordName(index, r.type) + ": field " + f.tag + " must be the record's last");
    }
    if (f.number != 999) {
      size_t bad = f.value.find_first_of(std::string{kAn2kGs, kAn2kFs});
      if (bad != std::string::npos) {
        return Status::InvalidArgument(RecordName(index, r.type) + ", field " + f.tag + ": byte " + std::to_string(bad) +
                                       " of the value is a " + (f.value[bad] == kAn2kGs ? "GS" : "FS") + " separator");
      }
    }
    if (f.tag.find(':') != std::string::npos || f.tag.empty()) {
      return Status::InvalidArgument(RecordName(index, r.type) + ": field tag " + an2k::Quote(f.tag) + " is malformed");
    }
    body += kAn2kGs;
    body += f.tag + ":" + f.value;
  }
  body += kAn2kFs;
  const std::string head = r.fields[0].tag + ":";
  // The length counts its own digits: find the fixed point.
  size_t digits = 1;
  size_t total = 0;
  for (int pass = 0; pass < 4; ++pass) {
    total = head.size() + digits + body.size();
    size_t need = std::to_string(total).size();
    if (need == digits) break;
    digits = need;
  }
  std::string len = std::to_string(total);
  std::optional<int> written = an2k::ParseDecimal(r.fields[0].value);
  if (written && static_cast<size_t>(*written) == head.size() + r.fields[0].value.size() + body.size()) {
    len = r.fields[0].value;  // e.g. "0191": still right, keep it as written
  }
  out += head + len + body;
  return Status::Ok();
}

Status AppendBinary(const An2kRecord& r, size_t index, std::string& out) {
  size_t header = an2k::BinaryHeaderSize(r.type);
  if (r.header.size() + 4 != header) {
    return Status::InvalidArgument(RecordName(index, r.type) + ": the header holds " + std::to_string(r.header.size()) +
                                   " bytes after LEN, Type-" + std::to_string(r.type) + " needs " +
                                   std::to_string(header - 4));
  }
  uint64_t length = 4 + r.header.size() + r.data.size();
  if (length > 0xFFFFFFFFu) return Status::InvalidArgument(RecordName(index, r.type) + ": larger than 4 GiB");
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((length >> shift) & 0xFF);
  out.append(r.header.begin(), r.header.end());
  out.append(r.data.begin(), r.data.end());
  return Status::Ok();
}

}  // namespace

Result<Bytes> SerializeAn2kRecord(const An2kRecord& r) {
  if (!IsAn2kRecordType(r.type)) return Status::InvalidArgument(RecordName(0, r.type) + ": not a record type");
  std::string out;
  IDREG_RETURN_IF_ERROR(r.binary() ? AppendBinary(r, 0, out) : AppendTagged(r, 0, out));
  return Bytes(out.begin(), out.end());
}

Result<Bytes> SerializeAn2k(const An2kTransaction& t) {
  IDREG_RETURN_IF_ERROR(CheckContentList(t));
  std::string out;
  for (size_t i = 0; i < t.records.size(); ++i) {
    const An2kRecord& r = t.records[i];
    if (!IsAn2kRecordType(r.type)) {
      return Status::InvalidArgument(RecordName(i, r.type) + ": not an ANSI/NIST-ITL record type");
    }
    IDREG_RETURN_IF_ERROR(r.binary() ? AppendBinary(r, i, out) : AppendTagged(r, i, out));
  }
  return Bytes(out.begin(), out.end());
}

}  // namespace idreg
