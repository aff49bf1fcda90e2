// The coarse stage of 1:N (gallery.h): each MCC cylinder downsampled to 8 x 8 cells x 6 directions
// with its validity mask, and the probe-against-candidate score: per probe cylinder the best MCC
// bit similarity 1 - |a xor b| / (|a| + |b|) over the cells valid in both, among candidate cylinders
// within 90 degrees of direction; the score is the mean of the best n_P of those (n_P as MCC's LSS).
// Only the kCoarseProbeCylinders probe cylinders with the most valid cells are scanned.
// The kernel exists four times: portable, the portable body built with POPCNT, AVX2 (nibble-lookup
// bit counts) and AVX-512 (F + VPOPCNTDQ), chosen by __builtin_cpu_supports; all keep each probe
// cylinder's best similarity as an exact fraction of integer counts (compared by
// cross-multiplication) and turn it into a float once, so they give the same scores.
#include <algorithm>
#include <array>
#include <numeric>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "finger/coarse_internal.h"
#include "finger/parameters.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace idreg::finger {
namespace {

using namespace params;
constexpr int kHalf = CoarseTemplate::kCodeWords / 2;  // words of cell bits; as many of validity follow
static_assert(kCoarseCells * kCoarseCells * kCylinderDirections == kHalf * 64, "coarse cells fill the words");
static_assert(kCylinderCells == 2 * kCoarseCells, "each coarse cell merges 2 x 2 cylinder cells");
constexpr int kMaxProbeCylinders = 256;  // MCC keeps at most this many minutiae
constexpr int kBlockWords = CoarseTemplate::kCodeWords * 8;

// n_P of MCC's LSS: how many of the best similarities make the score, from the smaller minutia
// count; tabulated because it is needed once per candidate.
int PairsToUse(int a, int b) {
  static const auto table = [] {
    std::array<uint8_t, kMaxProbeCylinders + 1> t{};
    for (int m = 0; m <= kMaxProbeCylinders; ++m) {
      const double z = 1.0 / (1.0 + std::exp(-kPairsTau * (m - kPairsMu)));
      t[m] = static_cast<uint8_t>(kMinPairs + std::lround(z * (kMaxPairs - kMinPairs)));
    }
    return t;
  }();
  return table[std::clamp(std::min(a, b), 0, kMaxProbeCylinders)];
}

uint32_t Aggregate(float* best, int count, int pairs_from, int candidate_count) {
  const int n = std::min(count, PairsToUse(pairs_from, candidate_count));
  if (n <= 0) return 0;
  std::partial_sort(best, best + n, best + count, std::greater<float>());
  float sum = 0;
  for (int i = 0; i < n; ++i) sum += best[i];
  return static_cast<uint32_t>(std::lround(static_cast<double>(sum) / n * kCoarseScoreScale));
}

inline bool DirectionsAgree(uint64_t a, uint64_t b) {
  const uint64_t d = (a - b) & 255;
  return d <= static_cast<uint64_t>(kCoarseDirectionGate) || d >= static_cast<uint64_t>(256 - kCoarseDirectionGate);
}

// Bits are set only in valid cells, so over the cells valid in both a xor b is
// (a & valid_b) ^ (b & valid_a), and a & b needs no mask. With x = |a xor b| and n = |a & b|,
// |a| + |b| = x + 2n and the similarity 1 - x / (x + 2n) is 2n / (x + 2n): two POPCNTs per word.
struct Fraction {
  uint32_t both = 0, total = 1;  // similarity 2 * both / total; 0 to start with
};
inline float ToSimilarity(Fraction f) {
  return 1.0f - static_cast<float>(f.total - 2 * f.both) / static_cast<float>(f.total);
}

inline __attribute__((always_inline)) uint32_t ScalarBody(const PreparedCoarseProbe& probe, const uint64_t* codes,
                                                          const uint8_t* directions, int count) {
  Fraction best[kMaxProbeCylinders];
  for (int j = 0; j < count; ++j) {
    const uint64_t* c = codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords;
    for (int i = 0; i < probe.count; ++i) {
      const size_t k = static_cast<size_t>(i / 8), lane = static_cast<size_t>(i % 8);
      if (!DirectionsAgree(probe.directions[k * 8 + lane], directions[j])) continue;
      const uint64_t* w = probe.words.data() + k * kBlockWords + lane;
      uint32_t x = 0, n = 0;
      for (int q = 0; q < kHalf; ++q) {
        const uint64_t pb = w[q * 8], pv = w[(kHalf + q) * 8];
        x += static_cast<uint32_t>(__builtin_popcountll((pb & c[kHalf + q]) ^ (pv & c[q])));
        n += static_cast<uint32_t>(__builtin_popcountll(pb & c[q]));
      }
      const uint32_t total = x + 2 * n;
      if (n * best[i].total > best[i].both * total) best[i] = {n, total};
    }
  }
  float sims[kMaxProbeCylinders];
  for (int i = 0; i < probe.count; ++i) sims[i] = ToSimilarity(best[i]);
  return Aggregate(sims, probe.count, probe.pairs_from, count);
}

#if defined(__x86_64__)
#define IDREG_HAVE_X86_COARSE 1
__attribute__((target("popcnt"))) uint32_t CoarseKernelPopcnt(const PreparedCoarseProbe& probe, const uint64_t* codes,
                                                               const uint8_t* directions, int count) {
  return ScalarBody(probe, codes, directions, count);
}

__attribute__((target("avx512f,avx512vpopcntdq"))) uint32_t CoarseKernelAvx512(const PreparedCoarseProbe& probe,
                                                                                const uint64_t* codes,
                                                                                const uint8_t* directions,
                                                                                int count) {
  const int blocks = probe.blocks;
  __m512i both[kMaxProbeCylinders / 8], total[kMaxProbeCylinders / 8];
  for (int k = 0; k < blocks; ++k) {
    both[k] = _mm512_setzero_si512();
    total[k] = _mm512_set1_epi64(1);
  }
  const __m512i mask255 = _mm512_set1_epi64(255);
  const __m512i gate_lo = _mm512_set1_epi64(kCoarseDirectionGate);
  const __m512i gate_hi = _mm512_set1_epi64(256 - kCoarseDirectionGate);
  for (int j = 0; j < count; ++j) {
    const uint64_t* c = codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords;
    __m512i cb[kHalf], cv[kHalf];
    for (int q = 0; q < kHalf; ++q) {
      cb[q] = _mm512_set1_epi64(static_cast<long long>(c[q]));
      cv[q] = _mm512_set1_epi64(static_cast<long long>(c[kHalf + q]));
    }
    const __m512i dir = _mm512_set1_epi64(directions[j]);
    for (int k = 0; k < blocks; ++k) {
      const uint64_t* w = probe.words.data() + static_cast<size_t>(k) * kBlockWords;
      const __m512i d = _mm512_and_si512(
          _mm512_sub_epi64(_mm512_loadu_si512(probe.directions.data() + static_cast<size_t>(k) * 8), dir), mask255);
      const __mmask8 pass = _mm512_cmple_epu64_mask(d, gate_lo) | _mm512_cmpge_epu64_mask(d, gate_hi);
      if (!pass) continue;
      __m512i x = _mm512_setzero_si512(), n = _mm512_setzero_si512();
      for (int q = 0; q < kHalf; ++q) {
        const __m512i pb = _mm512_loadu_si512(w + q * 8), pv = _mm512_loadu_si512(w + (kHalf + q) * 8);
        // 0x6A: (A & B) ^ C with A = pv, B = cb, C = pb & cv.
        const __m512i diff = _mm512_ternarylogic_epi64(pv, cb[q], _mm512_and_si512(pb, cv[q]), 0x6A);
        x = _mm512_add_epi64(x, _mm512_popcnt_epi64(diff));
        n = _mm512_add_epi64(n, _mm512_popcnt_epi64(_mm512_and_si512(pb, cb[q])));
      }
      const __m512i t = _mm512_add_epi64(x, _mm512_add_epi64(n, n));
      // n / t > both / total, exactly: the counts are below 2^16, so 32-bit products suffice (maskz
      // form: GCC 12 warns about the plain form's undefined operand).
      const __mmask8 better =
          pass & _mm512_cmpgt_epu64_mask(_mm512_maskz_mul_epu32(0xFF, n, total[k]), _mm512_maskz_mul_epu32(0xFF, both[k], t));
      both[k] = _mm512_mask_mov_epi64(both[k], better, n);
      total[k] = _mm512_mask_mov_epi64(total[k], better, t);
    }
  }
  float sims[kMaxProbeCylinders];
  for (int k = 0; k < blocks; ++k) {
    alignas(64) uint64_t b[8], t[8];
    _mm512_store_si512(b, both[k]);
    _mm512_store_si512(t, total[k]);
    for (int l = 0; l < 8 && k * 8 + l < probe.count; ++l)
      sims[k * 8 + l] = ToSimilarity({static_cast<uint32_t>(b[l]), static_cast<uint32_t>(t[l])});
  }
  return Aggregate(sims, probe.count, probe.pairs_from, count);
}

// AVX2 (no 64-bit POPCNT instruction): 4 probe cylinders per register, bit counts by nibble lookup
// (VPSHUFB), summed over the 6 words in bytes (at most 48 each) and then into 64-bit lanes (VPSADBW).
__attribute__((target("avx2"))) inline __m256i ByteCounts(__m256i v, __m256i lut, __m256i low) {
  const __m256i lo = _mm256_and_si256(v, low), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo), _mm256_shuffle_epi8(lut, hi));
}

