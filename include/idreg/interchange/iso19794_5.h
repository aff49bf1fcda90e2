// ISO/IEC 19794-5:2005 face image records, the form ICAO Doc 9303 puts in an ePassport's DG2:
// a general header ("FAC\0", version "010\0", record length, image count), then per image a
// facial information block (gender, eye and hair colour, feature mask, expression, pose), its
// feature points, an image information block (face image type, JPEG or JPEG 2000, size, colour
// space, source, device, quality) and the image bytes. All integers big-endian. See
// doc/iso19794-5.md. The image is kept as bytes; DecodeFaceImage turns it into pixels.
#ifndef IDREG_INTERCHANGE_ISO19794_5_H_
#define IDREG_INTERCHANGE_ISO19794_5_H_

#include <cstdint>
#include <span>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/image/gray_image.h"

namespace idreg {

struct FaceFeaturePoint {
  int type = 1;      // 1: MPEG-4 feature point
  int code = 0;      // major code in the high nibble, minor in the low one
  int x = 0;
  int y = 0;
  int reserved = 0;  // kept so that a record is written back unchanged
};

enum class FaceImageDataType : uint8_t { kJpeg = 0, kJpeg2000 = 1 };

struct FaceImage {
  // Facial information.
  int gender = 0;        // 0 unspecified, 1 male, 2 female, 0xFF unknown
  int eye_colour = 0;
  int hair_colour = 0;
  uint32_t feature_mask = 0;  // 24 bits
  int expression = 0;
  int pose_yaw = 0, pose_pitch = 0, pose_roll = 0;                     // encoded angles, 0 = unspecified
  int pose_uncertainty_yaw = 0, pose_uncertainty_pitch = 0, pose_uncertainty_roll = 0;
  std::vector<FaceFeaturePoint> feature_points;
  // Image information.
  int face_image_type = 1;  // 0 basic, 1 full frontal, 2 token frontal
  FaceImageDataType data_type = FaceImageDataType::kJpeg;
  int width = 0;
  int height = 0;
  int colour_space = 1;     // 1 sRGB
  int source_type = 0;
  int device_type = 0;
  int quality = 0;
  Bytes image;              // the JPEG or JPEG 2000 stream

  // "image/jpeg" or "image/jp2".
  const char* MediaType() const;
};

struct FaceRecord {
  std::vector<FaceImage> images;
};

// Parses a record. Errors name the image (1-based), the block and the byte offset: a record
// length that disagrees with the data, a block length that overruns it, truncation, a version
// other than "010".
Result<FaceRecord> ParseFaceRecord(std::span<const uint8_t> bytes);

// Finds and parses the record inside an ePassport DG2 (the 19794-5 record is the biometric data
// block, tag 5F2E or 7F2E, of the first biometric information template); a bare record is
// accepted too.
Result<FaceRecord> ParseFaceRecordOrDg2(std::span<const uint8_t> bytes);

// Writes a record (version 010); InvalidArgument when a value does not fit its field.
Result<Bytes> WriteFaceRecord(const FaceRecord& record);

// Decodes the image to grayscale (JPEG and JPEG 2000 through OpenCV, whose Debian build reads
// JPEG 2000 with OpenJPEG); the size is checked before decoding.
Result<GrayImage> DecodeFaceImage(const FaceImage& image);

}  // namespace idreg

#endif  // IDREG_INTERCHANGE_ISO19794_5_H_
