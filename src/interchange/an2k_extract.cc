// From an ANSI/NIST-ITL transaction to idreg's terms: Type-2 names and dates, faces from
// Type-10, fingerprints from Types 4, 13 and 14 by finger position, Type-9 minutiae and Type-18
// DNA kept whole as records; every other record, and every Type-2 field not mapped, is noted.
#include <string>

#include "idreg/image/wsq.h"
#include "idreg/interchange/extract.h"

namespace idreg {
namespace {

std::string RecordSource(size_t index, int type) {
  return "record " + std::to_string(index + 1) + " (Type-" + std::to_string(type) + ")";
}

std::string FirstItem(const An2kRecord& r, int field) {
  const An2kField* f = r.Find(field);
  return f ? f->Subfields()[0][0] : std::string();
}

// "19560301" -> "1956-03-01"; "" when not a date.
std::string IsoDate(const std::string& d) {
  if (d.size() != 8) return "";
  for (char c : d) {
    if (c < '0' || c > '9') return "";
  }
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

// Compression names of fields 10.011, 13.011, 14.011 (1-2011 Table 15) and the binary codes of
// Type-4 (0 none, 1 WSQ, 2 JPEGB, 3 JPEGL, 4 JP2, 5 JP2L, 6 PNG).
std::string MediaTypeFor(std::string cga, int width, int height) {
  for (char& c : cga) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (cga == "WSQ20" || cga == "WSQ" || cga == "1") return "image/wsq";
  if (cga == "JPEGB" || cga == "JPEGL" || cga == "2" || cga == "3") return "image/jpeg";
  if (cga == "JP2" || cga == "JP2L" || cga == "4" || cga == "5") return "image/jp2";
  if (cga == "PNG" || cga == "6") return "image/png";
  if (cga == "NONE" || cga == "0") {
    return "image/raw;width=" + std::to_string(width) + ";height=" + std::to_string(height);
  }
  return "";
}

int Number(const An2kRecord& r, int field) {
  std::string v = FirstItem(r, field);
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(v);
}

// Pixels per inch from SLC (1: per inch, 2: per centimetre) and THPS.
double Ppi(const An2kRecord& r) {
  int slc = Number(r, 8), thps = Number(r, 9);
  if (slc == 1) return thps;
  if (slc == 2) return thps * 2.54;
  return 0;
}

void AddType2(const An2kRecord& r, size_t index, InterchangeContent& c) {
  std::vector<std::string> unmapped;
  for (const An2kField& f : r.fields) {
    if (f.number <= 2) continue;
    std::string v = f.Subfields()[0][0];
    if (f.number == 18 && !v.empty()) {  // NAM: SURNAME,GIVEN NAMES
      size_t comma = v.find(',');
      c.attributes.emplace_back("surname", v.substr(0, comma));
      if (comma != std::string::npos && comma + 1 < v.size()) c.attributes.emplace_back("given_names", v.substr(comma + 1));
    } else if (f.number == 22 && !IsoDate(v).empty()) {  // DOB
      c.attributes.emplace_back("birth_date", IsoDate(v));
    } else if (f.number == 24 && (v == "M" || v == "F" || v == "X")) {  // SEX
      c.attributes.emplace_back("sex", v);
    } else if (f.number == 20 && !v.empty()) {  // POB
      c.attributes.emplace_back("place_of_birth", v);
    } else if (f.number == 21 && !v.empty()) {  // CTZ
      c.attributes.emplace_back("nationality", v);
    } else {
      unmapped.push_back(f.tag);
    }
  }
  if (!unmapped.empty()) {
    std::string list;
    for (const std::string& t : unmapped) list += (list.empty() ? "" : ", ") + t;
    c.unused.push_back({RecordSource(index, 2), "fields " + list + " are not mapped to attributes (kept only in the "
                                                "transaction)"});
  }
}

void AddImage(const An2kRecord& r, size_t index, InterchangeContent& c) {
  std::string source = RecordSource(index, r.type);
  InterchangeSample s;
  s.source = source;
  if (r.type == 4) {
    Result<An2kBinaryImageHeader> h = r.ImageHeader();
    if (!h.ok()) return c.unused.push_back({source, h.status().message()});
    s.modality = "finger";
    s.position = FingerPositionName(h->positions[0]);
    s.format = MediaTypeFor(std::to_string(h->compression), h->width, h->height);
    if (s.format.empty()) return c.unused.push_back({source, "compression code " + std::to_string(h->compression) +
                                                                 " is not one idreg reads"});
    s.payload = r.data;
    if (s.format == "image/wsq") {
      if (auto wh = ReadWsqHeader(s.payload); wh.ok()) s.ppi = wh->ppi;
    }
  } else {
    const An2kField* data = r.Find(999);
    if (!data || data->value.empty()) return c.unused.push_back({source, "no image data (field .999)"});
    if (r.type == 10) {
      std::string imt = FirstItem(r, 3);
      if (imt != "FACE") return c.unused.push_back({source, "image type '" + imt + "' is not a face"});
      s.modality = "face";
      std::string pos = FirstItem(r, 20);
      s.position = pos.empty() || pos == "F" ? "frontal" : pos == "R" ? "right_profile" : pos == "L" ? "left_profile"
                                                                                                        : "pose_" + pos;
    } else {
      s.modality = "finger";
      s.position = r.type == 13 ? "latent" : FingerPositionName(Number(r, 13));
      // 14.024 FQM: position, quality 0-100 (254/255: not computed / failed), vendor, product.
      if (const An2kField* q = r.Find(24)) {
        std::vector<std::string> items = q->Subfields()[0];
        if (items.size() >= 2 && !items[1].empty() && items[1].size() <= 3 &&
            items[1].find_first_not_of("0123456789") == std::string::npos && std::stoi(items[1]) <= 100) {
          s.quality = std::stoi(items[1]);
        }
      }
    }
    s.format = MediaTypeFor(FirstItem(r, 11), Number(r, 6), Number(r, 7));
    if (s.format.empty()) {
      return c.unused.push_back({source, "compression '" + FirstItem(r, 11) + "' (field " + std::to_string(r.type) +
                                             ".011) is not one idreg reads"});
    }
    s.ppi = Ppi(r);
    s.payload.assign(data->value.begin(), data->value.end());
  }
  c.samples.push_back(std::move(s));
}

void AddWholeRecord(const An2kRecord& r, size_t index, const char* modality, InterchangeContent& c) {
  Result<Bytes> bytes = SerializeAn2kRecord(r);
  if (!bytes.ok()) return c.unused.push_back({RecordSource(index, r.type), bytes.status().message()});
  InterchangeSample s;
  s.source = RecordSource(index, r.type);
  s.modality = modality;
  s.format = "an2k-type" + std::to_string(r.type);
  if (r.type == 9) {
    int fgp = Number(r, 6);
    s.position = fgp ? FingerPositionName(fgp) : "";
  }
  s.payload = std::move(bytes).value();
  c.samples.push_back(std::move(s));
}

}  // namespace

std::string FingerPositionName(int code) {
  static const char* kNames[] = {"unknown",     "right_thumb",      "right_index",     "right_middle",
                                 "right_ring",  "right_little",     "left_thumb",      "left_index",
                                 "left_middle", "left_ring",        "left_little",     "plain_right_thumb",
                                 "plain_left_thumb", "plain_right_four", "plain_left_four", "plain_thumbs"};
  if (code >= 0 && code <= 15) return kNames[code];
  return "fgp_" + std::to_string(code);
}

int FingerPositionCode(const std::string& name) {
  for (int i = 1; i <= 15; ++i) {
    if (FingerPositionName(i) == name) return i;
  }
  return 0;
}

InterchangeContent ExtractAn2k(const An2kTransaction& t) {
  InterchangeContent c;
  c.format = "ANSI/NIST-ITL " + t.Version();
  c.attribute_source = "ANSI/NIST Type-2";
  for (size_t i = 1; i < t.records.size(); ++i) {
    const An2kRecord& r = t.records[i];
    switch (r.type) {
      case 2: AddType2(r, i, c); break;
      case 4: case 10: case 13: case 14: AddImage(r, i, c); break;
      case 9: AddWholeRecord(r, i, "finger", c); break;
      case 18: AddWholeRecord(r, i, "dna", c); break;
      case 3: case 5: case 6: c.unused.push_back({RecordSource(i, r.type), "low-resolution or binary fingerprint "
                                                  "images (deprecated types) are not imported"}); break;
      case 11: c.unused.push_back({RecordSource(i, r.type), "voice records are not mapped yet"}); break;
      case 15: c.unused.push_back({RecordSource(i, r.type), "palm prints are not a modality idreg holds"}); break;
      case 17: c.unused.push_back({RecordSource(i, r.type), "iris images are not a modality idreg holds yet"}); break;
      default:
        c.unused.push_back({RecordSource(i, r.type), "Type-" + std::to_string(r.type) + " records are not imported"});
    }
  }
  return c;
}

}  // namespace idreg
