// The entropy-coded blocks: canonical Huffman codes (built as in JPEG, ITU T.81 annex C) over
// symbols that stand for zero runs, small coefficients and escapes (FBI specification, table
// "Huffman coding categories"). A 0xFF data byte is followed by a stuffed 0x00; any other byte
// after 0xFF is a marker and ends the block, its unused bits being padding.
#include <string>

#include "image/wsq_internal.h"

namespace idreg::wsq {
namespace {

// Symbol meanings.
constexpr int kMaxZeroRun = 100;     // 1..100: that many zeros
constexpr int kPos8 = 101;           // an 8-bit positive coefficient follows
constexpr int kNeg8 = 102;
constexpr int kPos16 = 103;
constexpr int kNeg16 = 104;
constexpr int kRun8 = 105;           // an 8-bit zero-run length follows
constexpr int kRun16 = 106;
constexpr int kValueBias = 180;      // 107..254: the coefficient symbol - 180 (-73..74)

struct Decoder {
  std::array<int32_t, 17> maxcode{};
  std::array<int32_t, 17> mincode{};
  std::array<int32_t, 17> valptr{};
  const std::vector<uint8_t>* values = nullptr;
};

Result<Decoder> BuildDecoder(const HuffmanTable& h, int id) {
  Decoder d;
  d.values = &h.values;
  int32_t code = 0, k = 0;
  for (int l = 1; l <= 16; ++l) {
    int count = h.counts[l - 1];
    d.valptr[l] = k;
    d.mincode[l] = code;
    code += count;
    k += count;
    d.maxcode[l] = count ? code - 1 : -1;
    if (code > (1 << l)) {
      return Status::InvalidArgument("WSQ DHT table " + std::to_string(id) + ": more codes of length " +
                                     std::to_string(l) + " or less than such codes can number");
    }
    code <<= 1;
  }
  return d;
}

class BitReader {
 public:
  explicit BitReader(ByteReader& in) : in_(in) {}

  // False at a marker (the reader is left on it) or at the end of the data.
  bool Bit(int& bit) {
    if (count_ == 0) {
      auto b = in_.bytes();
      size_t at = in_.offset();
      if (at >= b.size()) return false;
      if (b[at] == 0xFF) {
        if (at + 1 >= b.size()) return false;
        if (b[at + 1] != 0x00) return false;  // a marker
        in_.Seek(at + 2);
      } else {
        in_.Seek(at + 1);
      }
      byte_ = b[at];
      count_ = 8;
    }
    --count_;
    bit = (byte_ >> count_) & 1;
    return true;
  }

  bool Bits(int n, int& value) {
    value = 0;
    for (int i = 0; i < n; ++i) {
      int bit;
      if (!Bit(bit)) return false;
      value = (value << 1) | bit;
    }
    return true;
  }

