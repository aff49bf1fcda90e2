// The neural-network kernels the face networks need, on float32 feature maps in HWC layout
// (height x width x channels, channels fastest, the TensorFlow.js layout of the weights).
// Convolution is im2col + GEMM; the GEMM has an AVX2/FMA path chosen at run time and a scalar
// reference; every kernel has a plain loop reference (the *Reference functions) that the tests
// compare against.
#ifndef IDREG_FACE_KERNELS_H_
#define IDREG_FACE_KERNELS_H_

#include <vector>

namespace idreg::face {

struct FeatureMap {
  int h = 0, w = 0, c = 0;
  std::vector<float> v;

  FeatureMap() = default;
  FeatureMap(int h_, int w_, int c_, float fill = 0) : h(h_), w(w_), c(c_), v(static_cast<size_t>(h_) * w_ * c_, fill) {}
  float& at(int y, int x, int ch) { return v[(static_cast<size_t>(y) * w + x) * c + ch]; }
  float at(int y, int x, int ch) const { return v[(static_cast<size_t>(y) * w + x) * c + ch]; }
};

// Zero padding (convolutions) or excluded cells (pooling) around the input.
struct Padding {
  int top = 0, left = 0, bottom = 0, right = 0;
};

// TensorFlow's 'same': output = ceil(in / stride), the odd pad cell after (bottom/right).
Padding SamePadding(int in_h, int in_w, int kh, int kw, int stride);

// C[m x n] = A[m x k] * B[k x n] (+ C when accumulate), row-major.
void Gemm(const float* a, const float* b, float* c, int m, int k, int n, bool accumulate = false);
void GemmReference(const float* a, const float* b, float* c, int m, int k, int n, bool accumulate = false);
// Whether Gemm uses the AVX2/FMA path on this CPU.
bool GemmUsesAvx2();

// Convolution with filters [kh, kw, in.c, out_c] and an optional bias [out_c].
FeatureMap Conv2D(const FeatureMap& in, const float* filters, int kh, int kw, int out_c, const float* bias,
                  int stride, Padding pad);
FeatureMap Conv2DReference(const FeatureMap& in, const float* filters, int kh, int kw, int out_c,
                           const float* bias, int stride, Padding pad);

// Depthwise convolution with filters [kh, kw, c, 1], no bias.
FeatureMap DepthwiseConv(const FeatureMap& in, const float* filters, int kh, int kw, int stride, Padding pad);
FeatureMap DepthwiseConvReference(const FeatureMap& in, const float* filters, int kh, int kw, int stride,
                                  Padding pad);

// Pooling over k x k windows; padded cells are excluded (TensorFlow semantics).
FeatureMap MaxPool(const FeatureMap& in, int k, int stride, Padding pad);
FeatureMap AvgPool(const FeatureMap& in, int k, int stride, Padding pad);
FeatureMap PoolReference(const FeatureMap& in, int k, int stride, Padding pad, bool max);

// In-place activations and per-channel affine maps.
void AddBias(FeatureMap& x, const float* bias);
void ScaleBias(FeatureMap& x, const float* scale, const float* bias);  // x * scale[c] + bias[c]
void Relu(FeatureMap& x);
void LeakyRelu(FeatureMap& x, float slope);  // max(x, slope * x)
void AddInPlace(FeatureMap& x, const FeatureMap& y);

}  // namespace idreg::face

#endif  // IDREG_FACE_KERNELS_H_
