// The coarse stage of 1:N (gallery.h): 256-bit codes of cylinders by sparse random sign projections
// (each code bit: the sign of a +-1 weighted sum of 32 cylinder cells, valid cells only), and the
// probe-against-candidate score. The kernel body is compiled twice, portable and with AVX-512
// (F + VPOPCNTDQ), chosen by __builtin_cpu_supports; both compute the same integers.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "finger/coarse_internal.h"
#include "finger/parameters.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace idreg::finger {
namespace {

using namespace params;
static_assert(kCoarseBits == CoarseTemplate::kCodeWords * 64, "code words");
constexpr int kCylinderBits = SearchTemplate::kWords * 64;
constexpr uint32_t kNoMatch = kCoarseBits + 1;

struct Projection {
  uint16_t cell[kCoarseProjectionDims];
  int8_t sign[kCoarseProjectionDims];
};

// Fixed for ever (part of the persistent form's version 1): a splitmix64 stream from seed 1.
const std::array<Projection, kCoarseBits>& Projections() {
  static const auto table = [] {
    std::array<Projection, kCoarseBits> t{};
    uint64_t state = 1;
    auto next = [&state] {
      uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    };
    for (Projection& p : t) {
      for (int d = 0; d < kCoarseProjectionDims; ++d) {
        const uint64_t r = next();
        p.cell[d] = static_cast<uint16_t>(r % kCylinderBits);
        p.sign[d] = (r >> 32) & 1 ? 1 : -1;
      }
    }
    return t;
  }();
  return table;
}

// The score from each probe cylinder's best (smallest) Hamming distance.
uint32_t Aggregate(const uint32_t* best, int count) {
  uint32_t v[256];
  int n = 0;
  for (int i = 0; i < count && n < 256; ++i) {
    if (best[i] >= kNoMatch) continue;
    const int sim = kCoarseBits - 2 * static_cast<int>(best[i]);
    if (sim > kCoarseSimilarityFloor) v[n++] = static_cast<uint32_t>(sim - kCoarseSimilarityFloor);
  }
  const int m = std::min(n, kCoarseBestCylinders);
  if (n > m) std::nth_element(v, v + m, v + n, [](uint32_t a, uint32_t b) { return a > b; });
  uint32_t sum = 0;
  for (int i = 0; i < m; ++i) sum += v[i];
  return sum;
}

inline bool DirectionsAgree(uint64_t a, uint64_t b) {
  const uint64_t d = (a - b) & 255;
  return d <= static_cast<uint64_t>(kCoarseDirectionGate) || d >= static_cast<uint64_t>(256 - kCoarseDirectionGate);
}

#if defined(__x86_64__)
#define IDREG_HAVE_AVX512_COARSE 1
__attribute__((target("avx512f,avx512vpopcntdq"))) uint32_t CoarseKernelAvx512(const PreparedCoarseProbe& probe,
                                                                                const uint64_t* codes,
                                                                                const uint8_t* directions,
                                                                                int count) {
  alignas(64) uint32_t best[256];
  const int blocks = std::min(probe.blocks, 32);
  __m512i mins[32];
  for (int k = 0; k < blocks; ++k) mins[k] = _mm512_set1_epi64(kNoMatch);
  const __m512i mask255 = _mm512_set1_epi64(255);
  const __m512i gate_lo = _mm512_set1_epi64(kCoarseDirectionGate);
  const __m512i gate_hi = _mm512_set1_epi64(256 - kCoarseDirectionGate);
  for (int j = 0; j < count; ++j) {
    const uint64_t* c = codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords;
    const __m512i c0 = _mm512_set1_epi64(static_cast<long long>(c[0]));
    const __m512i c1 = _mm512_set1_epi64(static_cast<long long>(c[1]));
    const __m512i c2 = _mm512_set1_epi64(static_cast<long long>(c[2]));
    const __m512i c3 = _mm512_set1_epi64(static_cast<long long>(c[3]));
    const __m512i dir = _mm512_set1_epi64(directions[j]);
    for (int k = 0; k < blocks; ++k) {
      const uint64_t* w = probe.words.data() + static_cast<size_t>(k) * 32;
      __m512i h = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(w), c0));
      h = _mm512_add_epi64(h, _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(w + 8), c1)));
      h = _mm512_add_epi64(h, _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(w + 16), c2)));
      h = _mm512_add_epi64(h, _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(w + 24), c3)));
      const __m512i d = _mm512_and_si512(
          _mm512_sub_epi64(_mm512_loadu_si512(probe.directions.data() + static_cast<size_t>(k) * 8), dir), mask255);
      const __mmask8 pass = _mm512_cmple_epu64_mask(d, gate_lo) | _mm512_cmpge_epu64_mask(d, gate_hi);
      mins[k] = _mm512_mask_min_epu64(mins[k], pass, mins[k], h);
    }
  }
  for (int k = 0; k < blocks; ++k) {
    alignas(64) uint64_t lanes[8];
    _mm512_store_si512(lanes, mins[k]);
    for (int l = 0; l < 8; ++l) best[k * 8 + l] = static_cast<uint32_t>(lanes[l]);
  }
  return Aggregate(best, std::min(probe.count, blocks * 8));
}
#endif

}  // namespace