__attribute__((target("avx2"))) uint32_t CoarseKernelAvx2(const PreparedCoarseProbe& probe, const uint64_t* codes,
                                                           const uint8_t* directions, int count) {
  const int blocks = probe.blocks;
  __m256i both[kMaxProbeCylinders / 4], total[kMaxProbeCylinders / 4];
  for (int k = 0; k < 2 * blocks; ++k) {
    both[k] = _mm256_setzero_si256();
    total[k] = _mm256_set1_epi64x(1);
  }
  const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2,
                                       2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
  const __m256i mask255 = _mm256_set1_epi64x(255);
  const __m256i gate_lo = _mm256_set1_epi64x(kCoarseDirectionGate);
  const __m256i gate_hi = _mm256_set1_epi64x(256 - kCoarseDirectionGate);
  for (int j = 0; j < count; ++j) {
    const uint64_t* c = codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords;
    __m256i cb[kHalf], cv[kHalf];
    for (int q = 0; q < kHalf; ++q) {
      cb[q] = _mm256_set1_epi64x(static_cast<long long>(c[q]));
      cv[q] = _mm256_set1_epi64x(static_cast<long long>(c[kHalf + q]));
    }
    const __m256i dir = _mm256_set1_epi64x(directions[j]);
    for (int k = 0; k < 2 * blocks; ++k) {
      const size_t block = static_cast<size_t>(k / 2), half = static_cast<size_t>(k % 2) * 4;
      const __m256i d = _mm256_and_si256(
          _mm256_sub_epi64(
              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(probe.directions.data() + block * 8 + half)), dir),
          mask255);
      // Fails the gate: gate_lo < d < gate_hi.
      const __m256i fail = _mm256_and_si256(_mm256_cmpgt_epi64(d, gate_lo), _mm256_cmpgt_epi64(gate_hi, d));
      if (_mm256_movemask_epi8(fail) == -1) continue;
      const uint64_t* w = probe.words.data() + block * kBlockWords + half;
      __m256i xb = zero, nb = zero;
      for (int q = 0; q < kHalf; ++q) {
        const __m256i pb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + q * 8));
        const __m256i pv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + (kHalf + q) * 8));
        const __m256i diff = _mm256_xor_si256(_mm256_and_si256(pv, cb[q]), _mm256_and_si256(pb, cv[q]));
        xb = _mm256_add_epi8(xb, ByteCounts(diff, lut, low));
        nb = _mm256_add_epi8(nb, ByteCounts(_mm256_and_si256(pb, cb[q]), lut, low));
      }
      const __m256i x = _mm256_sad_epu8(xb, zero), n = _mm256_sad_epu8(nb, zero);
      const __m256i t = _mm256_add_epi64(x, _mm256_add_epi64(n, n));
      const __m256i better = _mm256_andnot_si256(
          fail, _mm256_cmpgt_epi64(_mm256_mul_epu32(n, total[k]), _mm256_mul_epu32(both[k], t)));
      both[k] = _mm256_blendv_epi8(both[k], n, better);
      total[k] = _mm256_blendv_epi8(total[k], t, better);
    }
  }
  float sims[kMaxProbeCylinders];
  for (int k = 0; k < 2 * blocks; ++k) {
    alignas(32) uint64_t b[4], t[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(b), both[k]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(t), total[k]);
    for (int l = 0; l < 4 && k * 4 + l < probe.count; ++l)
      sims[k * 4 + l] = ToSimilarity({static_cast<uint32_t>(b[l]), static_cast<uint32_t>(t[l])});
  }
  return Aggregate(sims, probe.count, probe.pairs_from, count);
}
#endif

}  // namespace

