#include "int8_row.h"

#include <immintrin.h>

namespace idreg::face::int8 {
namespace {

int32_t RowDotScalar(const int8_t* a, const int8_t* b, int32_t, size_t bytes) {
  int32_t s = 0;
  for (size_t i = 0; i < bytes; ++i) s += int32_t{a[i]} * b[i];
  return s;
}

// As int8_scan's AVX2 kernel: |b| * sign(a, b) cannot saturate vpmaddubsw for codes in
// [-127, 127]; vpmaddwd with ones widens the pair sums to 32 bits.
__attribute__((target("avx2"))) int32_t RowDotAvx2(const int8_t* a, const int8_t* b, int32_t, size_t bytes) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i acc = _mm256_setzero_si256();
  for (size_t i = 0; i < bytes; i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i));
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_abs_epi8(y), _mm256_sign_epi8(x, y)), ones));
  }
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) int32_t RowDotVnni(const int8_t* a, const int8_t* b,
                                                                           int32_t b_sum, size_t bytes) {
  const __m512i shift = _mm512_set1_epi8(static_cast<char>(0x80));  // a ^ 0x80 == a + 128 as unsigned
  __m512i acc = _mm512_setzero_si512();
  for (size_t i = 0; i < bytes; i += 64)
    acc = _mm512_dpbusd_epi32(acc, _mm512_xor_si512(_mm512_loadu_si512(a + i), shift), _mm512_loadu_si512(b + i));
  // Summed through memory: GCC 12 warns about the extract/reduce intrinsics' undefined upper halves.
  alignas(64) int32_t lanes[16];
  _mm512_store_si512(lanes, acc);
  int32_t s = 0;
  for (int32_t v : lanes) s += v;
  return s - 128 * b_sum;
}

}  // namespace

RowDotFn RowDotKernel(IndexKernel kernel) {
  switch (kernel) {
    case IndexKernel::kAvx512: return RowDotVnni;
    case IndexKernel::kAvx2: return RowDotAvx2;
    default: return RowDotScalar;
  }
}

}  // namespace idreg::face::int8
