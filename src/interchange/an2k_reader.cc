// Reads an ANSI/NIST-ITL transaction (traditional encoding). The Type-1 record comes first and
// its content list (1.003) says which record type follows, which matters because binary records
// carry no type of their own. Every error names the record, its type and offset, and the field.
#include <cstdio>
#include <string>

#include "idreg/interchange/an2k.h"
#include "interchange/an2k_internal.h"

namespace idreg {
namespace an2k {

std::optional<int> ParseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

size_t BinaryHeaderSize(int type) {
  if (type == 7) return 5;
  if (type == 8) return 12;
  return 18;
}

std::string Quote(std::string_view s, size_t max) {
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  if (s.size() > max) out += "...";
  return out + "'";
}

Result<std::vector<ContentEntry>> ReadContentList(const An2kRecord& type1) {
  const An2kField* f = type1.Find(3);
  if (!f) return Status::InvalidArgument("record 1 (Type-1): the content list, field 1.003, is missing");
  std::vector<std::vector<std::string>> subs = f->Subfields();
  std::vector<ContentEntry> list;
  for (size_t i = 0; i < subs.size(); ++i) {
    std::string where = "field 1.003, subfield " + std::to_string(i + 1);
    if (subs[i].size() != 2) {
      return Status::InvalidArgument(where + ": expected 2 items (record type, IDC), found " +
                                     std::to_string(subs[i].size()));
    }
    std::optional<int> a = ParseDecimal(subs[i][0]), b = ParseDecimal(subs[i][1]);
    if (!a || !b) {
      return Status::InvalidArgument(where + ": " + Quote(subs[i][0]) + "/" + Quote(subs[i][1]) +
                                     " is not a pair of decimal numbers");
    }
    if (i == 0) {
      if (*a != 1) return Status::InvalidArgument(where + ": the first entry must be Type-1, found " + subs[i][0]);
      if (static_cast<size_t>(*b) != subs.size() - 1) {
        return Status::InvalidArgument(where + ": says " + std::to_string(*b) + " records follow Type-1, the list names " +
                                       std::to_string(subs.size() - 1));
      }
      continue;
    }
    if (*a == 1) return Status::InvalidArgument(where + ": a second Type-1 record");
    list.push_back({*a, *b});
  }
  return list;
}

namespace {

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(reinterpret_cast<const char*>(data)), size_(size) {}

  Result<An2kTransaction> Read() {
    An2kTransaction t;
    IDREG_ASSIGN_OR_RETURN(An2kRecord type1, ReadTagged(1, 1, 0));
    IDREG_ASSIGN_OR_RETURN(std::vector<ContentEntry> list, ReadContentList(type1));
    size_t at = type1Len_;
    t.records.push_back(std::move(type1));
    for (size_t i = 0; i < list.size(); ++i) {
      int index = static_cast<int>(i) + 2;
      int type = list[i].type;
      if (!IsAn2kRecordType(type)) {
        return Status::InvalidArgument("record " + std::to_string(index) + ": Type-" + std::to_string(type) +
                                       " (content list 1.003, subfield " + std::to_string(index) +
                                       ") is not an ANSI/NIST-ITL record type");
      }
      if (at >= size_) {
        return Status::InvalidArgument("record " + std::to_string(index) + " (Type-" + std::to_string(type) +
                                       "): the transaction ends at offset " + std::to_string(size_) + " after " +
                                       std::to_string(index - 1) + " of the " + std::to_string(list.size() + 1) +
                                       " records field 1.003 lists (truncated)");
      }
      Result<An2kRecord> r = type >= 3 && type <= 8 ? ReadBinary(type, index, at) : ReadTagged(type, index, at);
      if (!r.ok()) return r.status();
      at += recordLen_;
      t.records.push_back(std::move(r).value());
    }
    if (at != size_) {
      return Status::InvalidArgument(std::to_string(size_ - at) + " bytes follow the last record field 1.003 lists " +
                                     "(record " + std::to_string(list.size() + 1) + " ends at offset " +
                                     std::to_string(at) + ")");
    }
    IDREG_RETURN_IF_ERROR(CheckContentList(t));
    return t;
  }