PreparedCoarseProbe::PreparedCoarseProbe(const CoarseTemplate& probe, int scanned) {
  pairs_from = static_cast<int>(std::min<size_t>(probe.size(), kMaxProbeCylinders));
  count = std::clamp(scanned, 0, pairs_from);
  blocks = (count + 7) / 8;
  words.assign(static_cast<size_t>(blocks) * kBlockWords, 0);
  // Padding lanes hold no valid cell, so they never become better than similarity 0; the kernels
  // never read them back.
  directions.assign(static_cast<size_t>(blocks) * 8, 0);
  // Cylinders in direction order: a block of 8 then spans a narrow range of directions, and for
  // about half the candidate cylinders no lane of it passes the direction gate, so the AVX-512
  // kernel skips the block. The score does not depend on the order.
  std::vector<int> order(static_cast<size_t>(pairs_from));
  std::iota(order.begin(), order.end(), 0);
  if (count < pairs_from) {
    // Only the cylinders with the most valid cells (the best placed within the print; ties: the
    // first) are scanned.
    std::vector<int> valid(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      for (int w = kHalf; w < CoarseTemplate::kCodeWords; ++w)
        valid[i] += __builtin_popcountll(probe.codes[i * CoarseTemplate::kCodeWords + static_cast<size_t>(w)]);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return valid[a] > valid[b]; });
    order.resize(static_cast<size_t>(count));
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return probe.directions[a] < probe.directions[b]; });
  for (int slot = 0; slot < count; ++slot) {
    const int i = order[static_cast<size_t>(slot)];
    const int k = slot / 8, lane = slot % 8;
    for (int w = 0; w < CoarseTemplate::kCodeWords; ++w)
      words[static_cast<size_t>(k) * kBlockWords + w * 8 + lane] =
          probe.codes[static_cast<size_t>(i) * CoarseTemplate::kCodeWords + w];
    directions[static_cast<size_t>(k) * 8 + lane] = probe.directions[i];
  }
}

