// Int8 codes of the flat index and the integer dot-product kernels over them.
//
// Codes are kept in tiles of 16 rows: for each group of 4 dimensions, the 16 rows' 4 codes lie
// next to each other (64 bytes), so one AVX-512 VNNI instruction multiplies a 4-byte piece of the
// query, broadcast, with 16 rows at once and no horizontal sums are needed. Dimensions are padded
// with zero codes to a multiple of 4, rows to a multiple of 16.
#ifndef IDREG_SRC_FACE_INT8_SCAN_H_
#define IDREG_SRC_FACE_INT8_SCAN_H_

#include <cstddef>
#include <cstdint>

#include "idreg/face/embedding_index.h"

namespace idreg::face::int8 {

inline constexpr size_t kTileRows = 16;

inline int Groups(int dim) { return (dim + 3) / 4; }
inline size_t TileBytes(int dim) { return static_cast<size_t>(Groups(dim)) * 64; }
inline size_t CodeOffset(size_t row, int d, int dim) {
  return row / kTileRows * TileBytes(dim) + static_cast<size_t>(d / 4) * 64 + row % kTileRows * 4 + d % 4;
}

// Symmetric per-vector quantisation: scale = max |v_i| / 127, code = round(v_i / scale) in
// [-127, 127] (never -128, so that negating a code cannot overflow). Writes dim codes to `codes`
// with stride 1 and returns the scale (0 for the zero vector).
float Quantize(const float* v, int dim, int8_t* codes);

// dots[i] = sum_d query[d] * code(row i, d), exactly, for every row of `tiles` tiles.
// query: Groups(dim) * 4 codes (zero-padded); code_sum: the rows' sums of codes (padded with 0).
using DotFn = void (*)(const int8_t* query, const int8_t* codes, const int32_t* code_sum, size_t tiles, int groups,
                       int32_t* dots);
DotFn DotKernel(IndexKernel kernel);

}  // namespace idreg::face::int8

#endif  // IDREG_SRC_FACE_INT8_SCAN_H_
