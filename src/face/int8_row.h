// One-pair int8 dot products for the quantised HNSW graph (hnsw_index.cc), beside int8_scan's
// tiled kernels: a graph walk compares the query with one node at a time at random addresses,
// so the codes lie row by row (stride 1) instead of in 16-row tiles. The codes are those of
// int8::Quantize (symmetric per-vector scale, values in [-127, 127]).
#ifndef IDREG_SRC_FACE_INT8_ROW_H_
#define IDREG_SRC_FACE_INT8_ROW_H_

#include <cstddef>
#include <cstdint>

#include "idreg/face/embedding_index.h"

namespace idreg::face::int8 {

// Row codes are zero-padded to a multiple of this many bytes (one 512-bit register).
inline constexpr size_t kRowAlign = 64;
inline size_t RowBytes(int dim) { return (static_cast<size_t>(dim) + kRowAlign - 1) / kRowAlign * kRowAlign; }

// sum_i a[i] * b[i] over `bytes` codes (a multiple of kRowAlign), exactly. b_sum = sum_i b[i]
// (the VNNI kernel needs it: vpdpbusd multiplies unsigned by signed bytes, so a is shifted to
// a + 128 and 128 * b_sum subtracted; the others ignore it).
using RowDotFn = int32_t (*)(const int8_t* a, const int8_t* b, int32_t b_sum, size_t bytes);
RowDotFn RowDotKernel(IndexKernel kernel);

}  // namespace idreg::face::int8

#endif  // IDREG_SRC_FACE_INT8_ROW_H_
