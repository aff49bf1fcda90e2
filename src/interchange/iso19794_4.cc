// ISO/IEC 19794-4 finger image records, 2005 and 2011 editions: reader and writer.
// 2005 ("FIR\0" "010\0"), general header 32 bytes:
//   record length(6) device id(2) acquisition level(2) finger count(1) scale units(1)
//   scan resolution h/v(2+2) image resolution h/v(2+2) pixel depth(1) compression(1) reserved(2)
//   per view, 14 bytes + image: block length(4) position(1) view count(1) view number(1)
//   quality(1) impression(1) width(2) height(2) reserved(1)
// 2011 ("FIR\0" "020\0"), general header 16 bytes:
//   record length(4) representation count(2) certification flag(1) distinct positions(1)
//   per representation: length(4) capture date-time(9: year(2) month day hour minute second(1 each)
//   millisecond(2)) device technology(1) vendor(2) type(2) quality blocks(1 + 5 each)
//   [certification blocks(1 + 3 each) when the flag is set] position(1) representation number(1)
//   scale units(1) capture sampling h/v(2+2) image sampling h/v(2+2) bit depth(1) compression(1)
//   impression(1) width(2) height(2) image length(4) image, extended data blocks to the end.
#include "idreg/interchange/iso19794_4.h"

#include <set>
#include <string>

#include "idreg/interchange/media_image.h"
#include "interchange/big_endian.h"

