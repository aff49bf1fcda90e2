// GEMM for the convolutions: a 4-row x 16-column register tile over the whole k loop, AVX2/FMA
// when the CPU has it (chosen at run time, the file itself is compiled for the baseline), else
// the scalar reference.
#include <immintrin.h>

#include <cstring>

#include "idreg/face/kernels.h"

namespace idreg::face {
namespace {

__attribute__((target("avx2,fma"))) void GemmAvx2(const float* a, const float* b, float* c, int m, int k,
                                                   int n, bool accumulate) {
  const int n16 = n / 16 * 16;
  int i = 0;
  for (; i + 4 <= m; i += 4) {
    const float* a0 = a + static_cast<size_t>(i) * k;
    const float* a1 = a0 + k;
    const float* a2 = a1 + k;
    const float* a3 = a2 + k;
    float* c0 = c + static_cast<size_t>(i) * n;
    for (int j = 0; j < n16; j += 16) {
      __m256 r00 = _mm256_setzero_ps(), r01 = _mm256_setzero_ps(), r10 = _mm256_setzero_ps(),
             r11 = _mm256_setzero_ps(), r20 = _mm256_setzero_ps(), r21 = _mm256_setzero_ps(),
             r30 = _mm256_setzero_ps(), r31 = _mm256_setzero_ps();
      const float* bp = b + j;
      for (int p = 0; p < k; ++p, bp += n) {
        const __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
        __m256 av = _mm256_broadcast_ss(a0 + p);
        r00 = _mm256_fmadd_ps(av, b0, r00);
        r01 = _mm256_fmadd_ps(av, b1, r01);
        av = _mm256_broadcast_ss(a1 + p);
        r10 = _mm256_fmadd_ps(av, b0, r10);
        r11 = _mm256_fmadd_ps(av, b1, r11);
        av = _mm256_broadcast_ss(a2 + p);
        r20 = _mm256_fmadd_ps(av, b0, r20);
        r21 = _mm256_fmadd_ps(av, b1, r21);
        av = _mm256_broadcast_ss(a3 + p);
        r30 = _mm256_fmadd_ps(av, b0, r30);
        r31 = _mm256_fmadd_ps(av, b1, r31);
      }
      float* cr[4] = {c0 + j, c0 + n + j, c0 + 2 * static_cast<size_t>(n) + j, c0 + 3 * static_cast<size_t>(n) + j};
      const __m256 lo[4] = {r00, r10, r20, r30}, hi[4] = {r01, r11, r21, r31};
      for (int r = 0; r < 4; ++r) {
        __m256 x0 = lo[r], x1 = hi[r];
        if (accumulate) {
          x0 = _mm256_add_ps(x0, _mm256_loadu_ps(cr[r]));
          x1 = _mm256_add_ps(x1, _mm256_loadu_ps(cr[r] + 8));
        }
        _mm256_storeu_ps(cr[r], x0);
        _mm256_storeu_ps(cr[r] + 8, x1);
      }
    }
    for (int j = n16; j < n; ++j) {
      for (int r = 0; r < 4; ++r) {
        const float* ar = a0 + static_cast<size_t>(r) * k;
        float s = 0;
        for (int p = 0; p < k; ++p) s += ar[p] * b[static_cast<size_t>(p) * n + j];
        float& dst = c0[static_cast<size_t>(r) * n + j];
        dst = accumulate ? dst + s : s;
      }
    }
  }
  if (i < m) {
    GemmReference(a + static_cast<size_t>(i) * k, b, c + static_cast<size_t>(i) * n, m - i, k, n, accumulate);
  }
}

bool DetectAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

}  // namespace

bool GemmUsesAvx2() {
  static const bool avx2 = DetectAvx2();
  return avx2;
}

void GemmReference(const float* a, const float* b, float* c, int m, int k, int n, bool accumulate) {
  for (int i = 0; i < m; ++i) {
    float* cr = c + static_cast<size_t>(i) * n;
    if (!accumulate) std::memset(cr, 0, sizeof(float) * n);
    const float* ar = a + static_cast<size_t>(i) * k;
    for (int p = 0; p < k; ++p) {
      const float av = ar[p];
      const float* br = b + static_cast<size_t>(p) * n;
      for (int j = 0; j < n; ++j) cr[j] += av * br[j];
    }
  }
}

void Gemm(const float* a, const float* b, float* c, int m, int k, int n, bool accumulate) {
  if (GemmUsesAvx2()) {
    GemmAvx2(a, b, c, m, k, n, accumulate);
  } else {
    GemmReference(a, b, c, m, k, n, accumulate);
  }
}

}  // namespace idreg::face
