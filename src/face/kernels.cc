#include <algorithm>
#include <cstring>
#include <limits>

#include "idreg/face/kernels.h"

namespace idreg::face {
namespace {

int OutSize(int in, int k, int stride, int pad_before, int pad_after) {
  return (in + pad_before + pad_after - k) / stride + 1;
}

}  // namespace

Padding SamePadding(int in_h, int in_w, int kh, int kw, int stride) {
  const int out_h = (in_h + stride - 1) / stride, out_w = (in_w + stride - 1) / stride;
  const int ph = std::max((out_h - 1) * stride + kh - in_h, 0);
  const int pw = std::max((out_w - 1) * stride + kw - in_w, 0);
  return {ph / 2, pw / 2, ph - ph / 2, pw - pw / 2};
}

FeatureMap Conv2D(const FeatureMap& in, const float* filters, int kh, int kw, int out_c, const float* bias,
                  int stride, Padding pad) {
  const int oh = OutSize(in.h, kh, stride, pad.top, pad.bottom);
  const int ow = OutSize(in.w, kw, stride, pad.left, pad.right);
  FeatureMap out(oh, ow, out_c);
  const int k = kh * kw * in.c;
  if (kh == 1 && kw == 1 && stride == 1 && pad.top == 0 && pad.left == 0 && pad.bottom == 0 && pad.right == 0) {
    Gemm(in.v.data(), filters, out.v.data(), oh * ow, k, out_c);  // the input already is the patch matrix
  } else {
    // im2col: one row per output pixel, (ky, kx, c) order to match the filter layout.
    std::vector<float> cols(static_cast<size_t>(oh) * ow * k, 0.0f);
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        float* row = cols.data() + (static_cast<size_t>(oy) * ow + ox) * k;
        for (int ky = 0; ky < kh; ++ky) {
          const int iy = oy * stride + ky - pad.top;
          if (iy < 0 || iy >= in.h) continue;
          for (int kx = 0; kx < kw; ++kx) {
            const int ix = ox * stride + kx - pad.left;
            if (ix < 0 || ix >= in.w) continue;
            std::memcpy(row + (ky * kw + kx) * in.c, &in.v[(static_cast<size_t>(iy) * in.w + ix) * in.c],
                        sizeof(float) * in.c);
          }
        }
      }
    }
    Gemm(cols.data(), filters, out.v.data(), oh * ow, k, out_c);
  }
  if (bias) AddBias(out, bias);
  return out;
}

FeatureMap Conv2DReference(const FeatureMap& in, const float* filters, int kh, int kw, int out_c,
                           const float* bias, int stride, Padding pad) {
  const int oh = OutSize(in.h, kh, stride, pad.top, pad.bottom);
  const int ow = OutSize(in.w, kw, stride, pad.left, pad.right);
  FeatureMap out(oh, ow, out_c);
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int o = 0; o < out_c; ++o) {
        double s = bias ? bias[o] : 0;
        for (int ky = 0; ky < kh; ++ky)
          for (int kx = 0; kx < kw; ++kx) {
            const int iy = oy * stride + ky - pad.top, ix = ox * stride + kx - pad.left;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            for (int c = 0; c < in.c; ++c)
              s += static_cast<double>(in.at(iy, ix, c)) * filters[((ky * kw + kx) * in.c + c) * out_c + o];
          }
        out.at(oy, ox, o) = static_cast<float>(s);
      }
  return out;
}

FeatureMap DepthwiseConv(const FeatureMap& in, const float* filters, int kh, int kw, int stride, Padding pad) {
  const int oh = OutSize(in.h, kh, stride, pad.top, pad.bottom);
  const int ow = OutSize(in.w, kw, stride, pad.left, pad.right);
  const int c = in.c;
  FeatureMap out(oh, ow, c);
  for (int oy = 0; oy < oh; ++oy) {
    for (int ox = 0; ox < ow; ++ox) {
      float* dst = &out.v[(static_cast<size_t>(oy) * ow + ox) * c];
      for (int ky = 0; ky < kh; ++ky) {
        const int iy = oy * stride + ky - pad.top;
        if (iy < 0 || iy >= in.h) continue;
        for (int kx = 0; kx < kw; ++kx) {
          const int ix = ox * stride + kx - pad.left;
          if (ix < 0 || ix >= in.w) continue;
          const float* src = &in.v[(static_cast<size_t>(iy) * in.w + ix) * c];
          const float* f = filters + (ky * kw + kx) * c;
          for (int ch = 0; ch < c; ++ch) dst[ch] += src[ch] * f[ch];
        }
      }
    }
  }
  return out;
}