namespace idreg {
namespace {

using interchange_internal::In;
using interchange_internal::Put;

constexpr size_t kHeader2005 = 32;
constexpr size_t kViewHeader2005 = 14;
constexpr size_t kHeader2011 = 16;
constexpr size_t kFixedRepresentation2011 = 4 + 9 + 5 + 1 + 18 + 4;  // without quality/certification blocks

Status Fits(const std::string& where, const char* field, int64_t v, int bytes) {
  int64_t max = bytes >= 8 ? INT64_MAX : (int64_t{1} << (8 * bytes)) - 1;
  if (v < 0 || v > max) {
    return Status::InvalidArgument(where + ": " + field + " " + std::to_string(v) + " does not fit " +
                                   std::to_string(bytes) + " byte(s)");
  }
  return Status::Ok();
}

// The general header is present and the record length at offset 8 (6 bytes in 2005, 4 in 2011)
// equals the data's; leaves `in` after the length.
Status CheckRecordLength(std::span<const uint8_t> bytes, In& in, const char* edition, size_t header, int length_bytes) {
  const std::string what = std::string("19794-4 (") + edition + "): ";
  if (bytes.size() < header) {
    return Status::InvalidArgument(what + std::to_string(bytes.size()) + " bytes, shorter than the " +
                                   std::to_string(header) + "-byte general header (truncated)");
  }
  in.at = 8;
  const uint64_t length = in.U(length_bytes);
  if (length != bytes.size()) {
    return Status::InvalidArgument(what + "the record length at offset 8 says " + std::to_string(length) +
                                   " bytes, the data holds " + std::to_string(bytes.size()) +
                                   (length > bytes.size() ? " (truncated)" : ""));
  }
  return Status::Ok();
}

// One view (2005) or representation (2011) starting at in.at: its fixed part is there and its
// length field (4 bytes, read) fits the data that remains. Returns where the block ends.
struct BlockNames {
  const char* header;  // "finger header"
  const char* length;  // "block length"
  std::string truncation;  // what "truncated" adds, e.g. how many blocks the header announced
};
Result<size_t> BlockEnd(std::span<const uint8_t> bytes, In& in, const std::string& where, size_t fixed,
                        const BlockNames& names) {
  if (in.remaining() < fixed) {
    return Status::InvalidArgument(where + ": the " + names.header + " is cut off after " +
                                   std::to_string(in.remaining()) + " bytes (truncated" + names.truncation + ")");
  }
  const size_t start = in.at;
  const uint64_t block = in.U(4);
  if (block < fixed || block > bytes.size() - start) {
    return Status::InvalidArgument(where + ": " + names.length + " " + std::to_string(block) +
                                   " does not fit (at least " + std::to_string(fixed) + ", " +
                                   std::to_string(bytes.size() - start) + " bytes remain)");
  }
  return start + block;
}

Status CheckNonZeroSize(const std::string& where, int width, int height) {
  if (width == 0 || height == 0) {
    return Status::InvalidArgument(where + ": the image is " + std::to_string(width) + "x" + std::to_string(height) +
                                   " pixels (a zero line length)");
  }
  return Status::Ok();
}

// 2005 numbers JPEG 2000 as 4 and PNG as 5; 2011 splits JPEG 2000 into 4 (lossy) and 5
// (lossless) and moves PNG to 6.
Result<FingerImageCompression> CompressionFrom2005(int code, size_t offset) {
  switch (code) {
    case 0: return FingerImageCompression::kRaw;
    case 1: return FingerImageCompression::kRawPacked;
    case 2: return FingerImageCompression::kWsq;
    case 3: return FingerImageCompression::kJpeg;
    case 4: return FingerImageCompression::kJpeg2000Lossy;
    case 5: return FingerImageCompression::kPng;
  }
  return Status::InvalidArgument("19794-4: compression algorithm " + std::to_string(code) + " at offset " +
                                 std::to_string(offset) + " is not one the 2005 edition defines (0-5)");
}

int CompressionTo2005(FingerImageCompression c) {
  switch (c) {
    case FingerImageCompression::kJpeg2000Lossless: return 4;
    case FingerImageCompression::kPng: return 5;
    default: return static_cast<int>(c);
  }
}

Result<FingerImageRecord> Parse2005(std::span<const uint8_t> bytes) {
  In in(bytes);
  IDREG_RETURN_IF_ERROR(CheckRecordLength(bytes, in, "2005", kHeader2005, 6));
  FingerImageRecord r;
  r.edition = 2005;
  r.device_id = static_cast<int>(in.U(2));
  r.acquisition_level = static_cast<int>(in.U(2));
  size_t count = in.U(1);
  int scale = static_cast<int>(in.U(1));
  int scan_h = static_cast<int>(in.U(2)), scan_v = static_cast<int>(in.U(2));
  int img_h = static_cast<int>(in.U(2)), img_v = static_cast<int>(in.U(2));
  int depth = static_cast<int>(in.U(1));
  size_t compression_at = in.at;
  IDREG_ASSIGN_OR_RETURN(FingerImageCompression compression, CompressionFrom2005(static_cast<int>(in.U(1)), compression_at));
  r.reserved = static_cast<int>(in.U(2));
  if (count == 0) return Status::InvalidArgument("19794-4 (2005): the finger count at offset 18 is 0");
  // The count is of fingers; each finger may have several views, so blocks are read to the end.
  while (in.remaining() > 0) {
    std::string where = "19794-4 (2005) view " + std::to_string(r.images.size() + 1) + " at offset " + std::to_string(in.at);
    IDREG_ASSIGN_OR_RETURN(const size_t end,
                           BlockEnd(bytes, in, where, kViewHeader2005, {"finger header", "block length", ""}));
    FingerImage f;
    f.position = static_cast<int>(in.U(1));
    f.view_count = static_cast<int>(in.U(1));
    f.view = static_cast<int>(in.U(1));
    f.quality = static_cast<int>(in.U(1));
    f.impression = static_cast<int>(in.U(1));
    f.width = static_cast<int>(in.U(2));
    f.height = static_cast<int>(in.U(2));
    f.reserved = static_cast<int>(in.U(1));
    IDREG_RETURN_IF_ERROR(CheckNonZeroSize(where, f.width, f.height));
    f.compression = compression;
    f.scale_units = scale;
    f.capture_ppi_h = scan_h;
    f.capture_ppi_v = scan_v;
    f.image_ppi_h = img_h;
    f.image_ppi_v = img_v;
    f.bit_depth = depth;
    f.image.assign(bytes.begin() + static_cast<std::ptrdiff_t>(in.at), bytes.begin() + static_cast<std::ptrdiff_t>(end));
    in.at = end;
    r.images.push_back(std::move(f));
  }
  if (r.images.empty()) return Status::InvalidArgument("19794-4 (2005): the record holds no finger image");
  r.position_count = static_cast<int>(count);
  return r;
}

Result<FingerImageRecord> Parse2011(std::span<const uint8_t> bytes) {
  In in(bytes);
  IDREG_RETURN_IF_ERROR(CheckRecordLength(bytes, in, "2011", kHeader2011, 4));
  FingerImageRecord r;
  r.edition = 2011;
  size_t count = in.U(2);
  r.certification_flag = static_cast<int>(in.U(1));
  size_t distinct = in.U(1);
  if (count == 0) {
    return Status::InvalidArgument("19794-4 (2011): the record holds no representation (count at offset 12 is 0)");
  }
  if (distinct == 0) {
    return Status::InvalidArgument("19794-4 (2011): the number of distinct positions at offset 15 is 0");
  }
  if (r.certification_flag > 1) {
    return Status::InvalidArgument("19794-4 (2011): certification flag " + std::to_string(r.certification_flag) +
                                   " at offset 14 is neither 0 nor 1");
  }
  for (size_t i = 0; i < count; ++i) {
    std::string where = "19794-4 (2011) representation " + std::to_string(i + 1) + " at offset " + std::to_string(in.at);
    IDREG_ASSIGN_OR_RETURN(
        const size_t end,
        BlockEnd(bytes, in, where, kFixedRepresentation2011,
                 {"representation header", "representation length",
                  "; the header says " + std::to_string(count) + " representations"}));
    In rep(bytes.first(end));
    rep.at = in.at;
    FingerImage f;
    f.capture_year = static_cast<int>(rep.U(2));
    f.capture_month = static_cast<int>(rep.U(1));
    f.capture_day = static_cast<int>(rep.U(1));
    f.capture_hour = static_cast<int>(rep.U(1));
    f.capture_minute = static_cast<int>(rep.U(1));
    f.capture_second = static_cast<int>(rep.U(1));
    f.capture_millisecond = static_cast<int>(rep.U(2));
    f.device_technology = static_cast<int>(rep.U(1));
    f.device_vendor = static_cast<int>(rep.U(2));
    f.device_type = static_cast<int>(rep.U(2));
    size_t quality_count = rep.U(1);
    size_t certification_bytes = r.certification_flag ? 1 : 0;
    if (rep.remaining() < quality_count * 5 + certification_bytes) {
      return Status::InvalidArgument(where + ": " + std::to_string(quality_count) +
                                     " quality blocks overrun the representation");
    }
    for (size_t q = 0; q < quality_count; ++q) {
      FingerQualityBlock b;
      b.score = static_cast<int>(rep.U(1));
      b.vendor_id = static_cast<int>(rep.U(2));
      b.algorithm_id = static_cast<int>(rep.U(2));
      f.quality_blocks.push_back(b);
    }
    if (r.certification_flag) {
      size_t cert_count = rep.U(1);
      if (rep.remaining() < cert_count * 3) {
        return Status::InvalidArgument(where + ": " + std::to_string(cert_count) +
                                       " certification blocks overrun the representation");
      }
      for (size_t c = 0; c < cert_count; ++c) {
        FingerCertificationBlock b;
        b.authority_id = static_cast<int>(rep.U(2));
        b.scheme_id = static_cast<int>(rep.U(1));
        f.certification_blocks.push_back(b);
      }
    }
    if (rep.remaining() < 18 + 4) {
      return Status::InvalidArgument(where + ": the image information is cut off (truncated representation)");
    }
    f.position = static_cast<int>(rep.U(1));
    f.view = static_cast<int>(rep.U(1));
    f.scale_units = static_cast<int>(rep.U(1));
    f.capture_ppi_h = static_cast<int>(rep.U(2));
    f.capture_ppi_v = static_cast<int>(rep.U(2));
    f.image_ppi_h = static_cast<int>(rep.U(2));
    f.image_ppi_v = static_cast<int>(rep.U(2));
    f.bit_depth = static_cast<int>(rep.U(1));
    size_t compression_at = rep.at;
    int compression = static_cast<int>(rep.U(1));
    if (compression > 6) {
      return Status::InvalidArgument(where + ": compression algorithm " + std::to_string(compression) + " at offset " +
                                     std::to_string(compression_at) + " is not one the 2011 edition defines (0-6)");
    }
    f.compression = static_cast<FingerImageCompression>(compression);
    f.impression = static_cast<int>(rep.U(1));
    f.width = static_cast<int>(rep.U(2));
    f.height = static_cast<int>(rep.U(2));
    IDREG_RETURN_IF_ERROR(CheckNonZeroSize(where, f.width, f.height));
    uint64_t image_length = rep.U(4);
    if (image_length > rep.remaining()) {
      return Status::InvalidArgument(where + ": the image length " + std::to_string(image_length) + " overruns the " +
                                     std::to_string(rep.remaining()) + " bytes left in the representation");
    }
    f.image.assign(bytes.begin() + static_cast<std::ptrdiff_t>(rep.at),
                   bytes.begin() + static_cast<std::ptrdiff_t>(rep.at + image_length));
    f.extended_data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(rep.at + image_length),
                           bytes.begin() + static_cast<std::ptrdiff_t>(end));
    if (!f.quality_blocks.empty()) f.quality = f.quality_blocks.front().score;
    in.at = end;
    r.images.push_back(std::move(f));
  }
  if (in.remaining() != 0) {
    return Status::InvalidArgument("19794-4 (2011): " + std::to_string(in.remaining()) + " bytes after the last of " +
                                   std::to_string(count) + " representations");
  }
  r.position_count = static_cast<int>(distinct);
  return r;
}

Result<Bytes> Write2005(const FingerImageRecord& r) {
  const FingerImage& first = r.images.front();
  std::set<int> positions;
  Bytes body;
  for (size_t i = 0; i < r.images.size(); ++i) {
    const FingerImage& f = r.images[i];
    std::string where = "19794-4 (2005) view " + std::to_string(i + 1);
    if (f.scale_units != first.scale_units || f.capture_ppi_h != first.capture_ppi_h ||
        f.capture_ppi_v != first.capture_ppi_v || f.image_ppi_h != first.image_ppi_h ||
        f.image_ppi_v != first.image_ppi_v || f.bit_depth != first.bit_depth ||
        CompressionTo2005(f.compression) != CompressionTo2005(first.compression)) {
      return Status::InvalidArgument(where + ": the 2005 edition states resolution, depth and compression once for the "
                                     "record, and this view differs from the first");
    }
    IDREG_RETURN_IF_ERROR(Fits(where, "position", f.position, 1));
    IDREG_RETURN_IF_ERROR(Fits(where, "view count", f.view_count, 1));
    IDREG_RETURN_IF_ERROR(Fits(where, "view number", f.view, 1));
    IDREG_RETURN_IF_ERROR(Fits(where, "quality", f.quality, 1));
    IDREG_RETURN_IF_ERROR(Fits(where, "impression", f.impression, 1));
    IDREG_RETURN_IF_ERROR(Fits(where, "width", f.width, 2));
    IDREG_RETURN_IF_ERROR(Fits(where, "height", f.height, 2));
    IDREG_RETURN_IF_ERROR(Fits(where, "reserved", f.reserved, 1));
    IDREG_RETURN_IF_ERROR(Fits(where, "block length", static_cast<int64_t>(kViewHeader2005 + f.image.size()), 4));
    if (f.width == 0 || f.height == 0) return Status::InvalidArgument(where + ": a zero width or height");
    Put(body, kViewHeader2005 + f.image.size(), 4);
    Put(body, f.position, 1);
    Put(body, f.view_count, 1);
    Put(body, f.view, 1);
    Put(body, f.quality, 1);
    Put(body, f.impression, 1);
    Put(body, f.width, 2);
    Put(body, f.height, 2);
    Put(body, f.reserved, 1);
    body.insert(body.end(), f.image.begin(), f.image.end());
    positions.insert(f.position);
  }
  std::string where = "19794-4 (2005) general header";
  IDREG_RETURN_IF_ERROR(Fits(where, "device id", r.device_id, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "acquisition level", r.acquisition_level, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "scale units", first.scale_units, 1));
  IDREG_RETURN_IF_ERROR(Fits(where, "scan resolution", first.capture_ppi_h, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "scan resolution", first.capture_ppi_v, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "image resolution", first.image_ppi_h, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "image resolution", first.image_ppi_v, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "pixel depth", first.bit_depth, 1));
  IDREG_RETURN_IF_ERROR(Fits(where, "reserved", r.reserved, 2));
  IDREG_RETURN_IF_ERROR(Fits(where, "finger count", r.position_count, 1));
  Bytes out = {'F', 'I', 'R', 0, '0', '1', '0', 0};
  Put(out, kHeader2005 + body.size(), 6);
  Put(out, r.device_id, 2);
  Put(out, r.acquisition_level, 2);
  Put(out, r.position_count > 0 ? static_cast<size_t>(r.position_count) : positions.size(), 1);
  Put(out, first.scale_units, 1);
  Put(out, first.capture_ppi_h, 2);
  Put(out, first.capture_ppi_v, 2);
  Put(out, first.image_ppi_h, 2);
  Put(out, first.image_ppi_v, 2);
  Put(out, first.bit_depth, 1);
  Put(out, CompressionTo2005(first.compression), 1);
  Put(out, r.reserved, 2);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<Bytes> Write2011(const FingerImageRecord& r) {
  if (r.certification_flag != 0 && r.certification_flag != 1) {
    return Status::InvalidArgument("19794-4 (2011): certification flag must be 0 or 1");
  }
  std::set<int> positions;
  Bytes body;
  for (size_t i = 0; i < r.images.size(); ++i) {
    const FingerImage& f = r.images[i];
    std::string where = "19794-4 (2011) representation " + std::to_string(i + 1);
    if (f.width == 0 || f.height == 0) return Status::InvalidArgument(where + ": a zero width or height");
    if (!r.certification_flag && !f.certification_blocks.empty()) {
      return Status::InvalidArgument(where + ": certification blocks need the record's certification flag set");
    }
    const struct {
      const char* name;
      int64_t value;
      int bytes;
    } fields[] = {{"capture year", f.capture_year, 2},       {"capture month", f.capture_month, 1},
                  {"capture day", f.capture_day, 1},         {"capture hour", f.capture_hour, 1},
                  {"capture minute", f.capture_minute, 1},   {"capture second", f.capture_second, 1},
                  {"capture millisecond", f.capture_millisecond, 2},
                  {"device technology", f.device_technology, 1}, {"device vendor", f.device_vendor, 2},
                  {"device type", f.device_type, 2},         {"quality blocks", static_cast<int64_t>(f.quality_blocks.size()), 1},
                  {"certification blocks", static_cast<int64_t>(f.certification_blocks.size()), 1},
                  {"position", f.position, 1},               {"representation number", f.view, 1},
                  {"scale units", f.scale_units, 1},         {"capture sampling rate", f.capture_ppi_h, 2},
                  {"capture sampling rate", f.capture_ppi_v, 2}, {"image sampling rate", f.image_ppi_h, 2},
                  {"image sampling rate", f.image_ppi_v, 2}, {"bit depth", f.bit_depth, 1},
                  {"impression", f.impression, 1},           {"width", f.width, 2},
                  {"height", f.height, 2},                   {"image length", static_cast<int64_t>(f.image.size()), 4}};
    for (const auto& field : fields) IDREG_RETURN_IF_ERROR(Fits(where, field.name, field.value, field.bytes));
    for (const FingerQualityBlock& q : f.quality_blocks) {
      IDREG_RETURN_IF_ERROR(Fits(where, "quality score", q.score, 1));
      IDREG_RETURN_IF_ERROR(Fits(where, "quality vendor", q.vendor_id, 2));
      IDREG_RETURN_IF_ERROR(Fits(where, "quality algorithm", q.algorithm_id, 2));
    }
    for (const FingerCertificationBlock& c : f.certification_blocks) {
      IDREG_RETURN_IF_ERROR(Fits(where, "certification authority", c.authority_id, 2));
      IDREG_RETURN_IF_ERROR(Fits(where, "certification scheme", c.scheme_id, 1));
    }
    size_t length = kFixedRepresentation2011 + 5 * f.quality_blocks.size() +
                    (r.certification_flag ? 1 + 3 * f.certification_blocks.size() : 0) + f.image.size() +
                    f.extended_data.size();
    IDREG_RETURN_IF_ERROR(Fits(where, "representation length", static_cast<int64_t>(length), 4));
    Put(body, length, 4);
    Put(body, f.capture_year, 2);
    Put(body, f.capture_month, 1);
    Put(body, f.capture_day, 1);
    Put(body, f.capture_hour, 1);
    Put(body, f.capture_minute, 1);
    Put(body, f.capture_second, 1);
    Put(body, f.capture_millisecond, 2);
    Put(body, f.device_technology, 1);
    Put(body, f.device_vendor, 2);
    Put(body, f.device_type, 2);
    Put(body, f.quality_blocks.size(), 1);
    for (const FingerQualityBlock& q : f.quality_blocks) {
      Put(body, q.score, 1);
      Put(body, q.vendor_id, 2);
      Put(body, q.algorithm_id, 2);
    }
    if (r.certification_flag) {
      Put(body, f.certification_blocks.size(), 1);
      for (const FingerCertificationBlock& c : f.certification_blocks) {
        Put(body, c.authority_id, 2);
        Put(body, c.scheme_id, 1);
      }
    }
    Put(body, f.position, 1);
    Put(body, f.view, 1);
    Put(body, f.scale_units, 1);
    Put(body, f.capture_ppi_h, 2);
    Put(body, f.capture_ppi_v, 2);
    Put(body, f.image_ppi_h, 2);
    Put(body, f.image_ppi_v, 2);
    Put(body, f.bit_depth, 1);
    Put(body, static_cast<int>(f.compression), 1);
    Put(body, f.impression, 1);
    Put(body, f.width, 2);
    Put(body, f.height, 2);
    Put(body, f.image.size(), 4);
    body.insert(body.end(), f.image.begin(), f.image.end());
    body.insert(body.end(), f.extended_data.begin(), f.extended_data.end());
    positions.insert(f.position);
  }
  IDREG_RETURN_IF_ERROR(Fits("19794-4 (2011)", "record length", static_cast<int64_t>(kHeader2011 + body.size()), 4));
  IDREG_RETURN_IF_ERROR(Fits("19794-4 (2011)", "representation count", static_cast<int64_t>(r.images.size()), 2));
  IDREG_RETURN_IF_ERROR(Fits("19794-4 (2011)", "distinct positions", r.position_count, 1));
  Bytes out = {'F', 'I', 'R', 0, '0', '2', '0', 0};
  Put(out, kHeader2011 + body.size(), 4);
  Put(out, r.images.size(), 2);
  Put(out, r.certification_flag, 1);
  Put(out, r.position_count > 0 ? static_cast<size_t>(r.position_count) : positions.size(), 1);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

std::string FingerImageMediaType(FingerImageCompression c, int width, int height, int bit_depth) {
  switch (c) {
    case FingerImageCompression::kRaw:
      if (bit_depth != 8) return "";
      return "image/raw;width=" + std::to_string(width) + ";height=" + std::to_string(height);
    case FingerImageCompression::kRawPacked: return "";
    case FingerImageCompression::kWsq: return "image/wsq";
    case FingerImageCompression::kJpeg: return "image/jpeg";
    case FingerImageCompression::kJpeg2000Lossy:
    case FingerImageCompression::kJpeg2000Lossless: return "image/jp2";
    case FingerImageCompression::kPng: return "image/png";
  }
  return "";
}

Result<FingerImageCompression> FingerImageCompressionFor(std::string_view t) {
  if (t == "image/wsq") return FingerImageCompression::kWsq;
  if (t == "image/jpeg") return FingerImageCompression::kJpeg;
  if (t == "image/jp2") return FingerImageCompression::kJpeg2000Lossy;
  if (t == "image/png") return FingerImageCompression::kPng;
  if (t.substr(0, 9) == "image/raw") return FingerImageCompression::kRaw;
  return Status::InvalidArgument("a 19794-4 record carries WSQ, JPEG, JPEG 2000, PNG or raw images, not '" +
                                 std::string(t) + "'");
}

Result<FingerImageRecord> ParseFingerImageRecord(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8 || bytes[0] != 'F' || bytes[1] != 'I' || bytes[2] != 'R' || bytes[3] != 0) {
    return Status::InvalidArgument("19794-4: the record does not start with the format identifier \"FIR\\0\"");
  }
  std::string version(bytes.begin() + 4, bytes.begin() + 7);
  if (bytes[7] == 0 && version == "010") return Parse2005(bytes);
  if (bytes[7] == 0 && version == "020") return Parse2011(bytes);
  return Status::InvalidArgument("19794-4: version '" + version + "' at offset 4 is not one idreg reads (010: the 2005 "
                                 "edition, 020: the 2011 edition)");
}

Result<Bytes> WriteFingerImageRecord(const FingerImageRecord& record) {
  if (record.images.empty()) return Status::InvalidArgument("19794-4: a record needs at least one image");
  if (record.edition == 2005) return Write2005(record);
  if (record.edition == 2011) return Write2011(record);
  return Status::InvalidArgument("19794-4: edition " + std::to_string(record.edition) + " is neither 2005 nor 2011");
}

Result<Bytes> WrapFingerImage(std::string_view media_type, std::span<const uint8_t> image, int width, int height,
                              double ppi, int position, int quality) {
  IDREG_ASSIGN_OR_RETURN(FingerImageCompression c, FingerImageCompressionFor(media_type));
  FingerImageRecord r;
  r.edition = 2011;
  FingerImage f;
  f.position = position;
  f.view = 1;
  f.compression = c;
  f.width = width;
  f.height = height;
  int rate = static_cast<int>(ppi > 0 ? ppi + 0.5 : 500);
  f.capture_ppi_h = f.capture_ppi_v = f.image_ppi_h = f.image_ppi_v = rate;
  f.capture_year = 0xFFFF;  // the capture time is not known here: "not stated" in every field
  f.capture_month = f.capture_day = f.capture_hour = f.capture_minute = f.capture_second = 0xFF;
  f.capture_millisecond = 0xFFFF;
  if (quality > 0) {
    f.quality = quality;
    f.quality_blocks.push_back({quality, 0, 0});
  }
  f.image.assign(image.begin(), image.end());
  r.images.push_back(std::move(f));
  return WriteFingerImageRecord(r);
}

Result<GrayImage> DecodeFingerImage(const FingerImage& image) {
  std::string type = image.MediaType();
  if (type.empty()) {
    return Status::InvalidArgument("19794-4: " + std::string(image.compression == FingerImageCompression::kRawPacked
                                                                 ? "bit-packed images"
                                                                 : "raw images deeper than 8 bits") +
                                   " are not decoded by idreg");
  }
  Result<GrayImage> decoded = DecodeMediaImage(type, image.image);
  if (!decoded.ok()) return decoded.status().WithContext("19794-4 image");
  GrayImage g = std::move(decoded).value();
  if (g.width != image.width || g.height != image.height) {
    return Status::InvalidArgument("19794-4 image: the header says " + std::to_string(image.width) + "x" +
                                   std::to_string(image.height) + ", the image is " + std::to_string(g.width) + "x" +
                                   std::to_string(g.height));
  }
  double rate = image.image_ppi_h;
  if (image.scale_units == 2) rate *= 2.54;
  if (rate > 0) g.ppi = rate;
  return g;
}

}  // namespace idreg
