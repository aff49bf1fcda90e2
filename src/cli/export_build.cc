// Profile -> ANSI/NIST-ITL 1-2011 transaction or CBEFF XML. Field choices follow 1-2011:
// Type-2 NAM/POB/CTZ/DOB/SEX as in EBTS; Type-10 and Type-14 with their image fields and .999.
#include "cli/export_build.h"

#include <cstdio>
#include <string>

#include "idreg/finger/an2k_type9.h"
#include "idreg/finger/iso19794_2.h"
#include "idreg/interchange/an2k.h"
#include "idreg/interchange/cbeff.h"
#include "idreg/interchange/extract.h"
#include "idreg/interchange/iso19794_4.h"
#include "idreg/interchange/iso19794_5.h"

namespace idreg::cli {
namespace {

std::string Describe(const BiometricRecord& r) {
  return r.modality + (r.position.empty() ? "" : "/" + r.position) + " " + r.format;
}

// The 1-2011 compression name (field .011) of a media type, or "".
std::string CompressionName(const std::string& format) {
  if (format == "image/wsq") return "WSQ20";
  if (format == "image/jpeg") return "JPEGB";
  if (format == "image/jp2") return "JP2";
  if (format == "image/png") return "PNG";
  if (format.rfind("image/raw", 0) == 0) return "NONE";
  return "";
}

std::string Idc(int n) {
  char b[16];
  std::snprintf(b, sizeof b, "%02d", n);
  return b;
}

std::string Compact(const std::string& iso_date) {  // "2026-11-30..." -> "20261130"
  std::string d;
  for (char c : iso_date.substr(0, 10)) {
    if (c != '-') d += c;
  }
  return d.size() == 8 ? d : "";
}

An2kRecord Tagged(int type, std::vector<std::pair<int, std::string>> fields) {
  An2kRecord r;
  r.type = type;
  r.fields.push_back(An2kField::Make(type, 1, "0"));  // LEN: computed by the writer
  for (auto& [n, v] : fields) {
    if (!v.empty()) r.fields.push_back(An2kField::Make(type, n, std::move(v)));
  }
  return r;
}

}  // namespace

Result<ExportResult> BuildAn2kExport(const Profile& p, const std::string& date) {
  ExportResult out;
  An2kTransaction t;
  t.records.push_back(Tagged(1, {{2, "0500"}, {3, ""}, {4, "IDR"}, {5, date}, {7, "IDREG"}, {8, "IDREG"},
                                 {9, p.id.ToString()}, {11, "00.00"}, {12, "00.00"}}));
  std::string name = p.Attr("surname").value_or("");
  if (auto g = p.Attr("given_names")) name += "," + *g;
  std::string dob = Compact(p.Attr("birth_date").value_or(""));
  t.records.push_back(Tagged(2, {{2, "00"}, {18, name}, {20, p.Attr("place_of_birth").value_or("")},
                                 {21, p.Attr("nationality").value_or("")}, {22, dob},
                                 {24, p.Attr("sex").value_or("")}}));
  int idc = 1;
  for (const BiometricRecord& b : p.biometrics) {
    std::string cga = CompressionName(b.format);
    if (b.format == "an2k-type9" || b.format == "an2k-type18") {
      int type = b.format == "an2k-type9" ? 9 : 18;
      Result<An2kRecord> r = ParseAn2kRecord(type, b.payload.data(), b.payload.size());
      if (!r.ok()) {
        out.not_exported.push_back(Describe(b) + ": " + r.status().message());
        continue;
      }
      for (An2kField& f : r->fields) {
        if (f.number == 2) f.value = Idc(idc);
      }
      t.records.push_back(std::move(r).value());
    } else if (b.modality == "finger" && b.format == "iso19794-2") {
      // Minutiae travel as Type-9 records with EFS fields.
      Result<finger::IsoFingerRecord> iso = finger::ParseIso19794_2(b.payload);
      Result<finger::FingerTemplate> tmpl = iso.ok() ? finger::IsoToTemplate(*iso) : Result<finger::FingerTemplate>(iso.status());
      int fgp = FingerPositionCode(b.position);
      if (fgp == 0 && iso.ok() && !iso->views.empty()) fgp = iso->views[0].finger_position;
      Result<An2kRecord> r = tmpl.ok() ? finger::TemplateToType9(*tmpl, idc, fgp, 0) : Result<An2kRecord>(tmpl.status());
      if (!r.ok()) {
        out.not_exported.push_back(Describe(b) + ": " + r.status().message());
        continue;
      }
      t.records.push_back(std::move(r).value());
    } else if ((b.modality == "face" || b.modality == "finger") && !cga.empty()) {
      Result<std::pair<int, int>> size = ImagePayloadSize(b.format, b.payload);
      if (!size.ok()) {
        out.not_exported.push_back(Describe(b) + ": " + size.status().message());
        continue;
      }
      std::string hll = std::to_string(size->first), vll = std::to_string(size->second);
      std::string data(b.payload.begin(), b.payload.end());
      std::string captured = Compact(b.created_at).empty() ? date : Compact(b.created_at);
      if (b.modality == "face") {
        t.records.push_back(Tagged(10, {{2, Idc(idc)}, {3, "FACE"}, {4, "IDREG"}, {5, captured}, {6, hll}, {7, vll},
                                        {8, "0"}, {9, "1"}, {10, "1"}, {11, cga}, {12, "SRGB"},
                                        {20, b.position == "frontal" ? "F" : ""}, {999, data}}));
      } else {
        int fgp = FingerPositionCode(b.position);
        t.records.push_back(Tagged(14, {{2, Idc(idc)}, {3, "0"}, {4, "IDREG"}, {5, captured}, {6, hll}, {7, vll},
                                        {8, "1"}, {9, "500"}, {10, "500"}, {11, cga}, {12, "8"},
                                        {13, std::to_string(fgp)}, {999, data}}));
      }
    } else {
      out.not_exported.push_back(Describe(b) + ": ANSI/NIST-ITL export carries face and finger images, minutiae " +
                                 "(ISO/IEC 19794-2, as Type-9 EFS) and kept Type-9/Type-18 records only");
      continue;
    }
    ++idc;
    ++out.exported;
  }
  RebuildContentList(t);
  IDREG_ASSIGN_OR_RETURN(out.data, SerializeAn2k(t));
  return out;
}

Result<ExportResult> BuildCbeffExport(const Profile& p) {
  ExportResult out;
  CbeffDocument doc;
  for (const BiometricRecord& b : p.biometrics) {
    CbeffBir bir;
    bir.format_organization = "Mosip";
    bir.creation_date = b.created_at;
    bir.level = "Raw";
    bir.purpose = "Enroll";
    if (b.quality > 0) bir.quality = static_cast<int>(b.quality + 0.5);
    if (b.modality == "finger" && b.format == "iso19794-4") {
      bir.format_type = "7";
      bir.type = "Finger";
      bir.subtype = CbeffFingerSubtype(b.position);
      bir.bdb = b.payload;
    } else if (b.modality == "face" && b.format == "iso19794-5") {
      bir.format_type = "8";
      bir.type = "Face";
      bir.bdb = b.payload;
    } else if (b.modality == "face" && (b.format == "image/jpeg" || b.format == "image/jp2")) {
      // MOSIP carries faces as 19794-5 records: wrap the image.
      Result<std::pair<int, int>> size = ImagePayloadSize(b.format, b.payload);
      if (!size.ok()) {
        out.not_exported.push_back(Describe(b) + ": " + size.status().message());
        continue;
      }
      FaceImage f;
      f.data_type = b.format == "image/jp2" ? FaceImageDataType::kJpeg2000 : FaceImageDataType::kJpeg;
      f.width = size->first;
      f.height = size->second;
      f.quality = static_cast<int>(b.quality);
      f.image = b.payload;
      Result<Bytes> rec = WriteFaceRecord(FaceRecord{{f}});
      if (!rec.ok()) {
        out.not_exported.push_back(Describe(b) + ": " + rec.status().message());
        continue;
      }
      bir.format_type = "8";
      bir.type = "Face";
      bir.bdb = std::move(rec).value();
    } else if (b.modality == "finger" && FingerImageCompressionFor(b.format).ok()) {
      // MOSIP carries finger images as 19794-4:2011 records: wrap the image.
      Result<std::pair<int, int>> size = ImagePayloadSize(b.format, b.payload);
      Result<Bytes> rec = size.ok() ? WrapFingerImage(b.format, b.payload, size->first, size->second, 500,
                                                      FingerPositionCode(b.position), static_cast<int>(b.quality + 0.5))
                                    : Result<Bytes>(size.status());
      if (!rec.ok()) {
        out.not_exported.push_back(Describe(b) + ": " + rec.status().message());
        continue;
      }
      bir.format_type = "7";
      bir.type = "Finger";
      bir.subtype = CbeffFingerSubtype(b.position);
      bir.bdb = std::move(rec).value();
    } else {
      out.not_exported.push_back(Describe(b) + ": MOSIP CBEFF carries 19794-4 finger images and 19794-5 face " +
                                 "records; this record is neither an image nor one of those");
      continue;
    }
    doc.birs.push_back(std::move(bir));
    ++out.exported;
  }
  std::string xml = WriteCbeffXml(doc);
  out.data.assign(xml.begin(), xml.end());
  return out;
}

}  // namespace idreg::cli
