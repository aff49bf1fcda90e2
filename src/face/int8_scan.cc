#include "int8_scan.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace idreg::face::int8 {
namespace {

void DotsScalar(const int8_t* query, const int8_t* codes, const int32_t*, size_t tiles, int groups, int32_t* dots) {
  for (size_t t = 0; t < tiles; ++t) {
    const int8_t* tile = codes + t * groups * 64;
    for (size_t lane = 0; lane < kTileRows; ++lane) {
      int32_t s = 0;
      for (int g = 0; g < groups; ++g)
        for (int j = 0; j < 4; ++j) s += int32_t{query[g * 4 + j]} * tile[g * 64 + lane * 4 + j];
      dots[t * kTileRows + lane] = s;
    }
  }
}

// |x| * sign(q, x) keeps every product of two codes in [-127, 127] below 32767 in pairs, so
// vpmaddubsw cannot saturate; vpmaddwd with ones then sums the pairs to 4-code sums.
__attribute__((target("avx2"))) void DotsAvx2(const int8_t* query, const int8_t* codes, const int32_t*, size_t tiles,
                                               int groups, int32_t* dots) {
  const __m256i ones = _mm256_set1_epi16(1);
  for (size_t t = 0; t < tiles; ++t) {
    const int8_t* tile = codes + t * groups * 64;
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    for (int g = 0; g < groups; ++g) {
      int32_t q4;
      std::memcpy(&q4, query + g * 4, 4);
      const __m256i q = _mm256_set1_epi32(q4);
      const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tile + g * 64));
      const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tile + g * 64 + 32));
      const __m256i p0 = _mm256_maddubs_epi16(_mm256_abs_epi8(x0), _mm256_sign_epi8(q, x0));
      const __m256i p1 = _mm256_maddubs_epi16(_mm256_abs_epi8(x1), _mm256_sign_epi8(q, x1));
      lo = _mm256_add_epi32(lo, _mm256_madd_epi16(p0, ones));
      hi = _mm256_add_epi32(hi, _mm256_madd_epi16(p1, ones));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dots + t * kTileRows), lo);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dots + t * kTileRows + 8), hi);
  }
}

// vpdpbusd multiplies unsigned by signed bytes: the query is shifted to q + 128 (0..255) and
// 128 * sum(codes) of each row is subtracted at the end. Two accumulators hide the latency.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void DotsVnni(const int8_t* query, const int8_t* codes,
                                                                      const int32_t* code_sum, size_t tiles, int groups,
                                                                      int32_t* dots) {
  // The query's 4-byte pieces, shifted to unsigned, once per call.
  thread_local std::vector<uint32_t> qu;
  qu.resize(groups);
  for (int g = 0; g < groups; ++g) {
    uint32_t w = 0;
    for (int j = 0; j < 4; ++j) w |= static_cast<uint32_t>(query[g * 4 + j] + 128) << (8 * j);
    qu[g] = w;
  }
  for (size_t t = 0; t < tiles; ++t) {
    const int8_t* tile = codes + t * groups * 64;
    __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
    int g = 0;
    for (; g + 2 <= groups; g += 2) {
      a0 = _mm512_dpbusd_epi32(a0, _mm512_set1_epi32(static_cast<int>(qu[g])), _mm512_loadu_si512(tile + g * 64));
      a1 = _mm512_dpbusd_epi32(a1, _mm512_set1_epi32(static_cast<int>(qu[g + 1])),
                               _mm512_loadu_si512(tile + (g + 1) * 64));
    }
    if (g < groups)
      a0 = _mm512_dpbusd_epi32(a0, _mm512_set1_epi32(static_cast<int>(qu[g])), _mm512_loadu_si512(tile + g * 64));
    // (A multiply, not a shift: GCC 12 warns about the shift intrinsic's undefined pass-through.)
    const __m512i sums = _mm512_loadu_si512(code_sum + t * kTileRows);
    _mm512_storeu_si512(dots + t * kTileRows, _mm512_sub_epi32(_mm512_add_epi32(a0, a1), _mm512_mullo_epi32(sums, _mm512_set1_epi32(128))));
  }
}

}  // namespace

float Quantize(const float* v, int dim, int8_t* codes) {
  float m = 0;
  for (int i = 0; i < dim; ++i) m = std::max(m, std::abs(v[i]));
  if (m == 0) {
    std::memset(codes, 0, dim);
    return 0;
  }
  const float scale = m / 127, inv = 127 / m;
  for (int i = 0; i < dim; ++i)
    codes[i] = static_cast<int8_t>(std::clamp(std::lround(v[i] * inv), -127L, 127L));
  return scale;
}

DotFn DotKernel(IndexKernel kernel) {
  switch (kernel) {
    case IndexKernel::kAvx512: return DotsVnni;
    case IndexKernel::kAvx2: return DotsAvx2;
    default: return DotsScalar;
  }
}

}  // namespace idreg::face::int8