namespace {

// Valid cells of each cylinder: the validity words' bits. The POPCNT build (chosen at run time) is
// several times faster than the portable bit count the baseline x86-64 target compiles to.
inline __attribute__((always_inline)) void ValidCountsBody(const uint64_t* codes, int n, int* valid) {
  for (int j = 0; j < n; ++j) {
    const uint64_t* v = codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords + kHalf;
    int bits = 0;
    for (int w = 0; w < kHalf; ++w) bits += __builtin_popcountll(v[w]);
    valid[j] = bits;
  }
}
void ValidCountsPortable(const uint64_t* codes, int n, int* valid) { ValidCountsBody(codes, n, valid); }
#if defined(__x86_64__)
__attribute__((target("popcnt"))) void ValidCountsPopcnt(const uint64_t* codes, int n, int* valid) {
  ValidCountsBody(codes, n, valid);
}
#endif

}  // namespace

void CandidateCylinders::Choose(const uint64_t* all_codes, const uint8_t* all_directions, int all_count) {
  constexpr int keep = kCoarseGalleryCylinders;
  if (all_count <= keep) {
    codes = all_codes;
    directions = all_directions;
    count = std::max(all_count, 0);
    return;
  }
  // The keep-th largest valid-cell count is the threshold: every cylinder above it is kept, and
  // the first of those equal to it fill the rest.
  int valid[kMaxProbeCylinders];
  int order[kMaxProbeCylinders];
  const int n = std::min(all_count, kMaxProbeCylinders);
#if defined(__x86_64__)
  static const auto count_valid = __builtin_cpu_supports("popcnt") ? &ValidCountsPopcnt : &ValidCountsPortable;
#else
  static const auto count_valid = &ValidCountsPortable;
#endif
  count_valid(all_codes, n, valid);
  std::copy(valid, valid + n, order);
  std::nth_element(order, order + keep - 1, order + n, std::greater<int>());
  const int threshold = order[keep - 1];
  int above = 0;
  for (int j = 0; j < n; ++j) above += valid[j] > threshold;
  int equal_left = keep - above;
  count = 0;
  for (int j = 0; j < n && count < keep; ++j) {
    if (valid[j] < threshold || (valid[j] == threshold && equal_left-- <= 0)) continue;
    std::memcpy(kept_codes_ + static_cast<size_t>(count) * CoarseTemplate::kCodeWords,
                all_codes + static_cast<size_t>(j) * CoarseTemplate::kCodeWords, CoarseTemplate::kCodeWords * 8);
    kept_directions_[count++] = all_directions[j];
  }
  codes = kept_codes_;
  directions = kept_directions_;
}

CoarseTemplate GalleryCoarseTemplate(const CoarseTemplate& all) {
  if (all.size() <= static_cast<size_t>(kCoarseGalleryCylinders) ||
      all.codes.size() != all.size() * CoarseTemplate::kCodeWords) {
    return all;
  }
  CandidateCylinders chosen;
  chosen.Choose(all.codes.data(), all.directions.data(), static_cast<int>(all.size()));
  CoarseTemplate out;
  out.codes.assign(chosen.codes, chosen.codes + static_cast<size_t>(chosen.count) * CoarseTemplate::kCodeWords);
  out.directions.assign(chosen.directions, chosen.directions + chosen.count);
  return out;
}