  Result<An2kRecord> ReadOne(int type) {
    Result<An2kRecord> r = type >= 3 && type <= 8 ? ReadBinary(type, 1, 0) : ReadTagged(type, 1, 0);
    if (r.ok() && recordLen_ != size_) {
      return Status::InvalidArgument(std::to_string(size_ - recordLen_) + " bytes follow the Type-" +
                                     std::to_string(type) + " record");
    }
    return r;
  }

 private:
  static std::string Where(int index, int type, size_t offset) {
    return "record " + std::to_string(index) + " (Type-" + std::to_string(type) + ") at offset " +
           std::to_string(offset);
  }

  // Reads "T.N:" at `at` within [at, end); sets the tag and number, returns the offset after ':'.
  Result<size_t> ReadTag(int type, size_t at, size_t end, const std::string& where, An2kField& f) {
    size_t colon = at;
    while (colon < end && colon - at < 12 && p_[colon] != ':') ++colon;
    std::string_view tag(p_ + at, colon - at);
    if (colon >= end || p_[colon] != ':') {
      return Status::InvalidArgument(where + ", offset " + std::to_string(at) + ": expected a field tag 'T.N:', found " +
                                     Quote(std::string_view(p_ + at, std::min<size_t>(end - at, 12))));
    }
    size_t dot = tag.find('.');
    std::optional<int> t = dot == std::string_view::npos ? std::nullopt : ParseDecimal(tag.substr(0, dot));
    std::optional<int> n = dot == std::string_view::npos ? std::nullopt : ParseDecimal(tag.substr(dot + 1));
    if (!t || !n || *n == 0 || tag.size() - dot - 1 > 3) {
      return Status::InvalidArgument(where + ", offset " + std::to_string(at) + ": " + Quote(tag) +
                                     " is not a field tag (T.N)");
    }
    if (*t != type) {
      return Status::InvalidArgument(where + ", offset " + std::to_string(at) + ": field " + std::string(tag) +
                                     " belongs to Type-" + std::to_string(*t) + ", the record is Type-" +
                                     std::to_string(type) + " (content list 1.003)");
    }
    f.tag = std::string(tag);
    f.number = *n;
    return colon + 1;
  }

