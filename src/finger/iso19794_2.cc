// ISO/IEC 19794-2:2005 reader and writer. Every field is kept as read so records round-trip.
#include "idreg/finger/iso19794_2.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>

namespace idreg::finger {
namespace {

constexpr size_t kHeaderSize = 24;
constexpr size_t kViewHeaderSize = 4;
constexpr size_t kMinutiaSize = 6;

// A bounds-checked big-endian reader whose errors name the field and its offset.
class Reader {
 public:
  Reader(std::span<const uint8_t> b) : b_(b) {}
  size_t offset() const { return at_; }
  size_t left() const { return b_.size() - at_; }
  Status Need(size_t n, const std::string& what) const {
    if (left() >= n) return Status::Ok();
    return Status::InvalidArgument("iso19794-2: truncated: " + what + " at offset " + std::to_string(at_) +
                                   " needs " + std::to_string(n) + " bytes, " + std::to_string(left()) +
                                   " left");
  }
  uint8_t U8() { return b_[at_++]; }
  uint16_t U16() {
    uint16_t v = static_cast<uint16_t>((b_[at_] << 8) | b_[at_ + 1]);
    at_ += 2;
    return v;
  }
  uint32_t U32() {
    uint32_t v = (uint32_t{U16()} << 16);
    return v | U16();
  }
  Bytes Take(size_t n) {
    Bytes out(b_.begin() + at_, b_.begin() + at_ + n);
    at_ += n;
    return out;
  }

