// The error bound of the flat index's exact bounded mode (IndexPrecision::kFloat32Bounded): the int8
// scan gives, for every row, an interval that provably contains the score the float32 kernel would
// compute for it, so that only rows whose interval reaches the k-th best need the float32 kernel.
//
// Coordinates are centred: x~ = x - mu (mu: the index's centre, any fixed vector; the mean makes the
// bound tight). Each row keeps codes c_x of x~ with scale s_x (int8::Quantize), x~' = s_x c_x, and
//   n_x = |x~|^2,  a_x = |x~'|,  r_x = |x~ - x~'|,  m_x = mu . x~  (inner product only).
// The query likewise: q~, s_q, c_q, r_q; D = c_q . c_x is the exact integer the int8 kernels return.
// Since q~ . x~ = q~' . x~' + (q~ - q~') . x~' + q~ . (x~ - x~'), Cauchy-Schwarz gives
//   |q~ . x~ - s_q s_x D| <= E = r_q a_x + |q~| r_x,
// and the true scores are
//   L2:  |q - x|^2 = |q~|^2 + n_x - 2 q~ . x~        in [est - 2E, est + 2E], est = |q~|^2 + n_x - 2 s_q s_x D
//   IP:  q . x = q~ . x~ + m_x + q . mu             in [est - E, est + E],   est = s_q s_x D + m_x + q . mu.
// The float32 kernel's own rounding (|fl - exact| <= gamma_{dim+2} times a sum the norms bound,
// for any summation order, with or without FMA), the rounding of the stored quantities and of the
// float arithmetic below are covered by a margin of (8 dim + 512) 2^-24 times the norms involved
// (several times what they need) plus (4 dim + 128) 2^-149 for results that fall below FLT_MIN.
// Queries for which some value could overflow float32, or whose scale (or a row's) is below 2^-60
// (where an underflowed product would be amplified), are answered by the plain float32 scan instead
// (ScanSafe() says which), so the guarantee holds for every finite input.
#ifndef IDREG_SRC_FACE_BOUNDED_SCAN_H_
#define IDREG_SRC_FACE_BOUNDED_SCAN_H_

#include <cstddef>
#include <cstdint>

namespace idreg::face::bounded {

// Scales below this (and above 0) send queries to the plain scan (see above).
inline constexpr float kMinScale = 0x1p-60f;

// The per-row quantities above, computed in double; a_x and r_x rounded up to float.
struct RowTerms {
  float scale = 0, sq_norm = 0, dq_norm = 0, resid = 0, centre_dot = 0;
  int32_t code_sum = 0;
};
// Writes dim codes (stride 1) of x - centre.
RowTerms QuantizeRow(const float* x, const float* centre, int dim, int8_t* codes);

// Per-query coefficients of the bound, in "distance space" (the inner product negated, so that
// smaller is better for both metrics):
//   est = c0 + cn n_x + cm m_x + f D s_x,   width = w0 + wa a_x + wr r_x + wn n_x,
//   the float32 kernel's value lies in [est - width, est + width].
struct QueryTerms {
  float c0 = 0, cn = 0, cm = 0, f = 0, w0 = 0, wa = 0, wr = 0, wn = 0;
  float scale = 0;
};
// codes: dim codes (stride 1) of q - centre. centre_sq_norm = |mu|^2.
QueryTerms PrepareQuery(const float* q, const float* centre, double centre_sq_norm, int dim, bool l2, int8_t* codes);

// Whether the bounded scan is valid for a query with terms `qt` (computed as above) against rows
// whose n_x are at most max_sq_norm and whose non-zero scales are at least min_scale.
bool ScanSafe(const float* q, int dim, const QueryTerms& qt, double centre_sq_norm, double max_sq_norm,
              float min_scale);

// lo[i], hi[i] for n rows from their dot products and stored terms (centre_dot may be null for L2).
// The same code for every int8 kernel: the bounds do not depend on the kernel.
void Bounds(const QueryTerms& qt, bool l2, const int32_t* dots, const float* scale, const float* sq_norm,
             const float* dq_norm, const float* resid, const float* centre_dot, size_t n, float* lo, float* hi);

}  // namespace idreg::face::bounded

#endif  // IDREG_SRC_FACE_BOUNDED_SCAN_H_
