// The Hamming scan of SketchIndex: sketches in blocks of 8 rows, word-major (word w of the 8 rows
// in 64 consecutive bytes), so that the AVX-512 kernel XORs one broadcast query word with 8 rows
// per instruction, counts bits with VPOPCNTQ and needs no horizontal sums. Each kernel compares
// every distance with a threshold and appends only the rows at or under it, so a scan writes
// nothing for the ~99.9% of rows that cannot be candidates.
#ifndef IDREG_SRC_FACE_SKETCH_INDEX_SCAN_H_
#define IDREG_SRC_FACE_SKETCH_INDEX_SCAN_H_

#include <cstddef>
#include <cstdint>

#include "idreg/face/sketch_index.h"

namespace idreg::face::sketch {

inline constexpr size_t kBlockRows = 8;

inline size_t WordOffset(size_t row, size_t word, size_t words) {
  return row / kBlockRows * words * kBlockRows + word * kBlockRows + row % kBlockRows;
}

struct Candidate {
  uint32_t row;
  uint32_t distance;  // Hamming distance to the query's sketch
};

// For each row r of `blocks` blocks starting at `sketches` (row numbers first_row + r): when
// popcount(query ^ sketch) <= threshold, writes {first_row + r, distance} at out[count++].
// Returns count (out must hold blocks * 8 entries). Every kernel gives the same rows in the same
// order.
using ScanFn = size_t (*)(const uint64_t* query, const uint64_t* sketches, size_t blocks, size_t words,
                          uint32_t threshold, uint32_t first_row, Candidate* out);
ScanFn ScanKernel(SketchKernel kernel);

}  // namespace idreg::face::sketch

#endif  // IDREG_SRC_FACE_SKETCH_INDEX_SCAN_H_
