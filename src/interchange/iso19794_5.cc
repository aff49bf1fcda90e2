// ISO/IEC 19794-5:2005 face records: reader and writer. Layout (big-endian), after the 14-byte
// general header "FAC\0" "010\0" length(4) count(2):
//   facial information, 20 bytes: block length(4) points(2) gender(1) eyes(1) hair(1) mask(3)
//     expression(2) pose yaw/pitch/roll(3) pose uncertainty(3)
//   feature points, 8 bytes each: type(1) code(1) x(2) y(2) reserved(2)
//   image information, 12 bytes: face type(1) data type(1) width(2) height(2) colour space(1)
//     source(1) device(2) quality(2)
//   image data: the rest of the block.
#include <string>

#include "idreg/interchange/iso19794_5.h"
#include "interchange/big_endian.h"

namespace idreg {
namespace {

using interchange_internal::In;
using interchange_internal::Put;

constexpr size_t kHeaderSize = 14;
constexpr size_t kFacialInfoSize = 20;
constexpr size_t kFeaturePointSize = 8;
constexpr size_t kImageInfoSize = 12;

}  // namespace

const char* FaceImage::MediaType() const { return data_type == FaceImageDataType::kJpeg2000 ? "image/jp2" : "image/jpeg"; }

Result<FaceRecord> ParseFaceRecord(std::span<const uint8_t> bytes) {
  In in(bytes);
  if (bytes.size() < kHeaderSize) {
    return Status::InvalidArgument("19794-5: " + std::to_string(bytes.size()) +
                                   " bytes, shorter than the 14-byte general header (truncated)");
  }
  if (bytes[0] != 'F' || bytes[1] != 'A' || bytes[2] != 'C' || bytes[3] != 0) {
    return Status::InvalidArgument("19794-5: the record does not start with the format identifier \"FAC\\0\"");
  }
  std::string version(bytes.begin() + 4, bytes.begin() + 7);
  if (version != "010" || bytes[7] != 0) {
    return Status::InvalidArgument("19794-5: version '" + version + "' at offset 4 is not supported (only 010, " +
                                   "ISO/IEC 19794-5:2005 as ICAO Doc 9303 uses it)");
  }
  in.at = 8;
  uint32_t length = in.U(4);
  uint32_t count = in.U(2);
  if (length != bytes.size()) {
    return Status::InvalidArgument("19794-5: the record length at offset 8 says " + std::to_string(length) +
                                   " bytes, the data holds " + std::to_string(bytes.size()) +
                                   (length > bytes.size() ? " (truncated)" : ""));
  }
  if (count == 0) return Status::InvalidArgument("19794-5: the record holds no facial image (count at offset 12 is 0)");
  FaceRecord record;
  for (uint32_t i = 0; i < count; ++i) {
    std::string where = "19794-5 image " + std::to_string(i + 1) + " at offset " + std::to_string(in.at);
    if (in.remaining() < kFacialInfoSize) {
      return Status::InvalidArgument(where + ": the facial information block is cut off after " +
                                     std::to_string(in.remaining()) + " bytes (truncated; the header says " +
                                     std::to_string(count) + " images)");
    }
    size_t start = in.at;
    uint32_t block = in.U(4);
    size_t points = in.U(2);
    size_t fixed = kFacialInfoSize + points * kFeaturePointSize + kImageInfoSize;
    if (block < fixed || block > bytes.size() - start) {
      return Status::InvalidArgument(where + ": block length " + std::to_string(block) + " does not fit (" +
                                     std::to_string(points) + " feature points need at least " + std::to_string(fixed) +
                                     ", " + std::to_string(bytes.size() - start) + " bytes remain)");
    }
    FaceImage f;
    f.gender = static_cast<int>(in.U(1));
    f.eye_colour = static_cast<int>(in.U(1));
    f.hair_colour = static_cast<int>(in.U(1));
    f.feature_mask = in.U(3);
    f.expression = static_cast<int>(in.U(2));
    f.pose_yaw = static_cast<int>(in.U(1));
    f.pose_pitch = static_cast<int>(in.U(1));
    f.pose_roll = static_cast<int>(in.U(1));
    f.pose_uncertainty_yaw = static_cast<int>(in.U(1));
    f.pose_uncertainty_pitch = static_cast<int>(in.U(1));
    f.pose_uncertainty_roll = static_cast<int>(in.U(1));
    for (size_t p = 0; p < points; ++p) {
      FaceFeaturePoint fp;
      fp.type = static_cast<int>(in.U(1));
      fp.code = static_cast<int>(in.U(1));
      fp.x = static_cast<int>(in.U(2));
      fp.y = static_cast<int>(in.U(2));
      fp.reserved = static_cast<int>(in.U(2));
      f.feature_points.push_back(fp);
    }
    f.face_image_type = static_cast<int>(in.U(1));
    uint32_t data_type = in.U(1);
    if (data_type > 1) {
      return Status::InvalidArgument(where + ": image data type " + std::to_string(data_type) + " at offset " +
                                     std::to_string(in.at - 1) + " is neither JPEG (0) nor JPEG 2000 (1)");
    }
    f.data_type = static_cast<FaceImageDataType>(data_type);
    f.width = static_cast<int>(in.U(2));
    f.height = static_cast<int>(in.U(2));
    f.colour_space = static_cast<int>(in.U(1));
    f.source_type = static_cast<int>(in.U(1));
    f.device_type = static_cast<int>(in.U(2));
    f.quality = static_cast<int>(in.U(2));
    size_t image_bytes = block - fixed;
    if (image_bytes == 0) return Status::InvalidArgument(where + ": the block holds no image data");
    f.image.assign(bytes.begin() + static_cast<long>(in.at), bytes.begin() + static_cast<long>(in.at + image_bytes));
    in.at += image_bytes;
    record.images.push_back(std::move(f));
  }
  if (in.remaining() != 0) {
    return Status::InvalidArgument("19794-5: " + std::to_string(in.remaining()) + " bytes at offset " +
                                   std::to_string(in.at) + " follow the last of the " + std::to_string(count) +
                                   " images");
  }
  return record;
}

Result<Bytes> WriteFaceRecord(const FaceRecord& record) {
  if (record.images.empty() || record.images.size() > 0xFFFF) {
    return Status::InvalidArgument("19794-5: a record holds 1 to 65535 images, not " +
                                   std::to_string(record.images.size()));
  }
  Bytes body;
  for (size_t i = 0; i < record.images.size(); ++i) {
    const FaceImage& f = record.images[i];
    std::string where = "19794-5 image " + std::to_string(i + 1);
    auto fits = [&where](const char* name, int64_t v, int bytes) -> Status {
      if (v < 0 || v >= (int64_t{1} << (8 * bytes))) {
        return Status::InvalidArgument(where + ": " + name + " " + std::to_string(v) + " does not fit " +
                                       std::to_string(bytes) + " byte(s)");
      }
      return Status::Ok();
    };
    IDREG_RETURN_IF_ERROR(fits("feature point count", static_cast<int64_t>(f.feature_points.size()), 2));
    IDREG_RETURN_IF_ERROR(fits("width", f.width, 2));
    IDREG_RETURN_IF_ERROR(fits("height", f.height, 2));
    IDREG_RETURN_IF_ERROR(fits("quality", f.quality, 2));
    IDREG_RETURN_IF_ERROR(fits("expression", f.expression, 2));
    IDREG_RETURN_IF_ERROR(fits("device type", f.device_type, 2));
    IDREG_RETURN_IF_ERROR(fits("feature mask", f.feature_mask, 3));
    for (int v : {f.gender, f.eye_colour, f.hair_colour, f.pose_yaw, f.pose_pitch, f.pose_roll, f.pose_uncertainty_yaw,
                  f.pose_uncertainty_pitch, f.pose_uncertainty_roll, f.face_image_type, f.colour_space, f.source_type}) {
      IDREG_RETURN_IF_ERROR(fits("a one-byte field", v, 1));
    }
    if (f.image.empty()) return Status::InvalidArgument(where + ": no image data");
    uint64_t block = kFacialInfoSize + f.feature_points.size() * kFeaturePointSize + kImageInfoSize + f.image.size();
    if (block > 0xFFFFFFFFu) return Status::InvalidArgument(where + ": larger than 4 GiB");
    Put(body, block, 4);
    Put(body, f.feature_points.size(), 2);
    Put(body, f.gender, 1);
    Put(body, f.eye_colour, 1);
    Put(body, f.hair_colour, 1);
    Put(body, f.feature_mask, 3);
    Put(body, f.expression, 2);
    for (int v : {f.pose_yaw, f.pose_pitch, f.pose_roll, f.pose_uncertainty_yaw, f.pose_uncertainty_pitch,
                  f.pose_uncertainty_roll}) {
      Put(body, v, 1);
    }
    for (const FaceFeaturePoint& p : f.feature_points) {
      IDREG_RETURN_IF_ERROR(fits("feature point x", p.x, 2));
      IDREG_RETURN_IF_ERROR(fits("feature point y", p.y, 2));
      IDREG_RETURN_IF_ERROR(fits("feature point type", p.type, 1));
      IDREG_RETURN_IF_ERROR(fits("feature point code", p.code, 1));
      Put(body, p.type, 1);
      Put(body, p.code, 1);
      Put(body, p.x, 2);
      Put(body, p.y, 2);
      IDREG_RETURN_IF_ERROR(fits("feature point reserved bytes", p.reserved, 2));
      Put(body, p.reserved, 2);
    }
    Put(body, f.face_image_type, 1);
    Put(body, static_cast<uint8_t>(f.data_type), 1);
    Put(body, f.width, 2);
    Put(body, f.height, 2);
    Put(body, f.colour_space, 1);
    Put(body, f.source_type, 1);
    Put(body, f.device_type, 2);
    Put(body, f.quality, 2);
    body.insert(body.end(), f.image.begin(), f.image.end());
  }
  uint64_t total = kHeaderSize + body.size();
  if (total > 0xFFFFFFFFu) return Status::InvalidArgument("19794-5: the record is larger than 4 GiB");
  Bytes out = {'F', 'A', 'C', 0, '0', '1', '0', 0};
  Put(out, total, 4);
  Put(out, record.images.size(), 2);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace idreg
