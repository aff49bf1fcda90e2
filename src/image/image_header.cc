// Reads image dimensions straight from the container headers, so that the size guard runs before
// any decoder allocates. Only the fields needed for that (and the resolution) are parsed.
#include <cstring>
#include <string>

#include "idreg/image/decode.h"

namespace idreg {
namespace {

using Span = std::span<const uint8_t>;

uint32_t Be16(Span b, size_t at) { return (uint32_t{b[at]} << 8) | b[at + 1]; }
uint32_t Be32(Span b, size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }
uint32_t Le16(Span b, size_t at) { return uint32_t{b[at]} | (uint32_t{b[at + 1]} << 8); }
uint32_t Le32(Span b, size_t at) { return Le16(b, at) | (Le16(b, at + 2) << 16); }

Status Short(const char* format, const char* what, size_t offset) {
  return Status::InvalidArgument(std::string(format) + " is truncated: " + what + " at offset " +
                                 std::to_string(offset) + " is missing");
}

Result<ImageHeader> ReadTiff(Span b) {
  const bool le = b[0] == 'I';
  auto u16 = [&](size_t at) { return le ? Le16(b, at) : Be16(b, at); };
  auto u32 = [&](size_t at) { return le ? Le32(b, at) : Be32(b, at); };
  if (u16(2) == 43) return Status::InvalidArgument("tiff: BigTIFF is not supported");
  if (u16(2) != 42) return Status::InvalidArgument("tiff: bad version number " + std::to_string(u16(2)));
  if (b.size() < 8) return Short("tiff", "the first IFD offset", 4);
  const size_t ifd = u32(4);
  if (ifd + 2 > b.size()) return Short("tiff", "the first IFD", ifd);
  const size_t entries = u16(ifd);
  if (ifd + 2 + entries * 12 > b.size()) return Short("tiff", "an IFD entry", ifd + 2);
  ImageHeader h;
  h.format = ImageFormat::kTiff;
  double xres = 0;
  uint32_t unit = 2;  // TIFF default: inches
  for (size_t i = 0; i < entries; ++i) {
    const size_t e = ifd + 2 + i * 12;
    const uint32_t tag = u16(e), type = u16(e + 2);
    const uint32_t value = type == 3 ? u16(e + 8) : u32(e + 8);  // SHORT values sit left-justified
    if (tag == 256) h.width = value;
    if (tag == 257) h.height = value;
    if (tag == 296) unit = value;
    if (tag == 282 && type == 5) {
      if (value + 8 > b.size()) return Short("tiff", "the XResolution value", value);
      const uint32_t num = u32(value), den = u32(value + 4);
      if (den != 0) xres = static_cast<double>(num) / den;
    }
  }
  if (h.width == 0 || h.height == 0) {
    return Status::InvalidArgument("tiff: the first IFD has no ImageWidth or ImageLength tag");
  }
  if (unit == 2) h.ppi = xres;
  if (unit == 3) h.ppi = xres * 2.54;
  return h;
}

Result<ImageHeader> ReadPng(Span b) {
  if (b.size() < 24) return Short("png", "the IHDR chunk", 8);
  if (std::memcmp(b.data() + 12, "IHDR", 4) != 0)
    return Status::InvalidArgument("png: first chunk is not IHDR");
  ImageHeader h;
  h.format = ImageFormat::kPng;
  h.width = Be32(b, 16);
  h.height = Be32(b, 20);
  // pHYs, when present, comes before the first IDAT.
  for (size_t at = 8; at + 8 <= b.size();) {
    const size_t len = Be32(b, at);
    if (std::memcmp(b.data() + at + 4, "IDAT", 4) == 0 || len > b.size()) break;
    if (std::memcmp(b.data() + at + 4, "pHYs", 4) == 0 && len >= 9 && at + 17 <= b.size() &&
        b[at + 16] == 1) {
      h.ppi = Be32(b, at + 8) * 0.0254;  // pixels per metre
    }
    at += 12 + len;
  }
  return h;
}

Result<ImageHeader> ReadBmp(Span b) {
  if (b.size() < 26) return Short("bmp", "the DIB header", 14);
  ImageHeader h;
  h.format = ImageFormat::kBmp;
  const uint32_t dib = Le32(b, 14);
  if (dib == 12) {
    h.width = Le16(b, 18);
    h.height = Le16(b, 20);
    return h;
  }
  if (dib < 40) return Status::InvalidArgument("bmp: unknown DIB header size " + std::to_string(dib));
  h.width = static_cast<int32_t>(Le32(b, 18));
  h.height = static_cast<int32_t>(Le32(b, 22));
  if (h.height < 0) h.height = -h.height;  // top-down rows
  if (b.size() >= 42) h.ppi = Le32(b, 38) * 0.0254;
  return h;
}

Result<ImageHeader> ReadJpeg(Span b) {
  ImageHeader h;
  h.format = ImageFormat::kJpeg;
  size_t at = 2;
  while (true) {
    if (at + 4 > b.size()) return Short("jpeg", "a frame header (SOF)", at);
    if (b[at] != 0xFF) return Status::InvalidArgument("jpeg: no marker at offset " + std::to_string(at));
    const uint8_t marker = b[at + 1];
    if (marker == 0xFF) {
      ++at;
      continue;
    }  // fill byte
    const size_t len = Be16(b, at + 2);
    if (len < 2)
      return Status::InvalidArgument("jpeg: segment length below 2 at offset " + std::to_string(at));
    if (marker == 0xE0 && len >= 14 && at + 16 <= b.size() &&
        std::memcmp(b.data() + at + 4, "JFIF", 5) == 0) {
      const uint8_t units = b[at + 11];
      const double density = Be16(b, at + 12);
      h.ppi = units == 1 ? density : units == 2 ? density * 2.54 : 0;
    }
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (at + 9 > b.size()) return Short("jpeg", "the frame dimensions", at + 5);
      h.height = Be16(b, at + 5);
      h.width = Be16(b, at + 7);
      if (h.height == 0) return Status::InvalidArgument("jpeg: frame height 0 (DNL) is not supported");
      return h;
    }
    if (marker == 0xD9 || marker == 0xDA)
      return Status::InvalidArgument("jpeg: no frame header before the scan");
    at += 2 + len;
  }
}

}  // namespace

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kTiff:
      return "tiff";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kBmp:
      return "bmp";
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

Result<ImageHeader> ReadImageHeader(std::span<const uint8_t> b) {
  if (b.empty()) return Status::InvalidArgument("image is empty (0 bytes)");
  static constexpr uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Result<ImageHeader> h = Status::InvalidArgument(
      "not a TIFF, PNG, BMP or JPEG image (unrecognised signature in the first bytes)");
  if (b.size() >= 4 && ((b[0] == 'I' && b[1] == 'I') || (b[0] == 'M' && b[1] == 'M'))) {
    h = ReadTiff(b);
  } else if (b.size() >= 8 && std::memcmp(b.data(), kPng, 8) == 0) {
    h = ReadPng(b);
  } else if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M') {
    h = ReadBmp(b);
  } else if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
    h = ReadJpeg(b);
  }
  if (!h.ok()) return h;
  Status size = CheckImageSize(h->width, h->height);
  if (!size.ok()) return size.WithContext(ImageFormatName(h->format));
  if (!(h->ppi >= 0 && h->ppi < 100000)) h->ppi = 0;
  return h;
}

}  // namespace idreg