 private:
  ByteReader& in_;
  uint8_t byte_ = 0;
  int count_ = 0;
};

// Decodes one block's symbols into `out` until a marker. Returns an error for a code the table
// does not have, an escape cut short, or more coefficients than the subbands hold.
Status DecodeBlock(ByteReader& in, const Decoder& d, int block, std::vector<int>& out, size_t expected) {
  BitReader bits(in);
  std::string where = "WSQ block " + std::to_string(block);
  while (true) {
    size_t symbol_at = in.offset();
    int bit;
    if (!bits.Bit(bit)) return Status::Ok();  // marker or end: the rest of the byte was padding
    int32_t code = bit;
    int l = 1;
    bool cut = false;
    while (code > d.maxcode[l]) {
      if (++l > 16) {
        return Status::InvalidArgument(where + " near offset " + std::to_string(symbol_at) +
                                       ": a bit sequence that is no code of its Huffman table");
      }
      if (!bits.Bit(bit)) {
        cut = true;
        break;
      }
      code = (code << 1) | bit;
    }
    if (cut) return Status::Ok();  // padding bits before the marker
    int symbol = (*d.values)[d.valptr[l] + code - d.mincode[l]];
    auto need = [&](size_t n) -> Status {
      if (out.size() + n > expected) {
        return Status::InvalidArgument(where + " near offset " + std::to_string(symbol_at) + ": the data holds more " +
                                       "than the " + std::to_string(expected) + " coefficients the subbands hold");
      }
      return Status::Ok();
    };
    auto extra = [&](int n, int& v) -> Status {
      if (!bits.Bits(n, v)) {
        return Status::InvalidArgument(where + " near offset " + std::to_string(symbol_at) + ": an escape's " +
                                       std::to_string(n) + "-bit value is cut off by a marker (truncated)");
      }
      return Status::Ok();
    };
    int v = 0;
    if (symbol >= 1 && symbol <= kMaxZeroRun) {
      IDREG_RETURN_IF_ERROR(need(symbol));
      out.insert(out.end(), symbol, 0);
    } else if (symbol == kPos8 || symbol == kNeg8 || symbol == kPos16 || symbol == kNeg16) {
      IDREG_RETURN_IF_ERROR(extra(symbol <= kNeg8 ? 8 : 16, v));
      IDREG_RETURN_IF_ERROR(need(1));
      out.push_back(symbol == kPos8 || symbol == kPos16 ? v : -v);
    } else if (symbol == kRun8 || symbol == kRun16) {
      IDREG_RETURN_IF_ERROR(extra(symbol == kRun8 ? 8 : 16, v));
      IDREG_RETURN_IF_ERROR(need(v));
      out.insert(out.end(), v, 0);
    } else if (symbol > kRun16 && symbol < 0xFF) {
      IDREG_RETURN_IF_ERROR(need(1));
      out.push_back(symbol - kValueBias);
    } else {
      return Status::InvalidArgument(where + " near offset " + std::to_string(symbol_at) + ": symbol " +
                                     std::to_string(symbol) + " has no meaning in WSQ");
    }
  }
}

}  // namespace

Status DecodeBlocks(ByteReader& in, Tables& tables, std::vector<int>& coefficients, size_t expected) {
  coefficients.clear();
  coefficients.reserve(expected);
  int block = 0;
  while (true) {
    size_t marker_at = in.offset();
    IDREG_ASSIGN_OR_RETURN(uint16_t marker, ReadMarker(in));
    if (marker == kEoi) break;
    if (marker == kSob) {
      ++block;
      IDREG_ASSIGN_OR_RETURN(uint16_t length, in.U16("SOB length"));
      IDREG_ASSIGN_OR_RETURN(uint8_t id, in.U8("SOB table id"));
      if (length != 3) {
        return Status::InvalidArgument("WSQ SOB at offset " + std::to_string(marker_at) + ": length " +
                                       std::to_string(length) + ", expected 3");
      }
      if (id >= kMaxHuffmanTables || !tables.dht[id].defined) {
        return Status::InvalidArgument("WSQ block " + std::to_string(block) + " at offset " +
                                       std::to_string(marker_at) + " uses Huffman table " + std::to_string(id) +
                                       ", which no DHT defined");
      }
      IDREG_ASSIGN_OR_RETURN(Decoder d, BuildDecoder(tables.dht[id], id));
      IDREG_RETURN_IF_ERROR(DecodeBlock(in, d, block, coefficients, expected));
      continue;
    }
    if (marker == kSoi || marker == kSof) {
      return Status::InvalidArgument("WSQ: unexpected marker FFA" + std::to_string(marker & 0xF) + " at offset " +
                                     std::to_string(marker_at) + " among the blocks");
    }
    IDREG_RETURN_IF_ERROR(ReadTable(marker, in, tables));
  }
  if (coefficients.size() != expected) {
    return Status::InvalidArgument("WSQ: the blocks hold " + std::to_string(coefficients.size()) +
                                   " coefficients, the subbands need " + std::to_string(expected) + " (truncated)");
  }
  return Status::Ok();
}

}  // namespace idreg::wsq