  Result<An2kRecord> ReadTagged(int type, int index, size_t start) {
    std::string where = Where(index, type, start);
    An2kRecord r;
    r.type = type;
    r.offset = start;
    An2kField len;
    IDREG_ASSIGN_OR_RETURN(size_t at, ReadTag(type, start, size_, where, len));
    if (len.number != 1) {
      return Status::InvalidArgument(where + ": the first field is " + len.tag + ", expected the length field " +
                                     std::to_string(type) + ".001");
    }
    size_t stop = at;
    while (stop < size_ && stop - at < 10 && p_[stop] != kAn2kGs && p_[stop] != kAn2kFs) ++stop;
    len.value.assign(p_ + at, stop - at);
    std::optional<int> n = ParseDecimal(len.value);
    if (stop >= size_ || !n) {
      return Status::InvalidArgument(where + ", field " + len.tag + ": " + Quote(len.value) +
                                     " is not a record length followed by a separator");
    }
    size_t length = static_cast<size_t>(*n);
    if (length < stop + 1 - start) {
      return Status::InvalidArgument(where + ", field " + len.tag + ": length " + std::to_string(length) +
                                     " is shorter than the length field itself");
    }
    if (length > size_ - start) {
      return Status::InvalidArgument(where + ", field " + len.tag + ": length " + std::to_string(length) + ", but only " +
                                     std::to_string(size_ - start) + " bytes remain (truncated)");
    }
    size_t end = start + length;  // one past the record's FS
    if (p_[end - 1] != kAn2kFs) {
      return Status::InvalidArgument(where + ", field " + len.tag + ": length " + std::to_string(length) +
                                     " disagrees with the content: the byte at offset " + std::to_string(end - 1) +
                                     " is " + Quote(std::string_view(p_ + end - 1, 1)) + ", not the FS ending the record" +
                                     FsHint(stop, end));
    }
    r.fields.push_back(std::move(len));
    at = stop;
    while (p_[at] == kAn2kGs) {
      An2kField f;
      IDREG_ASSIGN_OR_RETURN(size_t value_at, ReadTag(type, at + 1, end - 1, where, f));
      if (f.number == 999) {  // binary to the record's end
        f.value.assign(p_ + value_at, end - 1 - value_at);
        r.fields.push_back(std::move(f));
        at = end - 1;
        break;
      }
      size_t v = value_at;
      while (v < end - 1 && p_[v] != kAn2kGs && p_[v] != kAn2kFs) ++v;
      if (p_[v] == kAn2kFs && v != end - 1) {
        return Status::InvalidArgument(where + ", field " + f.tag + ": an FS at offset " + std::to_string(v) +
                                       " ends the record before its length " + std::to_string(length) + " (field " +
                                       r.fields[0].tag + ")");
      }
      f.value.assign(p_ + value_at, v - value_at);
      r.fields.push_back(std::move(f));
      at = v;
    }
    if (at != end - 1) {
      return Status::InvalidArgument(where + ": expected GS or FS at offset " + std::to_string(at) + ", found " +
                                     Quote(std::string_view(p_ + at, 1)));
    }
    recordLen_ = length;
    if (index == 1) type1Len_ = length;
    return r;
  }

  // When a LEN is wrong, says where the record's FS actually is (text records only).
  std::string FsHint(size_t from, size_t claimed_end) const {
    for (size_t i = from; i < size_ && i < from + (1u << 20); ++i) {
      if (p_[i] == kAn2kFs) {
        if (i + 1 == claimed_end) return "";
        return " (the first FS is at offset " + std::to_string(i) + ")";
      }
    }
    return "";
  }

  Result<An2kRecord> ReadBinary(int type, int index, size_t start) {
    std::string where = Where(index, type, start);
    size_t header = BinaryHeaderSize(type);
    if (size_ - start < 4) {
      return Status::InvalidArgument(where + ": the 4-byte length is cut off after " + std::to_string(size_ - start) +
                                     " bytes (truncated)");
    }
    const auto* u = reinterpret_cast<const uint8_t*>(p_ + start);
    uint32_t length = (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
    if (length < header) {
      return Status::InvalidArgument(where + ", LEN: length " + std::to_string(length) + " is shorter than the " +
                                     std::to_string(header) + "-byte Type-" + std::to_string(type) + " header");
    }
    if (length > size_ - start) {
      return Status::InvalidArgument(where + ", LEN: length " + std::to_string(length) + ", but only " +
                                     std::to_string(size_ - start) + " bytes remain (truncated)");
    }
    An2kRecord r;
    r.type = type;
    r.offset = start;
    r.header.assign(u + 4, u + header);
    r.data.assign(u + header, u + length);
    recordLen_ = length;
    return r;
  }

  const char* p_;
  size_t size_;
  size_t recordLen_ = 0;
  size_t type1Len_ = 0;
};

}  // namespace
}  // namespace an2k

Result<An2kRecord> ParseAn2kRecord(int type, const uint8_t* data, size_t size) {
  if (!IsAn2kRecordType(type)) return Status::InvalidArgument("Type-" + std::to_string(type) + " is not a record type");
  if (size == 0) return Status::InvalidArgument("the record is empty");
  return an2k::Reader(data, size).ReadOne(type);
}

Result<An2kTransaction> ParseAn2k(const uint8_t* data, size_t size) {
  if (size == 0) return Status::InvalidArgument("the transaction is empty");
  return an2k::Reader(data, size).Read();
}

}  // namespace idreg
