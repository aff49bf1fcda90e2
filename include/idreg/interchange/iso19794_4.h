// ISO/IEC 19794-4 finger image records, both editions in use:
//  - 2005 (version "010"): a 32-byte general header with the capture device, acquisition level,
//    resolutions, pixel depth and one compression algorithm for the whole record, then per
//    finger view a 14-byte header and the image;
//  - 2011 (version "020", what MOSIP's CBEFF carries as format type 7): a 16-byte general header,
//    then per representation a header with capture date and time, device identifiers, quality and
//    certification blocks, position, resolutions, bit depth, compression, impression and size,
//    a 4-byte image length, the image, and optional extended data blocks.
// All integers big-endian. See doc/iso19794-4.md. Every byte read is kept, so a record written
// back from what was parsed is byte-identical.
#ifndef IDREG_INTERCHANGE_ISO19794_4_H_
#define IDREG_INTERCHANGE_ISO19794_4_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/image/gray_image.h"

namespace idreg {

// The compression algorithm. The two editions number them differently (2005 has one JPEG 2000
// code, 2011 splits lossy and lossless and moves PNG from 5 to 6); this enum is the 2011 table
// and the codec translates.
enum class FingerImageCompression : uint8_t {
  kRaw = 0,           // uncompressed, one byte per pixel at 8 bits
  kRawPacked = 1,     // uncompressed, bit packed
  kWsq = 2,
  kJpeg = 3,
  kJpeg2000Lossy = 4,
  kJpeg2000Lossless = 5,
  kPng = 6,
};

// "image/wsq", "image/jpeg", "image/jp2", "image/png", "image/raw;width=W;height=H" (8-bit raw);
// empty for bit-packed images, which idreg does not decode.
std::string FingerImageMediaType(FingerImageCompression c, int width, int height, int bit_depth);

// The compression for a media type (the inverse of the above; JPEG 2000 is written as lossy, the
// safe claim when nothing says the stream is lossless). InvalidArgument for other types.
Result<FingerImageCompression> FingerImageCompressionFor(std::string_view media_type);

struct FingerQualityBlock {
  int score = 0;         // 0..100, 255 = failed to compute
  int vendor_id = 0;     // quality algorithm vendor (IBIA registered)
  int algorithm_id = 0;  // the vendor's algorithm
};

struct FingerCertificationBlock {
  int authority_id = 0;
  int scheme_id = 0;
};

// One finger (or palm) image: a view (2005) or a representation (2011).
struct FingerImage {
  int position = 0;    // 0 unknown, 1 right thumb ... 10 left little, 11-15 plain and slaps, 20+ palms
  int view = 1;        // view number (2005) / representation number (2011)
  int quality = 0;     // 2005: 0..100 or 254/255; 2011: see quality_blocks
  int impression = 0;  // 0 live-scan plain, 1 live-scan rolled, 2 non-live plain, ...
  int width = 0;       // horizontal line length
  int height = 0;      // vertical line length
  FingerImageCompression compression = FingerImageCompression::kRaw;
  Bytes image;

  // 2005: how many views the finger has in the record (kept so that a record reads back unchanged).
  int view_count = 1;
  int reserved = 0;  // 2005: the header's reserved byte, kept as read

  // 2011 only.
  int capture_year = 0, capture_month = 0, capture_day = 0;  // 0xFFFF/0xFF: not stated
  int capture_hour = 0, capture_minute = 0, capture_second = 0, capture_millisecond = 0;
  int device_technology = 0;
  int device_vendor = 0;
  int device_type = 0;
  std::vector<FingerQualityBlock> quality_blocks;
  std::vector<FingerCertificationBlock> certification_blocks;
  int scale_units = 1;  // 1 pixels per inch, 2 pixels per centimetre
  int capture_ppi_h = 500, capture_ppi_v = 500;  // capture device sampling rate, in scale units
  int image_ppi_h = 500, image_ppi_v = 500;      // the image's sampling rate, in scale units
  int bit_depth = 8;
  Bytes extended_data;  // the representation's extended data blocks, kept as read

  std::string MediaType() const { return FingerImageMediaType(compression, width, height, bit_depth); }
};

struct FingerImageRecord {
  int edition = 2011;  // 2005 ("010") or 2011 ("020")

  // 2005 general header (one value for every image of the record; the images' own fields of the
  // same names are filled from these when parsing and must agree with them when writing).
  int device_id = 0;
  int acquisition_level = 0;
  int reserved = 0;
  // 2011 general header.
  int certification_flag = 0;
  // Both: how many fingers (2005) / distinct positions (2011) the general header states, as read;
  // 0 when writing means "count the images' positions".
  int position_count = 0;

  std::vector<FingerImage> images;
};

// Parses a record of either edition. Errors name the image (1-based), the field and the byte
// offset: a record or block length that disagrees with the data, truncation, an unknown version
// or compression code, an image that overruns its block, a zero width or height.
Result<FingerImageRecord> ParseFingerImageRecord(std::span<const uint8_t> bytes);

// Writes a record in its edition. InvalidArgument when a value does not fit its field, when a
// 2005 record's images disagree on a record-level value, or when the record has no image.
Result<Bytes> WriteFingerImageRecord(const FingerImageRecord& record);

// A 2011 record holding one image in a media type FingerImageMediaType names, of the given size
// and resolution (what `idreg export --format cbeff` writes for a stored finger image).
Result<Bytes> WrapFingerImage(std::string_view media_type, std::span<const uint8_t> image, int width, int height,
                              double ppi, int position, int quality);

// Decodes one image to grayscale, its ppi from the record's image resolution.
Result<GrayImage> DecodeFingerImage(const FingerImage& image);

}  // namespace idreg

#endif  // IDREG_INTERCHANGE_ISO19794_4_H_