FeatureMap DepthwiseConvReference(const FeatureMap& in, const float* filters, int kh, int kw, int stride,
                                  Padding pad) {
  const int oh = OutSize(in.h, kh, stride, pad.top, pad.bottom);
  const int ow = OutSize(in.w, kw, stride, pad.left, pad.right);
  FeatureMap out(oh, ow, in.c);
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int ch = 0; ch < in.c; ++ch) {
        double s = 0;
        for (int ky = 0; ky < kh; ++ky)
          for (int kx = 0; kx < kw; ++kx) {
            const int iy = oy * stride + ky - pad.top, ix = ox * stride + kx - pad.left;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            s += static_cast<double>(in.at(iy, ix, ch)) * filters[(ky * kw + kx) * in.c + ch];
          }
        out.at(oy, ox, ch) = static_cast<float>(s);
      }
  return out;
}

namespace {

template <bool kMax>
FeatureMap Pool(const FeatureMap& in, int k, int stride, Padding pad) {
  const int oh = OutSize(in.h, k, stride, pad.top, pad.bottom);
  const int ow = OutSize(in.w, k, stride, pad.left, pad.right);
  const int c = in.c;
  FeatureMap out(oh, ow, c, kMax ? -std::numeric_limits<float>::infinity() : 0.0f);
  for (int oy = 0; oy < oh; ++oy) {
    const int y0 = std::max(oy * stride - pad.top, 0), y1 = std::min(oy * stride - pad.top + k, in.h);
    for (int ox = 0; ox < ow; ++ox) {
      const int x0 = std::max(ox * stride - pad.left, 0), x1 = std::min(ox * stride - pad.left + k, in.w);
      float* dst = &out.v[(static_cast<size_t>(oy) * ow + ox) * c];
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
          const float* src = &in.v[(static_cast<size_t>(y) * in.w + x) * c];
          for (int ch = 0; ch < c; ++ch) dst[ch] = kMax ? std::max(dst[ch], src[ch]) : dst[ch] + src[ch];
        }
      if (!kMax) {
        const float inv = 1.0f / static_cast<float>((y1 - y0) * (x1 - x0));
        for (int ch = 0; ch < c; ++ch) dst[ch] *= inv;
      }
    }
  }
  return out;
}

}  // namespace

FeatureMap MaxPool(const FeatureMap& in, int k, int stride, Padding pad) { return Pool<true>(in, k, stride, pad); }
FeatureMap AvgPool(const FeatureMap& in, int k, int stride, Padding pad) { return Pool<false>(in, k, stride, pad); }

FeatureMap PoolReference(const FeatureMap& in, int k, int stride, Padding pad, bool max) {
  const int oh = OutSize(in.h, k, stride, pad.top, pad.bottom);
  const int ow = OutSize(in.w, k, stride, pad.left, pad.right);
  FeatureMap out(oh, ow, in.c);
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int ch = 0; ch < in.c; ++ch) {
        double acc = max ? -1e300 : 0;
        int n = 0;
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int iy = oy * stride + ky - pad.top, ix = ox * stride + kx - pad.left;
            if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
            const double v = in.at(iy, ix, ch);
            acc = max ? std::max(acc, v) : acc + v;
            ++n;
          }
        out.at(oy, ox, ch) = static_cast<float>(max ? acc : acc / n);
      }
  return out;
}

void AddBias(FeatureMap& x, const float* bias) {
  for (size_t i = 0; i < x.v.size(); i += x.c)
    for (int ch = 0; ch < x.c; ++ch) x.v[i + ch] += bias[ch];
}

void ScaleBias(FeatureMap& x, const float* scale, const float* bias) {
  for (size_t i = 0; i < x.v.size(); i += x.c)
    for (int ch = 0; ch < x.c; ++ch) x.v[i + ch] = x.v[i + ch] * scale[ch] + bias[ch];
}

void Relu(FeatureMap& x) {
  for (float& f : x.v) f = std::max(f, 0.0f);
}

void LeakyRelu(FeatureMap& x, float slope) {
  for (float& f : x.v) f = std::max(f, slope * f);
}

void AddInPlace(FeatureMap& x, const FeatureMap& y) {
  for (size_t i = 0; i < x.v.size(); ++i) x.v[i] += y.v[i];
}

}  // namespace idreg::face
