// WSQ decoding, start to end: SOI, tables and comments, SOF, the three Huffman-coded blocks,
// then dequantization of every coded subband and the wavelet synthesis, and last the inverse of
// the encoder's normalisation, pixel = value * R + M, rounded and clamped to 0..255.
#include <algorithm>
#include <string>

#include "idreg/image/wsq.h"
#include "image/wsq_internal.h"

namespace idreg {
namespace {

using namespace wsq;

// Reads SOI and everything before SOF (tables, comments), then SOF itself.
Result<FrameHeader> ReadUpToFrame(ByteReader& in, Tables& tables) {
  IDREG_ASSIGN_OR_RETURN(uint16_t soi, ReadMarker(in));
  if (soi != kSoi) return Status::InvalidArgument("WSQ: the data does not start with the SOI marker FFA0");
  while (true) {
    size_t at = in.offset();
    IDREG_ASSIGN_OR_RETURN(uint16_t marker, ReadMarker(in));
    if (marker == kSof) return ReadFrameHeader(in);
    if (marker == kSoi || marker == kEoi || marker == kSob) {
      return Status::InvalidArgument("WSQ: marker FFA" + std::to_string(marker & 0xF) + " at offset " +
                                     std::to_string(at) + " before the frame header (SOF)");
    }
    IDREG_RETURN_IF_ERROR(ReadTable(marker, in, tables));
  }
}

}  // namespace

bool LooksLikeWsq(std::span<const uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xA0;
}

Result<WsqHeader> ReadWsqHeader(std::span<const uint8_t> bytes) {
  ByteReader in(bytes);
  Tables tables;
  IDREG_ASSIGN_OR_RETURN(FrameHeader f, ReadUpToFrame(in, tables));
  f.header.ppi = tables.ppi;
  return f.header;
}

Result<GrayImage> DecodeWsq(std::span<const uint8_t> bytes) {
  ByteReader in(bytes);
  Tables tables;
  IDREG_ASSIGN_OR_RETURN(FrameHeader f, ReadUpToFrame(in, tables));
  const int width = f.header.width, height = f.header.height;
  const Geometry g = BuildGeometry(width, height);

  // The quantization table may come after SOF (before the first block), so the number of
  // coefficients is known only once it is read; count from the table as it stands at each use.
  std::vector<int> coefficients;
  size_t expected = 0;
  {
    // Peek the tables that precede the first SOB so that `expected` is right.
    ByteReader peek = in;
    Tables t = tables;
    while (true) {
      Result<uint16_t> m = ReadMarker(peek);
      if (!m.ok() || *m == kSob || *m == kEoi || *m == kSoi || *m == kSof) break;
      if (!ReadTable(*m, peek, t).ok()) break;
    }
    if (!t.dqt.defined) return Status::InvalidArgument("WSQ: no quantization table (DQT) precedes the first block");
    if (!t.dtt.defined) return Status::InvalidArgument("WSQ: no transform table (DTT) precedes the first block");
    for (int s = 0; s < kCodedSubbands; ++s) {
      if (t.dqt.q[s] != 0.0f) expected += static_cast<size_t>(g.subbands[s].w) * g.subbands[s].h;
    }
  }
  IDREG_RETURN_IF_ERROR(DecodeBlocks(in, tables, coefficients, expected));

  // Dequantize into the subband layout.
  std::vector<float> image(static_cast<size_t>(width) * height, 0.0f);
  const QuantizationTable& q = tables.dqt;
  size_t k = 0;
  for (int s = 0; s < kCodedSubbands; ++s) {
    if (q.q[s] == 0.0f) continue;
    const Rect& r = g.subbands[s];
    for (int y = 0; y < r.h; ++y) {
      float* row = image.data() + static_cast<size_t>(r.y + y) * width + r.x;
      for (int x = 0; x < r.w; ++x) {
        int v = coefficients[k++];
        if (v > 0) {
          row[x] = q.q[s] * (static_cast<float>(v) - q.bin_center) + q.z[s] / 2.0f;
        } else if (v < 0) {
          row[x] = q.q[s] * (static_cast<float>(v) + q.bin_center) - q.z[s] / 2.0f;
        }
      }
    }
  }
  Reconstruct(image, width, g, tables.dtt);

  IDREG_ASSIGN_OR_RETURN(GrayImage out, GrayImage::Create(width, height, 0, tables.ppi));
  for (size_t i = 0; i < image.size(); ++i) {
    float v = image[i] * f.r_scale + f.m_shift + 0.5f;
    // Absurd tables can overflow to infinities (and their difference to NaN): clamp those too.
    out.pixels[i] = v >= 255.0f ? 255 : v >= 0.0f ? static_cast<uint8_t>(v) : 0;
  }
  return out;
}

}  // namespace idreg
