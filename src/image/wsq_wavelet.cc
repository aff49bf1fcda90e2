// The WSQ wavelet transform: odd-length symmetric filters (the 9/7 biorthogonal pair in every
// file seen) with whole-sample symmetric extension of the signal. Analysis of n samples gives
// ceil(n/2) low-pass samples centred on even positions and floor(n/2) high-pass samples centred
// on odd ones; the symmetry of the signal carries over to the bands (whole-sample at a band's end
// whose centre is a sample, half-sample otherwise), which is what lets synthesis invert it exactly.
#include <algorithm>

#include "image/wsq_internal.h"

namespace idreg::wsq {
namespace {

// Folds index i into [0, len) by the given end symmetries (true: whole-sample, about the end
// sample; false: half-sample, about the point beyond it).
int Fold(int i, int len, bool whole_left, bool whole_right) {
  if (len <= 1) return 0;
  while (i < 0 || i >= len) {
    if (i < 0) i = whole_left ? -i : -1 - i;
    if (i >= len) i = whole_right ? 2 * (len - 1) - i : 2 * len - 1 - i;
  }
  return i;
}

}  // namespace

void Synthesize(const float* in, float* out, int n, int stride, bool inverted, const TransformTable& t) {
  if (n <= 0) return;
  const int llen = (n + 1) / 2, hlen = n / 2;
  const float* low = in + static_cast<ptrdiff_t>(inverted ? hlen : 0) * stride;
  const float* high = in + static_cast<ptrdiff_t>(inverted ? 0 : llen) * stride;
  const bool odd = n % 2 == 1;
  const int cl = static_cast<int>(t.lo.size()) / 2, ch = static_cast<int>(t.hi.size()) / 2;
  // The bands extended by their symmetries on both sides, so the filter loops need no folding.
  const int pad = std::max(cl, ch) / 2 + 2;
  thread_local std::vector<float> lx, hx;
  lx.resize(static_cast<size_t>(llen + 2 * pad));
  hx.assign(static_cast<size_t>(hlen + 2 * pad), 0.0f);
  for (int i = -pad; i < llen + pad; ++i) lx[i + pad] = low[static_cast<ptrdiff_t>(Fold(i, llen, true, odd)) * stride];
  if (hlen > 0) {
    for (int i = -pad; i < hlen + pad; ++i) hx[i + pad] = high[static_cast<ptrdiff_t>(Fold(i, hlen, false, !odd)) * stride];
  }
  const float* L = lx.data() + pad;
  const float* H = hx.data() + pad;
  const float* lo = t.lo.data() + cl;  // lo[m] for m in [-cl, cl]
  const float* hi = t.hi.data() + ch;
  // Polyphase form: low-band sample i sits at 2i and high-band sample i at 2i + 1, so output k
  // takes low-pass tap m = k - 2i and high-pass tap m = k - 2i - 1.
  for (int k = 0; k < n; ++k) {
    // Two independent sums: the adds are latency-bound, and the bands do not depend on each other.
    float sum_l = 0, sum_h = 0;
    for (int m = -cl + ((k + cl) & 1); m <= cl; m += 2) sum_l += L[(k - m) / 2] * lo[m];
    for (int m = -ch + ((k - 1 + ch) & 1); m <= ch; m += 2) sum_h += H[(k - 1 - m) / 2] * hi[m];
    out[static_cast<ptrdiff_t>(k) * stride] = sum_l + sum_h;
  }
}

void SynthesizeStrip(const float* in, float* out, int n, bool inverted, const TransformTable& t) {
  if (n <= 0) return;
  constexpr int W = kSynthesisStrip;
  const int llen = (n + 1) / 2, hlen = n / 2;
  const float* low = in + static_cast<ptrdiff_t>(inverted ? hlen : 0) * W;
  const float* high = in + static_cast<ptrdiff_t>(inverted ? 0 : llen) * W;
  const bool odd = n % 2 == 1;
  const int cl = static_cast<int>(t.lo.size()) / 2, ch = static_cast<int>(t.hi.size()) / 2;
  const int pad = std::max(cl, ch) / 2 + 2;
  thread_local std::vector<float> lx, hx;
  lx.resize(static_cast<size_t>(llen + 2 * pad) * W);
  hx.assign(static_cast<size_t>(hlen + 2 * pad) * W, 0.0f);
  for (int i = -pad; i < llen + pad; ++i) {
    const float* src = low + static_cast<ptrdiff_t>(Fold(i, llen, true, odd)) * W;
    std::copy(src, src + W, lx.begin() + static_cast<ptrdiff_t>(i + pad) * W);
  }
  if (hlen > 0) {
    for (int i = -pad; i < hlen + pad; ++i) {
      const float* src = high + static_cast<ptrdiff_t>(Fold(i, hlen, false, !odd)) * W;
      std::copy(src, src + W, hx.begin() + static_cast<ptrdiff_t>(i + pad) * W);
    }
  }
  const float* L = lx.data() + static_cast<ptrdiff_t>(pad) * W;
  const float* H = hx.data() + static_cast<ptrdiff_t>(pad) * W;
  const float* lo = t.lo.data() + cl;
  const float* hi = t.hi.data() + ch;
  // The same sums as Synthesize, in the same order, for W columns at once: the innermost loop
  // over columns is what the compiler vectorises.
  for (int k = 0; k < n; ++k) {
    float sum_l[W] = {}, sum_h[W] = {};
    for (int m = -cl + ((k + cl) & 1); m <= cl; m += 2) {
      const float* row = L + static_cast<ptrdiff_t>((k - m) / 2) * W;
      for (int c = 0; c < W; ++c) sum_l[c] += row[c] * lo[m];
    }
    for (int m = -ch + ((k - 1 + ch) & 1); m <= ch; m += 2) {
      const float* row = H + static_cast<ptrdiff_t>((k - 1 - m) / 2) * W;
      for (int c = 0; c < W; ++c) sum_h[c] += row[c] * hi[m];
    }
    float* o = out + static_cast<ptrdiff_t>(k) * W;
    for (int c = 0; c < W; ++c) o[c] = sum_l[c] + sum_h[c];
  }
}

void Analyze(const float* in, float* out, int n, int stride, bool inverted, const std::vector<float>& lo,
             const std::vector<float>& hi) {
  if (n <= 0) return;
  const int llen = (n + 1) / 2, hlen = n / 2;
  float* low = out + static_cast<ptrdiff_t>(inverted ? hlen : 0) * stride;
  float* high = out + static_cast<ptrdiff_t>(inverted ? 0 : llen) * stride;
  const int cl = static_cast<int>(lo.size()) / 2, ch = static_cast<int>(hi.size()) / 2;
  for (int i = 0; i < llen; ++i) {
    float sum = 0;
    for (int m = -cl; m <= cl; ++m) sum += lo[cl + m] * in[static_cast<ptrdiff_t>(Fold(2 * i + m, n, true, true)) * stride];
    low[static_cast<ptrdiff_t>(i) * stride] = sum;
  }
  for (int i = 0; i < hlen; ++i) {
    float sum = 0;
    for (int m = -ch; m <= ch; ++m) {
      sum += hi[ch + m] * in[static_cast<ptrdiff_t>(Fold(2 * i + 1 + m, n, true, true)) * stride];
    }
    high[static_cast<ptrdiff_t>(i) * stride] = sum;
  }
}

void Reconstruct(std::vector<float>& image, int width, const Geometry& g, const TransformTable& t) {
  std::vector<float> strip, strip_out;
  for (int node = kWaveletNodes - 1; node >= 0; --node) {
    const WaveletNode& w = g.nodes[node];
    const Rect& r = w.r;
    if (r.w <= 0 || r.h <= 0) continue;
    // Columns (along y), then rows (along x), kStrip lines at a time: the strip layout keeps
    // memory access row-wise and lets the compiler vectorise across lines. Each strip is copied
    // out first so synthesis never reads what it has already overwritten.
    constexpr int kStrip = kSynthesisStrip;
    strip.resize(static_cast<size_t>(r.h) * kStrip);
    strip_out.resize(strip.size());
    for (int x0 = 0; x0 < r.w; x0 += kStrip) {
      const int cols = std::min(kStrip, r.w - x0);
      std::fill(strip.begin(), strip.end(), 0.0f);  // a partial strip's unused columns stay 0
      for (int y = 0; y < r.h; ++y) {
        const float* row = image.data() + static_cast<size_t>(r.y + y) * width + r.x + x0;
        std::copy(row, row + cols, strip.begin() + static_cast<ptrdiff_t>(y) * kStrip);
      }
      SynthesizeStrip(strip.data(), strip_out.data(), r.h, w.invert_y, t);
      for (int y = 0; y < r.h; ++y) {
        float* row = image.data() + static_cast<size_t>(r.y + y) * width + r.x + x0;
        std::copy(strip_out.begin() + static_cast<ptrdiff_t>(y) * kStrip,
                  strip_out.begin() + static_cast<ptrdiff_t>(y) * kStrip + cols, row);
      }
    }
    // Rows: kStrip rows at a time, transposed into the strip layout.
    strip.assign(static_cast<size_t>(r.w) * kStrip, 0.0f);
    strip_out.resize(strip.size());
    for (int y0 = 0; y0 < r.h; y0 += kStrip) {
      const int rows = std::min(kStrip, r.h - y0);
      for (int j = 0; j < rows; ++j) {
        const float* row = image.data() + static_cast<size_t>(r.y + y0 + j) * width + r.x;
        for (int x = 0; x < r.w; ++x) strip[static_cast<size_t>(x) * kStrip + j] = row[x];
      }
      SynthesizeStrip(strip.data(), strip_out.data(), r.w, w.invert_x, t);
      for (int j = 0; j < rows; ++j) {
        float* row = image.data() + static_cast<size_t>(r.y + y0 + j) * width + r.x;
        for (int x = 0; x < r.w; ++x) row[x] = strip_out[static_cast<size_t>(x) * kStrip + j];
      }
    }
  }
}

}  // namespace idreg::wsq