uint32_t CoarseKernelScalar(const PreparedCoarseProbe& probe, const uint64_t* codes, const uint8_t* directions,
                            int count) {
  return ScalarBody(probe, codes, directions, count);
}

std::vector<std::pair<const char*, CoarseKernel>> CoarseKernelsForThisCpu() {
  std::vector<std::pair<const char*, CoarseKernel>> out = {{"scalar", &CoarseKernelScalar}};
#ifdef IDREG_HAVE_X86_COARSE
  if (__builtin_cpu_supports("popcnt")) out.emplace_back("popcnt", &CoarseKernelPopcnt);
  if (__builtin_cpu_supports("avx2")) out.emplace_back("avx2", &CoarseKernelAvx2);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq"))
    out.emplace_back("avx512", &CoarseKernelAvx512);
#endif
  return out;
}

CoarseKernel BestCoarseKernel() {
#ifdef IDREG_HAVE_X86_COARSE
  static const CoarseKernel best = [] {
    // IDREG_FINGER_COARSE_KERNEL=scalar|popcnt|avx2|avx512 picks a slower kernel, to measure it
    // (scripts/bench finger); one this CPU cannot run is ignored.
    if (const char* forced = std::getenv("IDREG_FINGER_COARSE_KERNEL")) {
      for (const auto& [name, kernel] : CoarseKernelsForThisCpu())
        if (std::strcmp(name, forced) == 0) return kernel;
    }
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) return &CoarseKernelAvx512;
    if (__builtin_cpu_supports("avx2")) return &CoarseKernelAvx2;
    if (__builtin_cpu_supports("popcnt")) return &CoarseKernelPopcnt;
    return &CoarseKernelScalar;
  }();
  return best;
#else
  return CoarseKernelScalar;
#endif
}

CoarseTemplate MakeCoarseTemplate(const SearchTemplate& search) {
  CoarseTemplate out;
  const auto& cylinders = search.cylinders();
  out.codes.assign(cylinders.size() * CoarseTemplate::kCodeWords, 0);
  out.directions.resize(cylinders.size());
  auto get = [](const uint64_t* w, int bit) { return static_cast<int>((w[bit / 64] >> (bit % 64)) & 1); };
  for (size_t c = 0; c < cylinders.size(); ++c) {
    const SearchTemplate::Cylinder& cyl = cylinders[c];
    uint64_t* code = out.codes.data() + c * CoarseTemplate::kCodeWords;
    for (int k = 0; k < kCylinderDirections; ++k) {
      for (int i = 0; i < kCoarseCells; ++i) {
        for (int j = 0; j < kCoarseCells; ++j) {
          int valid = 0, set = 0;
          for (int di = 0; di < 2; ++di) {
            for (int dj = 0; dj < 2; ++dj) {
              const int bit = (k * kCylinderCells + 2 * i + di) * kCylinderCells + 2 * j + dj;
              if (get(cyl.valid, bit)) {
                ++valid;
                set += get(cyl.bits, bit);
              }
            }
          }
          if (valid < kCoarseMinValidCells) continue;
          const int o = (k * kCoarseCells + i) * kCoarseCells + j;
          code[kHalf + o / 64] |= uint64_t{1} << (o % 64);
          if (2 * set >= valid) code[o / 64] |= uint64_t{1} << (o % 64);
        }
      }
    }
    // Cylinder directions are radians in [-pi, pi) (image axes): 256 steps per turn.
    const double turns = cyl.direction / (2 * kPi);
    out.directions[c] = static_cast<uint8_t>(static_cast<int>(std::floor(turns * 256 + 0.5)) & 255);
  }
  return out;
}

uint32_t CoarseScore(const CoarseTemplate& probe, const CoarseTemplate& candidate) {
  CandidateCylinders chosen;
  return CoarseCompare(BestCoarseKernel(), PreparedCoarseProbe(probe), candidate.codes.data(),
                       candidate.directions.data(), static_cast<int>(candidate.size()), chosen);
}

uint32_t CoarseScoreReference(const CoarseTemplate& probe, const CoarseTemplate& candidate) {
  CandidateCylinders chosen;
  return CoarseCompare(CoarseKernelScalar, PreparedCoarseProbe(probe), candidate.codes.data(),
                       candidate.directions.data(), static_cast<int>(candidate.size()), chosen);
}

}  // namespace idreg::finger