PreparedCoarseProbe::PreparedCoarseProbe(const CoarseTemplate& probe) {
  count = static_cast<int>(std::min<size_t>(probe.size(), 256));  // MCC keeps at most kMaxMinutiae
  blocks = (count + 7) / 8;
  words.assign(static_cast<size_t>(blocks) * 32, 0);
  // Padding lanes: the scalar kernel skips directions above 255; the AVX-512 kernel computes them
  // but never reads them back.
  directions.assign(static_cast<size_t>(blocks) * 8, 1000);
  for (int i = 0; i < count; ++i) {
    const int k = i / 8, lane = i % 8;
    for (int w = 0; w < CoarseTemplate::kCodeWords; ++w)
      words[static_cast<size_t>(k) * 32 + w * 8 + lane] = probe.codes[static_cast<size_t>(i) * 4 + w];
    directions[static_cast<size_t>(k) * 8 + lane] = probe.directions[i];
  }
}

uint32_t CoarseKernelScalar(const PreparedCoarseProbe& probe, const uint64_t* codes, const uint8_t* directions,
                            int count) {
  uint32_t best[256];
  for (int i = 0; i < probe.count; ++i) best[i] = kNoMatch;
  for (int j = 0; j < count; ++j) {
    const uint64_t* c = codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords;
    for (int i = 0; i < probe.count; ++i) {
      const size_t k = static_cast<size_t>(i / 8), lane = static_cast<size_t>(i % 8);
      const uint64_t pd = probe.directions[k * 8 + lane];
      if ((pd > 255) || !DirectionsAgree(pd, directions[j])) continue;
      uint32_t h = 0;
      for (int w = 0; w < CoarseTemplate::kCodeWords; ++w)
        h += static_cast<uint32_t>(__builtin_popcountll(probe.words[k * 32 + w * 8 + lane] ^ c[w]));
      best[i] = std::min(best[i], h);
    }
  }
  return Aggregate(best, probe.count);
}

CoarseKernel BestCoarseKernel() {
#ifdef IDREG_HAVE_AVX512_COARSE
  static const bool fast = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
  if (fast) return CoarseKernelAvx512;
#endif
  return CoarseKernelScalar;
}

CoarseTemplate MakeCoarseTemplate(const SearchTemplate& search) {
  const auto& projections = Projections();
  CoarseTemplate out;
  const auto& cylinders = search.cylinders();
  out.codes.assign(cylinders.size() * CoarseTemplate::kCodeWords, 0);
  out.directions.resize(cylinders.size());
  int8_t cell[kCylinderBits];
  for (size_t c = 0; c < cylinders.size(); ++c) {
    const SearchTemplate::Cylinder& cyl = cylinders[c];
    for (int b = 0; b < kCylinderBits; ++b) {
      const bool valid = (cyl.valid[b / 64] >> (b % 64)) & 1, set = (cyl.bits[b / 64] >> (b % 64)) & 1;
      cell[b] = static_cast<int8_t>(valid ? (set ? 1 : -1) : 0);
    }
    for (int k = 0; k < kCoarseBits; ++k) {
      int sum = 0;
      for (int d = 0; d < kCoarseProjectionDims; ++d) sum += projections[k].sign[d] * cell[projections[k].cell[d]];
      if (sum > 0) out.codes[c * CoarseTemplate::kCodeWords + k / 64] |= uint64_t{1} << (k % 64);
    }
    // Cylinder directions are radians in [-pi, pi) (image axes): 256 steps per turn.
    const double turns = cyl.direction / (2 * kPi);
    out.directions[c] = static_cast<uint8_t>(static_cast<int>(std::floor(turns * 256 + 0.5)) & 255);
  }
  return out;
}

uint32_t CoarseScore(const CoarseTemplate& probe, const CoarseTemplate& candidate) {
  static const CoarseKernel kernel = BestCoarseKernel();
  return kernel(PreparedCoarseProbe(probe), candidate.codes.data(), candidate.directions.data(),
                static_cast<int>(candidate.size()));
}

uint32_t CoarseScoreReference(const CoarseTemplate& probe, const CoarseTemplate& candidate) {
  return CoarseKernelScalar(PreparedCoarseProbe(probe), candidate.codes.data(), candidate.directions.data(),
                            static_cast<int>(candidate.size()));
}

}  // namespace idreg::finger
