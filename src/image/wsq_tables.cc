// WSQ markers and table segments: the transform table (DTT: the analysis filters, stored as
// halves of symmetric filters, from which the synthesis filters follow by alternating signs),
// the quantization table (DQT), Huffman tables (DHT), comments (COM) and the frame header (SOF).
// Scaled values are a byte of decimal exponent and an unsigned integer: value / 10^scale.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "image/wsq_internal.h"

namespace idreg::wsq {
namespace {

std::string At(size_t offset) { return " at offset " + std::to_string(offset); }

std::string Hex(uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04X", v);
  return b;
}

Status Truncated(const char* what, size_t offset) {
  return Status::InvalidArgument("WSQ " + std::string(what) + " is cut off" + At(offset) + " (truncated)");
}

float Scaled(uint32_t value, uint8_t scale) {
  double v = value;
  for (int i = 0; i < scale; ++i) v /= 10.0;
  return static_cast<float>(v);
}

Status ReadTransform(ByteReader& in, size_t end, TransformTable& t) {
  IDREG_ASSIGN_OR_RETURN(uint8_t hisz, in.U8("DTT high-pass length"));
  IDREG_ASSIGN_OR_RETURN(uint8_t losz, in.U8("DTT low-pass length"));
  if (hisz % 2 == 0 || losz % 2 == 0 || hisz > 31 || losz > 31) {
    return Status::InvalidArgument("WSQ DTT" + At(in.offset() - 2) + ": filter lengths " + std::to_string(hisz) + "/" +
                                   std::to_string(losz) + " are not odd lengths up to 31 (only the symmetric " +
                                   "odd-length filters of the FBI specification are supported)");
  }
  size_t need = 6u * ((hisz + 1) / 2 + (losz + 1) / 2);
  if (end - in.offset() != need) {
    return Status::InvalidArgument("WSQ DTT" + At(in.offset()) + ": the segment holds " +
                                   std::to_string(end - in.offset()) + " bytes of coefficients, filters of " +
                                   std::to_string(hisz) + " and " + std::to_string(losz) + " taps need " +
                                   std::to_string(need));
  }
  // The first half-filter is the analysis low-pass; modulated by (-1)^n it is the synthesis high-pass.
  auto read_half = [&in](int size, std::vector<float>& out) -> Status {
    int half = (size + 1) / 2, centre = size / 2;
    out.assign(size, 0.0f);
    for (int n = 0; n < half; ++n) {
      IDREG_ASSIGN_OR_RETURN(uint8_t sign, in.U8("DTT coefficient sign"));
      IDREG_ASSIGN_OR_RETURN(uint8_t scale, in.U8("DTT coefficient scale"));
      IDREG_ASSIGN_OR_RETURN(uint32_t value, in.U32("DTT coefficient"));
      float c = Scaled(value, scale) * (sign ? -1.0f : 1.0f) * (n % 2 ? -1.0f : 1.0f);
      out[centre + n] = c;
      out[centre - n] = c;
    }
    return Status::Ok();
  };
  IDREG_RETURN_IF_ERROR(read_half(hisz, t.hi));
  IDREG_RETURN_IF_ERROR(read_half(losz, t.lo));
  t.defined = true;
  return Status::Ok();
}

Status ReadQuantization(ByteReader& in, size_t end, QuantizationTable& q) {
  if (end - in.offset() != 3 + 6 * kSubbands) {
    return Status::InvalidArgument("WSQ DQT" + At(in.offset()) + ": the segment holds " +
                                   std::to_string(end - in.offset()) + " bytes, 64 subbands need " +
                                   std::to_string(3 + 6 * kSubbands));
  }
  IDREG_ASSIGN_OR_RETURN(uint8_t cs, in.U8("DQT bin centre scale"));
  IDREG_ASSIGN_OR_RETURN(uint16_t cv, in.U16("DQT bin centre"));
  q.bin_center = Scaled(cv, cs);
  for (int i = 0; i < kSubbands; ++i) {
    IDREG_ASSIGN_OR_RETURN(uint8_t qs, in.U8("DQT bin width scale"));
    IDREG_ASSIGN_OR_RETURN(uint16_t qv, in.U16("DQT bin width"));
    IDREG_ASSIGN_OR_RETURN(uint8_t zs, in.U8("DQT zero-bin scale"));
    IDREG_ASSIGN_OR_RETURN(uint16_t zv, in.U16("DQT zero-bin width"));
    q.q[i] = Scaled(qv, qs);
    q.z[i] = Scaled(zv, zs);
  }
  q.defined = true;
  return Status::Ok();
}

Status ReadHuffman(ByteReader& in, size_t end, Tables& tables) {
  while (in.offset() < end) {
    size_t start = in.offset();
    if (end - start < 17) {
      return Status::InvalidArgument("WSQ DHT" + At(start) + ": " + std::to_string(end - start) +
                                     " bytes left in the segment, a table needs at least 17");
    }
    IDREG_ASSIGN_OR_RETURN(uint8_t id, in.U8("DHT table id"));
    if (id >= kMaxHuffmanTables) {
      return Status::InvalidArgument("WSQ DHT" + At(start) + ": table id " + std::to_string(id) + " is not 0-7");
    }
    HuffmanTable h;
    size_t total = 0;
    for (int l = 0; l < 16; ++l) {
      IDREG_ASSIGN_OR_RETURN(uint8_t count, in.U8("DHT code counts"));
      h.counts[l] = count;
      total += count;
    }
    if (total == 0 || total > 256 || total > end - in.offset()) {
      return Status::InvalidArgument("WSQ DHT table " + std::to_string(id) + At(start) + ": " + std::to_string(total) +
                                     " codes do not fit the segment (at most 256, and " +
                                     std::to_string(end - in.offset()) + " bytes remain)");
    }
    auto values = in.bytes().subspan(in.offset(), total);
    h.values.assign(values.begin(), values.end());
    IDREG_RETURN_IF_ERROR(in.Skip(total, "DHT values"));
    h.defined = true;
    tables.dht[id] = std::move(h);
  }
  return Status::Ok();
}

// "PPI 500" in a NISTCOM comment; -1 means unknown.
void ReadComment(std::string_view text, Tables& tables) {
  if (text.substr(0, 8) != "NIST_COM") return;
  size_t at = text.find("\nPPI ");
  if (at == std::string_view::npos) return;
  double ppi = std::atof(std::string(text.substr(at + 5, 8)).c_str());
  if (ppi > 0 && ppi < 100000) tables.ppi = ppi;
}

}  // namespace

Result<uint8_t> ByteReader::U8(const char* what) {
  if (remaining() < 1) return Truncated(what, at_);
  return b_[at_++];
}

Result<uint16_t> ByteReader::U16(const char* what) {
  if (remaining() < 2) return Truncated(what, at_);
  uint16_t v = static_cast<uint16_t>((b_[at_] << 8) | b_[at_ + 1]);
  at_ += 2;
  return v;
}

Result<uint32_t> ByteReader::U32(const char* what) {
  if (remaining() < 4) return Truncated(what, at_);
  uint32_t v = (uint32_t{b_[at_]} << 24) | (uint32_t{b_[at_ + 1]} << 16) | (uint32_t{b_[at_ + 2]} << 8) | b_[at_ + 3];
  at_ += 4;
  return v;
}

Status ByteReader::Skip(size_t n, const char* what) {
  if (remaining() < n) return Truncated(what, at_);
  at_ += n;
  return Status::Ok();
}

Result<uint16_t> ReadMarker(ByteReader& in) {
  size_t at = in.offset();
  IDREG_ASSIGN_OR_RETURN(uint16_t m, in.U16("marker"));
  if (m < kSoi || m > kCom) {
    return Status::InvalidArgument("WSQ: expected a marker (FFA0-FFA8)" + At(at) + ", found " + Hex(m) +
                                   (at == 0 ? " (a WSQ stream starts with the SOI marker FFA0)" : ""));
  }
  return m;
}

Status ReadTable(uint16_t marker, ByteReader& in, Tables& tables) {
  size_t start = in.offset();
  IDREG_ASSIGN_OR_RETURN(uint16_t length, in.U16("segment length"));
  if (length < 2 || length - 2u > in.remaining()) {
    return Status::InvalidArgument("WSQ segment" + At(start) + ": length " + std::to_string(length) + " but " +
                                   std::to_string(in.remaining()) + " bytes remain (truncated)");
  }
  size_t end = start + length;
  Status s;
  switch (marker) {
    case kDtt: s = ReadTransform(in, end, tables.dtt); break;
    case kDqt: s = ReadQuantization(in, end, tables.dqt); break;
    case kDht: s = ReadHuffman(in, end, tables); break;
    case kCom: {
      auto b = in.bytes().subspan(in.offset(), end - in.offset());
      ReadComment(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), tables);
      in.Seek(end);
      break;
    }
    case kDrt: in.Seek(end); break;  // restart intervals: the decoder needs nothing from them
    default:
      return Status::InvalidArgument("WSQ: marker " + Hex(marker) + At(start - 2) +
                                     " is not a table");
  }
  IDREG_RETURN_IF_ERROR(s);
  if (in.offset() != end) {
    return Status::InvalidArgument("WSQ table segment" + At(start) + ": length " + std::to_string(length) +
                                   " disagrees with its content");
  }
  return Status::Ok();
}

