// WSQ (Wavelet Scalar Quantization, FBI IAFIS-IC-0110 v3): the grayscale fingerprint image
// compression of ANSI/NIST-ITL Types 4 and 14. The decoder is written here from the
// specification: markers and tables, Huffman-coded quantized coefficients in three blocks,
// dequantization and a 9/7 symmetric wavelet synthesis over 64 subbands (60 coded).
#ifndef IDREG_IMAGE_WSQ_H_
#define IDREG_IMAGE_WSQ_H_

#include <cstdint>
#include <span>

#include "idreg/core/result.h"
#include "idreg/image/gray_image.h"

namespace idreg {

// The frame header and the resolution from the NISTCOM comment, read without decoding.
struct WsqHeader {
  int width = 0;
  int height = 0;
  int black = 0;      // the darkest and lightest pixel values the encoder saw
  int white = 255;
  int encoder = 0;    // 1 for the FBI reference encoder family
  int software = 0;   // the software implementation number
  double ppi = 0;     // from "PPI n" in a NISTCOM comment; 0 when absent or -1
};

// True when the bytes start with the WSQ SOI marker (FF A0).
bool LooksLikeWsq(std::span<const uint8_t> bytes);

// Reads markers up to the frame header. InvalidArgument naming the marker and offset.
Result<WsqHeader> ReadWsqHeader(std::span<const uint8_t> bytes);

// Decodes to 8-bit grayscale; ppi from the NISTCOM comment when present. The frame size is checked
// with CheckImageSize before anything is allocated. Errors name the marker, table or block and
// the byte offset.
Result<GrayImage> DecodeWsq(std::span<const uint8_t> bytes);

}  // namespace idreg

#endif  // IDREG_IMAGE_WSQ_H_
