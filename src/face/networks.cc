// Forward passes of the three networks, layer by layer as the face-api.js sources define them
// (see doc/face.md and ../shared/notes/face-models.md).
#include "idreg/face/networks.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "idreg/core/models_dir.h"
#include "idreg/face/kernels.h"
#include "idreg/face/parameters.h"
#include "idreg/face/weights.h"
#include "preprocess.h"

namespace idreg::face {

struct FaceNetworks::Impl {
  WeightMap detector, landmarks, recognition;

  const float* T(const WeightMap& m, const std::string& name) const { return m.at(name).values.data(); }
  int Dim(const WeightMap& m, const std::string& name, int i) const { return m.at(name).shape[i]; }
};

namespace {

constexpr const char* kInstallHint = "; install the face models with scripts/install-face-models";

// Shapes every tensor must have, checked once at load so the forward passes can index freely.
Status CheckDetector(const WeightMap& w) {
  const int ch[] = {16, 32, 64, 128, 256, 512};
  IDREG_RETURN_IF_ERROR(GetTensor(w, "conv0/filters", {3, 3, 3, 16}).status());
  IDREG_RETURN_IF_ERROR(GetTensor(w, "conv0/bias", {16}).status());
  for (int i = 1; i <= 5; ++i) {
    const std::string p = "conv" + std::to_string(i) + "/";
    IDREG_RETURN_IF_ERROR(GetTensor(w, p + "depthwise_filter", {3, 3, ch[i - 1], 1}).status());
    IDREG_RETURN_IF_ERROR(GetTensor(w, p + "pointwise_filter", {1, 1, ch[i - 1], ch[i]}).status());
    IDREG_RETURN_IF_ERROR(GetTensor(w, p + "bias", {ch[i]}).status());
  }
  IDREG_RETURN_IF_ERROR(GetTensor(w, "conv8/filters", {1, 1, 512, 25}).status());
  return GetTensor(w, "conv8/bias", {25}).status();
}

Status CheckLandmarks(const WeightMap& w) {
  const int ch[] = {3, 32, 64, 128, 256};
  for (int b = 0; b < 4; ++b) {
    const std::string p = "dense" + std::to_string(b) + "/";
    for (int c = 0; c < 4; ++c) {
      const std::string q = p + "conv" + std::to_string(c) + "/";
      const int in = c == 0 ? ch[b] : ch[b + 1];
      if (b == 0 && c == 0) {
        IDREG_RETURN_IF_ERROR(GetTensor(w, q + "filters", {3, 3, 3, 32}).status());
      } else {
        IDREG_RETURN_IF_ERROR(GetTensor(w, q + "depthwise_filter", {3, 3, in, 1}).status());
        IDREG_RETURN_IF_ERROR(GetTensor(w, q + "pointwise_filter", {1, 1, in, ch[b + 1]}).status());
      }
      IDREG_RETURN_IF_ERROR(GetTensor(w, q + "bias", {ch[b + 1]}).status());
    }
  }
  IDREG_RETURN_IF_ERROR(GetTensor(w, "fc/weights", {256, 136}).status());
  return GetTensor(w, "fc/bias", {136}).status();
}

Status CheckConvLayer(const WeightMap& w, const std::string& p, int k, int in, int out) {
  IDREG_RETURN_IF_ERROR(GetTensor(w, p + "conv/filters", {k, k, in, out}).status());
  IDREG_RETURN_IF_ERROR(GetTensor(w, p + "conv/bias", {out}).status());
  IDREG_RETURN_IF_ERROR(GetTensor(w, p + "scale/weights", {out}).status());
  return GetTensor(w, p + "scale/biases", {out}).status();
}

struct ResBlock {
  const char* name;
  int in, out;
};
constexpr ResBlock kResBlocks[] = {{"conv32_1", 32, 32},      {"conv32_2", 32, 32},     {"conv32_3", 32, 32},
                                   {"conv64_down", 32, 64},   {"conv64_1", 64, 64},     {"conv64_2", 64, 64},
                                   {"conv64_3", 64, 64},      {"conv128_down", 64, 128}, {"conv128_1", 128, 128},
                                   {"conv128_2", 128, 128},   {"conv256_down", 128, 256}, {"conv256_1", 256, 256},
                                   {"conv256_2", 256, 256},   {"conv256_down_out", 256, 256}};

Status CheckRecognition(const WeightMap& w) {
  IDREG_RETURN_IF_ERROR(CheckConvLayer(w, "conv32_down/", 7, 3, 32));
  for (const ResBlock& b : kResBlocks) {
    IDREG_RETURN_IF_ERROR(CheckConvLayer(w, std::string(b.name) + "/conv1/", 3, b.in, b.out));
    IDREG_RETURN_IF_ERROR(CheckConvLayer(w, std::string(b.name) + "/conv2/", 3, b.out, b.out));
  }
  return GetTensor(w, "fc", {256, 128}).status();
}

Result<WeightMap> LoadChecked(const std::filesystem::path& dir, const std::string& name,
                              Status (*check)(const WeightMap&)) {
  auto w = LoadWeights(dir, name);
  if (!w.ok()) {
    if (w.status().code() == StatusCode::kNotFound) return Status::NotFound(w.status().message() + kInstallHint);
    return w.status();
  }
  Status s = check(*w);
  if (!s.ok()) return s.WithContext(name);
  return w;
}

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

float Iou(const Box& a, const Box& b) {
  const float ix = std::max(0.0f, std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x));
  const float iy = std::max(0.0f, std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y));
  const float inter = ix * iy;
  const float uni = a.width * a.height + b.width * b.height - inter;
  return uni > 0 ? inter / uni : 0;
}

