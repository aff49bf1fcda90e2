// The WSQ decoder's stages, one file each: tables (wsq_tables.cc), subband geometry
// (wsq_tree.cc), Huffman-coded coefficients (wsq_huffman.cc), wavelet synthesis
// (wsq_wavelet.cc), and the orchestrator (wsq_decoder.cc).
#ifndef IDREG_SRC_IMAGE_WSQ_INTERNAL_H_
#define IDREG_SRC_IMAGE_WSQ_INTERNAL_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/image/wsq.h"

namespace idreg::wsq {

// Markers (the specification's section 3: SOI, EOI, SOF, SOB, DTT, DQT, DHT, DRT, COM).
inline constexpr uint16_t kSoi = 0xFFA0, kEoi = 0xFFA1, kSof = 0xFFA2, kSob = 0xFFA3, kDtt = 0xFFA4,
                          kDqt = 0xFFA5, kDht = 0xFFA6, kDrt = 0xFFA7, kCom = 0xFFA8;

// 64 subbands of which the first 60 are coded; blocks 1-3 hold subbands [0,19), [19,52), [52,60).
inline constexpr int kSubbands = 64;
inline constexpr int kCodedSubbands = 60;
inline constexpr int kBlockStart[4] = {0, 19, 52, 60};
inline constexpr int kMaxHuffmanTables = 8;
inline constexpr int kWaveletNodes = 20;

// Big-endian byte reader over the whole stream; errors carry the offset.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> b) : b_(b) {}
  size_t offset() const { return at_; }
  size_t remaining() const { return b_.size() - at_; }
  Result<uint8_t> U8(const char* what);
  Result<uint16_t> U16(const char* what);
  Result<uint32_t> U32(const char* what);
  Status Skip(size_t n, const char* what);
  std::span<const uint8_t> bytes() const { return b_; }
  void Seek(size_t at) { at_ = at; }

 private:
  std::span<const uint8_t> b_;
  size_t at_ = 0;
};

struct FrameHeader {
  WsqHeader header;
  float m_shift = 0;
  float r_scale = 0;
};

struct TransformTable {
  bool defined = false;
  std::vector<float> lo;  // synthesis lowpass, odd length, symmetric
  std::vector<float> hi;  // synthesis highpass, odd length, symmetric
};

struct QuantizationTable {
  bool defined = false;
  float bin_center = 0;
  std::array<float, kSubbands> q{};  // bin widths; 0 means the subband is not coded
  std::array<float, kSubbands> z{};  // zero-bin widths
};

struct HuffmanTable {
  bool defined = false;
  std::array<uint8_t, 16> counts{};  // codes of length 1..16
  std::vector<uint8_t> values;
};

struct Tables {
  TransformTable dtt;
  QuantizationTable dqt;
  std::array<HuffmanTable, kMaxHuffmanTables> dht;
  double ppi = 0;
};

// Reads one table or comment segment whose marker has just been read.
Status ReadTable(uint16_t marker, ByteReader& in, Tables& tables);
Result<FrameHeader> ReadFrameHeader(ByteReader& in);
Result<uint16_t> ReadMarker(ByteReader& in);

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
};

struct WaveletNode {
  Rect r;
  bool invert_x = false;  // the high band comes first along x (the specification's row inversion)
  bool invert_y = false;
};

struct Geometry {
  std::array<WaveletNode, kWaveletNodes> nodes;
  std::array<Rect, kSubbands> subbands;
};

// The decomposition tree and subband rectangles for an image of this size.
Geometry BuildGeometry(int width, int height);

// Huffman decoding of the blocks from the first SOB marker to EOI: fills `coefficients` with the
// quantized values of every coded subband in order. `in` is positioned just after SOF's segment.
Status DecodeBlocks(ByteReader& in, Tables& tables, std::vector<int>& coefficients, size_t expected);

// One-dimensional synthesis of n samples from the low and high bands laid out at
// in[0], in[stride], ... (high band first when `inverted`), written to out[0], out[stride], ...
void Synthesize(const float* in, float* out, int n, int stride, bool inverted, const TransformTable& t);

// Synthesize for kSynthesisStrip interleaved columns at once: in[i * kSynthesisStrip + c] is
// sample i of column c. Gives exactly Synthesize's result for each column.
inline constexpr int kSynthesisStrip = 16;
void SynthesizeStrip(const float* in, float* out, int n, bool inverted, const TransformTable& t);

// The matching analysis (the encoder's side), used by tests to check perfect reconstruction.
void Analyze(const float* in, float* out, int n, int stride, bool inverted, const std::vector<float>& lo,
             const std::vector<float>& hi);

// Whole-image synthesis over the 20 nodes, deepest first, in place.
void Reconstruct(std::vector<float>& image, int width, const Geometry& g, const TransformTable& t);

}  // namespace idreg::wsq

#endif  // IDREG_SRC_IMAGE_WSQ_INTERNAL_H_