Result<FrameHeader> ReadFrameHeader(ByteReader& in) {
  size_t start = in.offset();
  IDREG_ASSIGN_OR_RETURN(uint16_t length, in.U16("SOF length"));
  if (length != 17) {
    return Status::InvalidArgument("WSQ SOF" + At(start) + ": length " + std::to_string(length) + ", expected 17");
  }
  FrameHeader f;
  IDREG_ASSIGN_OR_RETURN(uint8_t black, in.U8("SOF black"));
  IDREG_ASSIGN_OR_RETURN(uint8_t white, in.U8("SOF white"));
  IDREG_ASSIGN_OR_RETURN(uint16_t height, in.U16("SOF height"));
  IDREG_ASSIGN_OR_RETURN(uint16_t width, in.U16("SOF width"));
  IDREG_ASSIGN_OR_RETURN(uint8_t ms, in.U8("SOF shift scale"));
  IDREG_ASSIGN_OR_RETURN(uint16_t mv, in.U16("SOF shift"));
  IDREG_ASSIGN_OR_RETURN(uint8_t rs, in.U8("SOF scale exponent"));
  IDREG_ASSIGN_OR_RETURN(uint16_t rv, in.U16("SOF scale"));
  IDREG_ASSIGN_OR_RETURN(uint8_t encoder, in.U8("SOF encoder"));
  IDREG_ASSIGN_OR_RETURN(uint16_t software, in.U16("SOF software"));
  f.header.black = black;
  f.header.white = white;
  f.header.width = width;
  f.header.height = height;
  f.header.encoder = encoder;
  f.header.software = software;
  f.m_shift = Scaled(mv, ms);
  f.r_scale = Scaled(rv, rs);
  IDREG_RETURN_IF_ERROR(CheckImageSize(width, height).WithContext("WSQ SOF" + At(start)));
  if (!(f.r_scale > 0)) return Status::InvalidArgument("WSQ SOF" + At(start) + ": the scale R is zero");
  return f;
}

}  // namespace idreg::wsq