 private:
  std::span<const uint8_t> b_;
  size_t at_ = 0;
};

Status ParseView(Reader& r, int index, IsoFingerView& view) {
  const std::string name = "view " + std::to_string(index);
  IDREG_RETURN_IF_ERROR(r.Need(kViewHeaderSize, "the header of " + name));
  view.finger_position = r.U8();
  const uint8_t vi = r.U8();
  view.view_number = vi >> 4;
  view.impression_type = vi & 15;
  view.quality = r.U8();
  const size_t count = r.U8();
  IDREG_RETURN_IF_ERROR(r.Need(count * kMinutiaSize, std::to_string(count) + " minutiae of " + name));
  view.minutiae.resize(count);
  for (IsoMinutia& m : view.minutiae) {
    const uint16_t tx = r.U16(), ry = r.U16();
    m.type = tx >> 14;
    m.x = tx & 0x3FFF;
    m.reserved = ry >> 14;
    m.y = ry & 0x3FFF;
    m.angle = r.U8();
    m.quality = r.U8();
  }
  IDREG_RETURN_IF_ERROR(r.Need(2, "the extended data length of " + name));
  const size_t ext_len = r.U16();
  IDREG_RETURN_IF_ERROR(r.Need(ext_len, "the extended data of " + name));
  const size_t ext_end = r.offset() + ext_len;
  while (r.offset() < ext_end) {
    if (ext_end - r.offset() < 4) {
      return Status::InvalidArgument("iso19794-2: extended data of " + name +
                                     " ends inside a block header at offset " + std::to_string(r.offset()));
    }
    IsoExtendedBlock block;
    block.type = r.U16();
    const size_t len = r.U16();  // counts the 4-byte block header
    if (len < 4 || r.offset() - 4 + len > ext_end) {
      return Status::InvalidArgument("iso19794-2: extended block of " + name + " at offset " +
                                     std::to_string(r.offset() - 4) + " has length " + std::to_string(len) +
                                     ", outside its extended data");
    }
    block.data = r.Take(len - 4);
    view.extended.push_back(std::move(block));
  }
  return Status::Ok();
}

void PutBe16(Bytes& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

}  // namespace

Result<IsoFingerRecord> ParseIso19794_2(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  IDREG_RETURN_IF_ERROR(r.Need(kHeaderSize, "the record header"));
  if (std::memcmp(bytes.data(), "FMR\0", 4) != 0) {
    return Status::InvalidArgument("iso19794-2: format identifier is not \"FMR\\0\"");
  }
  if (std::memcmp(bytes.data() + 4, " 20\0", 4) != 0) {
    return Status::InvalidArgument("iso19794-2: version is not \" 20\\0\" (only the 2005 edition is read)");
  }
  r.U32();
  r.U32();
  const uint32_t length = r.U32();
  if (length < kHeaderSize) {
    return Status::InvalidArgument("iso19794-2: record length field " + std::to_string(length) +
                                   " is below the 24-byte header");
  }
  // A record shorter than its length field still parses as far as it goes, so the error names
  // the first field that is missing.
  const bool short_record = length > bytes.size();
  const std::string length_note = " (the record length field says " + std::to_string(length) + " bytes, " +
                                  std::to_string(bytes.size()) + " present)";
  IsoFingerRecord rec;
  rec.capture_equipment = r.U16();
  rec.width = r.U16();
  rec.height = r.U16();
  rec.x_resolution = r.U16();
  rec.y_resolution = r.U16();
  const int views = r.U8();
  rec.reserved = r.U8();
  Reader body(bytes.first(std::min<size_t>(length, bytes.size())));
  body.Take(kHeaderSize);
  for (int i = 0; i < views; ++i) {
    IsoFingerView view;
    Status s = ParseView(body, i + 1, view);
    if (!s.ok()) return short_record ? Status::InvalidArgument(s.message() + length_note) : s;
    rec.views.push_back(std::move(view));
  }
  if (short_record) return Status::InvalidArgument("iso19794-2: truncated after the last view" + length_note);
  if (body.left() != 0) {
    return Status::InvalidArgument("iso19794-2: " + std::to_string(body.left()) +
                                   " bytes after the last view at offset " + std::to_string(body.offset()) +
                                   " inside the record length");
  }
  for (size_t i = length; i < bytes.size(); ++i) {
    if (bytes[i] != 0) {
      return Status::InvalidArgument("iso19794-2: non-zero byte at offset " + std::to_string(i) +
                                     " after the record's end (" + std::to_string(length) + ")");
    }
  }
  rec.padding = static_cast<uint32_t>(bytes.size() - length);
  return rec;
}

Result<Bytes> WriteIso19794_2(const IsoFingerRecord& rec) {
  if (rec.views.size() > 255) return Status::InvalidArgument("iso19794-2: more than 255 finger views");
  Bytes out;
  out.insert(out.end(), {'F', 'M', 'R', 0, ' ', '2', '0', 0, 0, 0, 0, 0});
  PutBe16(out, rec.capture_equipment);
  PutBe16(out, rec.width);
  PutBe16(out, rec.height);
  PutBe16(out, rec.x_resolution);
  PutBe16(out, rec.y_resolution);
  out.push_back(static_cast<uint8_t>(rec.views.size()));
  out.push_back(rec.reserved);
  for (size_t v = 0; v < rec.views.size(); ++v) {
    const IsoFingerView& view = rec.views[v];
    const std::string name = "view " + std::to_string(v + 1);
    if (view.minutiae.size() > 255)
      return Status::InvalidArgument("iso19794-2: " + name + " has more than 255 minutiae");
    if (view.view_number > 15 || view.impression_type > 15) {
      return Status::InvalidArgument("iso19794-2: " + name + " view number or impression type above 15");
    }
    out.push_back(view.finger_position);
    out.push_back(static_cast<uint8_t>((view.view_number << 4) | view.impression_type));
    out.push_back(view.quality);
    out.push_back(static_cast<uint8_t>(view.minutiae.size()));
    for (const IsoMinutia& m : view.minutiae) {
      if (m.type > 3 || m.reserved > 3 || m.x > 0x3FFF || m.y > 0x3FFF) {
        return Status::InvalidArgument("iso19794-2: a minutia of " + name + " has a field out of range");
      }
      PutBe16(out, (uint32_t{m.type} << 14) | m.x);
      PutBe16(out, (uint32_t{m.reserved} << 14) | m.y);
      out.push_back(m.angle);
      out.push_back(m.quality);
    }
    size_t ext = 0;
    for (const IsoExtendedBlock& b : view.extended) ext += 4 + b.data.size();
    if (ext > 0xFFFF)
      return Status::InvalidArgument("iso19794-2: extended data of " + name + " exceeds 65535 bytes");
    PutBe16(out, static_cast<uint32_t>(ext));
    for (const IsoExtendedBlock& b : view.extended) {
      PutBe16(out, b.type);
      PutBe16(out, static_cast<uint32_t>(b.data.size() + 4));
      out.insert(out.end(), b.data.begin(), b.data.end());
    }
  }
  const uint32_t length = static_cast<uint32_t>(out.size());
  for (int i = 0; i < 4; ++i) out[8 + i] = static_cast<uint8_t>(length >> (24 - 8 * i));
  out.resize(out.size() + rec.padding, 0);
  return out;
}

Result<FingerTemplate> IsoToTemplate(const IsoFingerRecord& rec) {
  if (rec.views.empty()) return Status::InvalidArgument("iso19794-2: the record holds no finger view");
  FingerTemplate t;
  t.width = rec.width;
  t.height = rec.height;
  t.ppi = rec.x_resolution > 0 ? rec.x_resolution * 2.54 : 500;
  const IsoFingerView& view = rec.views.front();
  t.quality = view.quality;
  for (const IsoMinutia& m : view.minutiae) {
    Minutia out;
    out.x = m.x;
    out.y = m.y;
    out.direction = static_cast<float>(m.angle * (2 * std::numbers::pi / 256));
    out.type = m.type == 1   ? MinutiaType::kEnding
               : m.type == 2 ? MinutiaType::kBifurcation
                             : MinutiaType::kOther;
    out.quality = m.quality;
    t.minutiae.push_back(out);
  }
  return t;
}

Result<IsoFingerRecord> TemplateToIso(const FingerTemplate& t) {
  if (t.width < 0 || t.width > 0xFFFF || t.height < 0 || t.height > 0xFFFF) {
    return Status::InvalidArgument("iso19794-2: image size does not fit 16 bits");
  }
  IsoFingerRecord rec;
  rec.width = static_cast<uint16_t>(t.width);
  rec.height = static_cast<uint16_t>(t.height);
  rec.x_resolution = rec.y_resolution = static_cast<uint16_t>(std::lround(t.ppi / 2.54));
  IsoFingerView view;
  view.quality = static_cast<uint8_t>(std::clamp(t.quality, 0, 100));
  const size_t n = std::min<size_t>(t.minutiae.size(), 255);  // the format's count is one byte
  for (size_t i = 0; i < n; ++i) {
    const Minutia& m = t.minutiae[i];
    IsoMinutia out;
    out.type = static_cast<uint8_t>(m.type);
    out.x = static_cast<uint16_t>(std::clamp(m.x, 0, 0x3FFF));
    out.y = static_cast<uint16_t>(std::clamp(m.y, 0, 0x3FFF));
    out.angle = static_cast<uint8_t>(std::lround(m.direction * 256 / (2 * std::numbers::pi)) & 255);
    out.quality = m.quality;
    view.minutiae.push_back(out);
  }
  rec.views.push_back(std::move(view));
  return rec;
}

}  // namespace idreg::finger
