#include "sketch_index_scan.h"

#include <immintrin.h>

namespace idreg::face::sketch {
namespace {

// The portable reference: a bit count without the POPCNT instruction (the baseline x86-64
// target lacks it, so __builtin_popcountll would call a library routine anyway).
inline uint32_t CountBits(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<uint32_t>((x * 0x0101010101010101ull) >> 56);
}

size_t ScanScalar(const uint64_t* query, const uint64_t* sketches, size_t blocks, size_t words, uint32_t threshold,
                  uint32_t first_row, Candidate* out) {
  size_t count = 0;
  for (size_t b = 0; b < blocks; ++b) {
    const uint64_t* block = sketches + b * words * kBlockRows;
    for (size_t r = 0; r < kBlockRows; ++r) {
      uint32_t d = 0;
      for (size_t w = 0; w < words; ++w) d += CountBits(query[w] ^ block[w * kBlockRows + r]);
      if (d <= threshold) out[count++] = {static_cast<uint32_t>(first_row + b * kBlockRows + r), d};
    }
  }
  return count;
}

__attribute__((target("popcnt"))) size_t ScanPopcnt(const uint64_t* query, const uint64_t* sketches, size_t blocks,
                                                     size_t words, uint32_t threshold, uint32_t first_row,
                                                     Candidate* out) {
  size_t count = 0;
  for (size_t b = 0; b < blocks; ++b) {
    const uint64_t* block = sketches + b * words * kBlockRows;
    uint32_t d[kBlockRows] = {};
    for (size_t w = 0; w < words; ++w)
      for (size_t r = 0; r < kBlockRows; ++r)
        d[r] += static_cast<uint32_t>(__builtin_popcountll(query[w] ^ block[w * kBlockRows + r]));
    for (size_t r = 0; r < kBlockRows; ++r)
      if (d[r] <= threshold) out[count++] = {static_cast<uint32_t>(first_row + b * kBlockRows + r), d[r]};
  }
  return count;
}

__attribute__((target("avx512f,avx512vpopcntdq"))) size_t ScanAvx512(const uint64_t* query, const uint64_t* sketches,
                                                                      size_t blocks, size_t words, uint32_t threshold,
                                                                      uint32_t first_row, Candidate* out) {
  size_t count = 0;
  const __m512i limit = _mm512_set1_epi64(threshold);
  for (size_t b = 0; b < blocks; ++b) {
    const uint64_t* block = sketches + b * words * kBlockRows;
    __m512i acc = _mm512_setzero_si512();
    for (size_t w = 0; w < words; ++w) {
      const __m512i x = _mm512_xor_si512(_mm512_loadu_si512(block + w * kBlockRows),
                                         _mm512_set1_epi64(static_cast<long long>(query[w])));
      acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(x));
    }
    unsigned mask = _mm512_cmple_epu64_mask(acc, limit);
    if (mask == 0) continue;  // the common case: no row of the block is a candidate
    alignas(64) uint64_t d[kBlockRows];
    _mm512_store_si512(d, acc);
    for (; mask; mask &= mask - 1) {
      const unsigned r = static_cast<unsigned>(__builtin_ctz(mask));
      out[count++] = {static_cast<uint32_t>(first_row + b * kBlockRows + r), static_cast<uint32_t>(d[r])};
    }
  }
  return count;
}

}  // namespace

ScanFn ScanKernel(SketchKernel kernel) {
  switch (kernel) {
    case SketchKernel::kAvx512: return ScanAvx512;
    case SketchKernel::kPopcnt: return ScanPopcnt;
    default: return ScanScalar;
  }
}

}  // namespace idreg::face::sketch
