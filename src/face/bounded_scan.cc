#include "bounded_scan.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

namespace idreg::face::bounded {
namespace {

// A float at least v (v >= 0), with room for the few ulps of the double arithmetic that made v.
float Up(double v) {
  v *= 1 + 0x1p-40;
  float f = static_cast<float>(v);
  if (static_cast<double>(f) < v) f = std::nextafter(f, INFINITY);
  return f;
}

// Symmetric per-vector quantisation of a double vector (the same rule as int8::Quantize): the scale
// is a float and x' = scale * codes exactly, whatever the rounding of the codes; the residual
// reports the difference.
struct Quantized {
  float scale = 0;
  double norm = 0, sq_norm = 0, dq_norm = 0, resid = 0;
  int32_t code_sum = 0;
};

Quantized QuantizeCentred(const std::vector<double>& v, int8_t* codes) {
  Quantized out;
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  const int dim = static_cast<int>(v.size());
  if (m > 0) out.scale = static_cast<float>(m / 127);
  double dq = 0, res = 0, sq = 0;
  for (int i = 0; i < dim; ++i) {
    long c = 0;
    if (out.scale > 0) c = std::clamp(std::lround(v[i] / out.scale), -127L, 127L);
    codes[i] = static_cast<int8_t>(c);
    out.code_sum += static_cast<int32_t>(c);
    const double y = static_cast<double>(out.scale) * c;  // exact: 24 x 8 bits
    dq += y * y;
    res += (v[i] - y) * (v[i] - y);
    sq += v[i] * v[i];
  }
  out.sq_norm = sq;
  out.norm = std::sqrt(sq);
  out.dq_norm = std::sqrt(dq);
  out.resid = std::sqrt(res);
  return out;
}

double Margin(int dim) { return (8.0 * dim + 512) * 0x1p-24; }
double Tiny(int dim) { return (4.0 * dim + 128) * 0x1p-149; }

}  // namespace

RowTerms QuantizeRow(const float* x, const float* centre, int dim, int8_t* codes) {
  // x_i - mu_i of two floats is exact in double up to one rounding relative to the difference.
  std::vector<double> v(dim);
  double mx = 0;
  for (int i = 0; i < dim; ++i) {
    v[i] = static_cast<double>(x[i]) - centre[i];
    mx += static_cast<double>(centre[i]) * v[i];
  }
  const Quantized qz = QuantizeCentred(v, codes);
  RowTerms t;
  t.scale = qz.scale;
  t.sq_norm = static_cast<float>(qz.sq_norm);
  t.dq_norm = Up(qz.dq_norm);
  t.resid = Up(qz.resid);
  t.centre_dot = static_cast<float>(mx);
  t.code_sum = qz.code_sum;
  return t;
}

QueryTerms PrepareQuery(const float* q, const float* centre, double centre_sq_norm, int dim, bool l2,
                        int8_t* codes) {
  std::vector<double> v(dim);
  double qq = 0, qmu = 0;
  for (int i = 0; i < dim; ++i) {
    v[i] = static_cast<double>(q[i]) - centre[i];
    qq += static_cast<double>(q[i]) * q[i];
    qmu += static_cast<double>(q[i]) * centre[i];
  }
  const Quantized qz = QuantizeCentred(v, codes);
  const double eps = Margin(dim), tiny = Tiny(dim);
  QueryTerms t;
  t.scale = qz.scale;
  if (l2) {
    t.c0 = static_cast<float>(qz.sq_norm);
    t.cn = 1;
    t.cm = 0;
    t.f = -2 * qz.scale;
    t.wa = Up(2 * qz.resid);
    t.wr = Up(2 * qz.norm);
    t.wn = Up(eps);
    t.w0 = Up(eps * qz.sq_norm + tiny);
  } else {
    t.c0 = static_cast<float>(-qmu);
    t.cn = 0;
    t.cm = -1;
    t.f = -qz.scale;
    t.wa = Up(qz.resid);
    t.wr = Up(qz.norm);
    t.wn = Up(2 * eps);
    t.w0 = Up(eps * (qq + centre_sq_norm + qz.sq_norm) + tiny);
  }
  return t;
}

bool ScanSafe(const float* q, int dim, const QueryTerms& qt, double centre_sq_norm, double max_sq_norm,
              float min_scale) {
  if (min_scale > 0 && min_scale < kMinScale) return false;
  if (qt.scale > 0 && qt.scale < kMinScale) return false;
  double qq = 0;
  for (int i = 0; i < dim; ++i) qq += static_cast<double>(q[i]) * q[i];
  // |q~|^2 <= 2 (|q|^2 + |mu|^2); every value of the bound and of the float32 kernel is at most a
  // small multiple of this sum.
  const double big = 3 * qq + 3 * centre_sq_norm + 4 * max_sq_norm;
  return std::isfinite(big) && 64 * big < FLT_MAX;
}

void Bounds(const QueryTerms& qt, bool l2, const int32_t* __restrict dots, const float* __restrict scale,
            const float* __restrict sq_norm, const float* __restrict dq_norm, const float* __restrict resid,
            const float* __restrict centre_dot, size_t n, float* __restrict lo, float* __restrict hi) {
  // Element-wise only (no reduction), so that the compiler vectorises it without reassociating.
  const float c0 = qt.c0, f = qt.f, w0 = qt.w0, wa = qt.wa, wr = qt.wr, wn = qt.wn;
  if (l2) {
    for (size_t i = 0; i < n; ++i) {
      const float est = c0 + sq_norm[i] + f * static_cast<float>(dots[i]) * scale[i];
      const float w = w0 + wa * dq_norm[i] + wr * resid[i] + wn * sq_norm[i];
      lo[i] = est - w;
      hi[i] = est + w;
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      const float est = c0 - centre_dot[i] + f * static_cast<float>(dots[i]) * scale[i];
      const float w = w0 + wa * dq_norm[i] + wr * resid[i] + wn * sq_norm[i];
      lo[i] = est - w;
      hi[i] = est + w;
    }
  }
}

}  // namespace idreg::face::bounded
