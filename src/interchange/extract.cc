// Format recognition for `idreg import`, and the CBEFF and 19794-5 extractions. An ANSI/NIST
// transaction starts with "1.0" (its Type-1 LEN tag), a 19794-5 record with "FAC\0", a DG2 with
// the BER tag 0x75, CBEFF XML with '<' after optional whitespace or a byte-order mark.
#include <cstring>
#include <string>

#include "idreg/interchange/cbeff.h"
#include "idreg/interchange/extract.h"
#include "idreg/interchange/iso19794_4.h"
#include "idreg/interchange/iso19794_5.h"

namespace idreg {
namespace {

InterchangeContent ExtractCbeff(const CbeffDocument& doc) {
  InterchangeContent c;
  c.format = "CBEFF XML";
  for (size_t i = 0; i < doc.birs.size(); ++i) {
    const CbeffBir& b = doc.birs[i];
    std::string source = "BIR " + std::to_string(i + 1);
    InterchangeSample s;
    s.source = source;
    if (b.quality) s.quality = *b.quality;
    s.payload = b.bdb;
    if (b.type == "Finger") {
      s.modality = "finger";
      s.position = CbeffFingerPosition(b.subtype);
      if (s.position.empty()) s.position = b.subtype;
      if (b.format_type == "7") {
        // MOSIP's finger images are 19794-4 records: unwrap them, so that the images enroll and match.
        Result<FingerImageRecord> rec = ParseFingerImageRecord(b.bdb);
        if (!rec.ok()) {
          c.unused.push_back({source, rec.status().message()});
          continue;
        }
        for (size_t k = 0; k < rec->images.size(); ++k) {
          const FingerImage& f = rec->images[k];
          InterchangeSample part = s;
          if (rec->images.size() > 1) part.source = source + " image " + std::to_string(k + 1);
          part.format = f.MediaType();
          if (part.format.empty()) {
            c.unused.push_back({part.source, "19794-4 image with bit-packed or deeper than 8-bit pixels"});
            continue;
          }
          if (f.position != 0) part.position = FingerPositionName(f.position);
          if (f.quality > 0 && f.quality <= 100) part.quality = f.quality;
          double rate = f.scale_units == 2 ? f.image_ppi_h * 2.54 : f.image_ppi_h;
          if (rate > 0) part.ppi = rate;
          part.payload = f.image;
          c.samples.push_back(std::move(part));
        }
        continue;
      }
      s.format = b.format_type == "257" ? "iso19794-2" : "";
    } else if (b.type == "Face") {
      s.modality = "face";
      s.position = "frontal";
      s.format = b.format_type == "8" ? "iso19794-5" : "";
    } else {
      c.unused.push_back({source, "type '" + b.type + "' is not a modality idreg holds"});
      continue;
    }
    if (s.format.empty()) {
      c.unused.push_back({source, "format " + b.format_organization + "/" + b.format_type + " is not one idreg reads"});
      continue;
    }
    c.samples.push_back(std::move(s));
  }
  return c;
}

InterchangeContent ExtractFace(const FaceRecord& rec) {
  InterchangeContent c;
  c.format = "ISO/IEC 19794-5";
  for (size_t i = 0; i < rec.images.size(); ++i) {
    const FaceImage& f = rec.images[i];
    InterchangeSample s;
    s.source = "image " + std::to_string(i + 1);
    s.modality = "face";
    s.position = "frontal";
    s.format = f.MediaType();
    if (f.quality > 0 && f.quality <= 100) s.quality = f.quality;
    s.payload = f.image;
    c.samples.push_back(std::move(s));
  }
  return c;
}

}  // namespace

Result<InterchangeContent> ExtractInterchange(std::span<const uint8_t> bytes) {
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "1.0", 3) == 0) {
    IDREG_ASSIGN_OR_RETURN(An2kTransaction t, ParseAn2k(bytes.data(), bytes.size()));
    return ExtractAn2k(t);
  }
  if ((bytes.size() >= 4 && std::memcmp(bytes.data(), "FAC", 4) == 0) || (!bytes.empty() && bytes[0] == 0x75)) {
    IDREG_ASSIGN_OR_RETURN(FaceRecord rec, ParseFaceRecordOrDg2(bytes));
    return ExtractFace(rec);
  }
  size_t at = 0;
  if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) at = 3;
  while (at < bytes.size() && (bytes[at] == ' ' || bytes[at] == '\n' || bytes[at] == '\r' || bytes[at] == '\t')) ++at;
  if (at < bytes.size() && bytes[at] == '<') {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()) + at, bytes.size() - at);
    IDREG_ASSIGN_OR_RETURN(CbeffDocument doc, ParseCbeffXml(text));
    return ExtractCbeff(doc);
  }
  return Status::InvalidArgument("not a format idreg imports: expected an ANSI/NIST-ITL transaction (starting "
                                 "\"1.0\"), CBEFF XML, an ISO/IEC 19794-5 record or an ePassport DG2");
}

}  // namespace idreg
