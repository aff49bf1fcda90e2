// The AN2K model's accessors, the content list, and the names of well-known fields.
#include <cstdio>
#include <string>

#include "idreg/interchange/an2k.h"
#include "interchange/an2k_internal.h"

namespace idreg {

std::vector<std::vector<std::string>> An2kField::Subfields() const {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> items;
  std::string item;
  for (char c : value) {
    if (c == kAn2kUs) {
      items.push_back(std::move(item));
      item.clear();
    } else if (c == kAn2kRs) {
      items.push_back(std::move(item));
      item.clear();
      out.push_back(std::move(items));
      items.clear();
    } else {
      item += c;
    }
  }
  items.push_back(std::move(item));
  out.push_back(std::move(items));
  return out;
}

An2kField An2kField::Make(int record_type, int number, std::string value) {
  char tag[32];
  std::snprintf(tag, sizeof tag, "%d.%03d", record_type, number);
  return An2kField{number, tag, std::move(value)};
}

const An2kField* An2kRecord::Find(int number) const {
  for (const An2kField& f : fields) {
    if (f.number == number) return &f;
  }
  return nullptr;
}

std::string An2kRecord::Text(int number) const {
  const An2kField* f = Find(number);
  return f ? f->value : std::string();
}

std::optional<int> An2kRecord::Idc() const {
  if (type == 1) return std::nullopt;  // Type-1 has no IDC: its field 1.002 is the version
  if (binary()) {
    if (header.empty()) return std::nullopt;
    return header[0];
  }
  const An2kField* f = Find(2);
  if (!f) return std::nullopt;
  return an2k::ParseDecimal(f->value);
}

Result<An2kBinaryImageHeader> An2kRecord::ImageHeader() const {
  if (type < 3 || type > 6) {
    return Status::InvalidArgument("Type-" + std::to_string(type) + " has no binary image header");
  }
  if (header.size() != an2k::BinaryHeaderSize(type) - 4) {
    return Status::InvalidArgument("Type-" + std::to_string(type) + " header holds " + std::to_string(header.size()) +
                                   " bytes, expected " + std::to_string(an2k::BinaryHeaderSize(type) - 4));
  }
  An2kBinaryImageHeader h;
  h.idc = header[0];
  h.impression = header[1];
  for (int i = 0; i < 6; ++i) h.positions[i] = header[2 + i];
  h.isr = header[8];
  h.width = (header[9] << 8) | header[10];
  h.height = (header[11] << 8) | header[12];
  h.compression = header[13];
  return h;
}

std::string An2kTransaction::Version() const {
  return records.empty() ? std::string() : records[0].Text(2);
}

bool IsAn2kRecordType(int type) {
  // 1-2011: 1-10, 13-21, 98, 99 (Types 3, 5, 6 and 7 are deprecated but still read);
  // the 2013 update added 11 (voice), 12 (forensic dental) and 22 (non-photographic imagery).
  return (type >= 1 && type <= 22) || type == 98 || type == 99;
}

Status CheckContentList(const An2kTransaction& t) {
  if (t.records.empty() || t.records[0].type != 1) return Status::InvalidArgument("the transaction has no Type-1 record");
  IDREG_ASSIGN_OR_RETURN(std::vector<an2k::ContentEntry> list, an2k::ReadContentList(t.records[0]));
  if (list.size() != t.records.size() - 1) {
    return Status::InvalidArgument("field 1.003 lists " + std::to_string(list.size()) + " records after Type-1, the " +
                                   "transaction has " + std::to_string(t.records.size() - 1));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const An2kRecord& r = t.records[i + 1];
    std::string where = "record " + std::to_string(i + 2) + " (content list 1.003, subfield " + std::to_string(i + 2) + ")";
    if (r.type != list[i].type) {
      return Status::InvalidArgument(where + ": listed as Type-" + std::to_string(list[i].type) + ", the record is Type-" +
                                     std::to_string(r.type));
    }
    if (!r.binary()) {
      const An2kField* f = r.Find(2);
      if (!f || !an2k::ParseDecimal(f->value)) {
        return Status::InvalidArgument(where + ": field " + std::to_string(r.type) + ".002 (IDC) is " +
                                       (f ? an2k::Quote(f->value) + ", not a number" : std::string("missing")));
      }
    }
    std::optional<int> idc = r.Idc();
    if (idc && *idc != list[i].idc) {
      return Status::InvalidArgument(where + ": listed with IDC " + std::to_string(list[i].idc) + ", the record's IDC is " +
                                     std::to_string(*idc));
    }
  }
  return Status::Ok();
}

void RebuildContentList(An2kTransaction& t) {
  if (t.records.empty()) return;
  std::string list = "1";
  list += kAn2kUs;
  list += std::to_string(t.records.size() - 1);
  for (size_t i = 1; i < t.records.size(); ++i) {
    char idc[8];
    std::snprintf(idc, sizeof idc, "%02d", t.records[i].Idc().value_or(0));
    list += kAn2kRs + std::to_string(t.records[i].type) + kAn2kUs + idc;
  }
  std::vector<An2kField>& fields = t.records[0].fields;
  for (An2kField& f : fields) {
    if (f.number == 3) {
      f.value = list;
      return;
    }
  }
  An2kField f = An2kField::Make(1, 3, list);
  size_t at = 0;
  while (at < fields.size() && fields[at].number < 3) ++at;
  fields.insert(fields.begin() + static_cast<long>(at), f);
}

std::string_view An2kFieldName(int type, int n) {
  if (n == 1) return "LEN";
  if (n == 999) return "DATA";
  if (type == 1) {
    static constexpr const char* k[] = {"", "LEN", "VER", "CNT", "TOT", "DAT", "PRY", "DAI", "ORI", "TCN", "TCR",
                                        "NSR", "NTR", "DOM", "GMT", "DCS", "APS", "ANM", "GNS"};
    return n < 19 ? k[n] : "";
  }
  if (n == 2) return "IDC";
  if (type == 2) {
    switch (n) {
      case 18: return "NAM";
      case 20: return "POB";
      case 22: return "DOB";
      case 24: return "SEX";
      case 25: return "RAC";
      case 27: return "HGT";
      case 29: return "WGT";
      case 31: return "EYE";
      case 32: return "HAI";
      default: return "";
    }
  }
  if (type == 9) {
    static constexpr const char* k[] = {"", "LEN", "IDC", "IMP", "FMT", "OFR", "FGP", "FPC", "CRP", "DLT",
                                        "MIN", "RDG", "MRC"};
    return n < 13 ? k[n] : "";
  }
  if (type == 10 || type == 13 || type == 14 || type == 15 || type == 17) {
    switch (n) {
      case 3: return type == 10 ? "IMT" : "IMP";
      case 4: return "SRC";
      case 5: return type == 10 ? "PHD" : "CAD";
      case 6: return "HLL";
      case 7: return "VLL";
      case 8: return "SLC";
      case 9: return "THPS";
      case 10: return "TVPS";
      case 11: return type == 10 ? "CGA" : "CGA";
      case 12: return type == 10 ? "CSP" : "BPX";
      case 13: return type == 14 || type == 13 ? "FGP" : (type == 10 ? "SAP" : "");
      default: return "";
    }
  }
  return "";
}

}  // namespace idreg