// Depthwise 3x3 + pointwise 1x1 + bias ('same' padding on the depthwise part unless `pad` given).
FeatureMap Separable(const FeatureMap& x, const float* dw, const float* pw, const float* bias, int out_c,
                     int stride, Padding pad) {
  FeatureMap d = DepthwiseConv(x, dw, 3, 3, stride, pad);
  return Conv2D(d, pw, 1, 1, out_c, bias, 1, {});
}

}  // namespace

std::filesystem::path DefaultFaceModelsDir() { return ModelsDir() / "face-api"; }

FaceNetworks::FaceNetworks(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceNetworks::~FaceNetworks() = default;

Result<std::shared_ptr<const FaceNetworks>> FaceNetworks::Load(const std::filesystem::path& dir) {
  auto impl = std::make_unique<Impl>();
  IDREG_ASSIGN_OR_RETURN(impl->detector, LoadChecked(dir, "tiny_face_detector_model", CheckDetector));
  IDREG_ASSIGN_OR_RETURN(impl->landmarks, LoadChecked(dir, "face_landmark_68_model", CheckLandmarks));
  IDREG_ASSIGN_OR_RETURN(impl->recognition, LoadChecked(dir, "face_recognition_model", CheckRecognition));
  return std::shared_ptr<const FaceNetworks>(new FaceNetworks(std::move(impl)));
}

Result<std::shared_ptr<const FaceNetworks>> FaceNetworks::LoadDefault() { return Load(DefaultFaceModelsDir()); }

std::vector<Detection> FaceNetworks::Detect(const RgbImage& image, int input_size) const {
  const int size = input_size > 0 ? (input_size + 31) / 32 * 32 : kDetectorInputSize;
  const WeightMap& w = impl_->detector;
  const Box whole{0, 0, static_cast<float>(image.width), static_cast<float>(image.height)};
  SquareInput in = ToSquareInput(image, whole, size, /*center=*/false, kDetectorMeanRgb, kInputDivisor);
  FeatureMap x = Conv2D(in.map, impl_->T(w, "conv0/filters"), 3, 3, 16, impl_->T(w, "conv0/bias"), 1, {});
  LeakyRelu(x, 0.1f);
  for (int i = 1; i <= 5; ++i) {
    x = MaxPool(x, 2, 2, SamePadding(x.h, x.w, 2, 2, 2));
    const std::string p = "conv" + std::to_string(i) + "/";
    x = Separable(x, impl_->T(w, p + "depthwise_filter"), impl_->T(w, p + "pointwise_filter"),
                  impl_->T(w, p + "bias"), impl_->Dim(w, p + "bias", 0), 1, {1, 1, 1, 1});
    LeakyRelu(x, 0.1f);
  }
  x = MaxPool(x, 2, 1, SamePadding(x.h, x.w, 2, 2, 1));
  x = Conv2D(x, impl_->T(w, "conv8/filters"), 1, 1, 25, impl_->T(w, "conv8/bias"), 1, {});

  // Grid cells to image pixels as TinyYolov2Base.extractBoxes does: relative to the image's
  // rounded size inside the input square (computeReshapedDimensions), then times the image size.
  const double fit = static_cast<double>(size) / std::max(image.width, image.height);
  const float span_x = static_cast<float>(size / std::max(1.0, std::round(image.width * fit)) * image.width);
  const float span_y = static_cast<float>(size / std::max(1.0, std::round(image.height * fit)) * image.height);
  std::vector<Detection> found;
  for (int row = 0; row < x.h; ++row) {
    for (int col = 0; col < x.w; ++col) {
      for (int a = 0; a < 5; ++a) {
        const float* t = &x.v[(static_cast<size_t>(row) * x.w + col) * x.c + a * 5];
        const float score = Sigmoid(t[4]);
        if (!(score > kDetectorScoreThreshold)) continue;
        const float cx = (col + Sigmoid(t[0])) / x.w, cy = (row + Sigmoid(t[1])) / x.h;
        const float bw = std::exp(std::min(t[2], 10.0f)) * kDetectorAnchors[a][0] / x.w;
        const float bh = std::exp(std::min(t[3], 10.0f)) * kDetectorAnchors[a][1] / x.h;
        found.push_back({{(cx - bw / 2) * span_x, (cy - bh / 2) * span_y, bw * span_x, bh * span_y}, score});
      }
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
  std::vector<Detection> kept;
  for (const Detection& d : found) {
    bool suppressed = false;
    for (const Detection& k : kept) suppressed = suppressed || Iou(d.box, k.box) > kDetectorIouThreshold;
    if (suppressed) continue;
    // Clip to the image: the grid may place a box partly outside.
    Detection c = d;
    const float x0 = std::max(0.0f, c.box.x), y0 = std::max(0.0f, c.box.y);
    const float x1 = std::min<float>(image.width, c.box.x + c.box.width);
    const float y1 = std::min<float>(image.height, c.box.y + c.box.height);
    if (x1 - x0 < 1 || y1 - y0 < 1) continue;
    kept.push_back(d);
  }
  for (Detection& d : kept) {
    const float x0 = std::max(0.0f, d.box.x), y0 = std::max(0.0f, d.box.y);
    const float x1 = std::min<float>(image.width, d.box.x + d.box.width);
    const float y1 = std::min<float>(image.height, d.box.y + d.box.height);
    d.box = {x0, y0, x1 - x0, y1 - y0};
  }
  return kept;
}

Landmarks68 FaceNetworks::Landmarks(const RgbImage& image, Box region) const {
  const WeightMap& w = impl_->landmarks;
  SquareInput in = ToSquareInput(image, region, kLandmarkInputSize, /*center=*/true, kFaceMeanRgb, kInputDivisor);
  FeatureMap x = std::move(in.map);
  const int ch[] = {32, 64, 128, 256};
  for (int b = 0; b < 4; ++b) {
    const std::string p = "dense" + std::to_string(b) + "/";
    auto conv = [&](const FeatureMap& v, int c, int stride) {
      const std::string q = p + "conv" + std::to_string(c) + "/";
      const Padding pad = SamePadding(v.h, v.w, 3, 3, stride);
      if (b == 0 && c == 0) return Conv2D(v, impl_->T(w, q + "filters"), 3, 3, ch[b], impl_->T(w, q + "bias"), stride, pad);
      return Separable(v, impl_->T(w, q + "depthwise_filter"), impl_->T(w, q + "pointwise_filter"),
                       impl_->T(w, q + "bias"), ch[b], stride, pad);
    };
    FeatureMap out1 = conv(x, 0, 2);
    Relu(out1);
    FeatureMap out2 = conv(out1, 1, 1);
    FeatureMap sum = out1;
    AddInPlace(sum, out2);
    FeatureMap in3 = sum;
    Relu(in3);
    FeatureMap out3 = conv(in3, 2, 1);
    AddInPlace(sum, out3);
    FeatureMap in4 = sum;
    Relu(in4);
    FeatureMap out4 = conv(in4, 3, 1);
    AddInPlace(sum, out4);
    Relu(sum);
    x = std::move(sum);
  }
  x = AvgPool(x, x.h, 2, {});
  std::vector<float> out(136);
  Gemm(x.v.data(), impl_->T(w, "fc/weights"), out.data(), 1, 256, 136);
  const float* bias = impl_->T(w, "fc/bias");
  Landmarks68 pts;
  for (int i = 0; i < 68; ++i) {
    const float nx = (out[2 * i] + bias[2 * i]) * kLandmarkInputSize;
    const float ny = (out[2 * i + 1] + bias[2 * i + 1]) * kLandmarkInputSize;
    pts[i] = {in.x0 + (nx - in.off_x) / in.scale, in.y0 + (ny - in.off_y) / in.scale};
  }
  return pts;
}

namespace {

FeatureMap ConvLayer(const FaceNetworks::Impl& m, const std::string& p, const FeatureMap& x, int k, int stride,
                     Padding pad, bool relu) {
  const WeightMap& w = m.recognition;
  const int out_c = m.Dim(w, p + "conv/bias", 0);
  FeatureMap y = Conv2D(x, m.T(w, p + "conv/filters"), k, k, out_c, m.T(w, p + "conv/bias"), stride, pad);
  ScaleBias(y, m.T(w, p + "scale/weights"), m.T(w, p + "scale/biases"));
  if (relu) Relu(y);
  return y;
}

}  // namespace

Descriptor FaceNetworks::Embed(const RgbImage& image, Box region) const {
  const Impl& m = *impl_;
  SquareInput in = ToSquareInput(image, region, kRecognitionInputSize, /*center=*/true, kFaceMeanRgb, kInputDivisor);
  FeatureMap x = ConvLayer(m, "conv32_down/", in.map, 7, 2, {}, true);
  x = MaxPool(x, 3, 2, {});
  for (const ResBlock& b : kResBlocks) {
    const std::string p = b.name;
    const bool down = p.find("down") != std::string::npos;
    FeatureMap out = down ? ConvLayer(m, p + "/conv1/", x, 3, 2, {}, true)
                          : ConvLayer(m, p + "/conv1/", x, 3, 1, {1, 1, 1, 1}, true);
    out = ConvLayer(m, p + "/conv2/", out, 3, 1, {1, 1, 1, 1}, false);
    if (down) {
      FeatureMap pooled = AvgPool(x, 2, 2, {});
      FeatureMap sum(pooled.h, pooled.w, out.c);
      for (int y = 0; y < sum.h; ++y)
        for (int xx = 0; xx < sum.w; ++xx)
          for (int c = 0; c < sum.c; ++c) {
            // The main path may be one row/column short (zero-padded bottom/right); the shortcut
            // has zeros for the channels it lacks.
            const float main = y < out.h && xx < out.w ? out.at(y, xx, c) : 0.0f;
            const float skip = c < pooled.c ? pooled.at(y, xx, c) : 0.0f;
            sum.at(y, xx, c) = main + skip;
          }
      x = std::move(sum);
    } else {
      AddInPlace(out, x);
      x = std::move(out);
    }
    Relu(x);
  }
  std::vector<float> mean(x.c, 0.0f);
  for (int i = 0; i < x.h * x.w; ++i)
    for (int c = 0; c < x.c; ++c) mean[c] += x.v[static_cast<size_t>(i) * x.c + c];
  for (float& v : mean) v /= static_cast<float>(x.h * x.w);
  Descriptor d{};
  Gemm(mean.data(), m.T(m.recognition, "fc"), d.data(), 1, 256, 128);
  return d;
}

Descriptor FaceNetworks::EmbedCrop(const RgbImage& crop) const {
  return Embed(crop, {0, 0, static_cast<float>(crop.width), static_cast<float>(crop.height)});
}

float DescriptorDistance(const Descriptor& a, const Descriptor& b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

}  // namespace idreg::face
