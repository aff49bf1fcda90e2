// Fuzzes image bytes -> colour decoding -> face detection and analysis. Decoding must reject
// bad bytes with a message; an accepted image goes through the whole pipeline without a crash
// when the face models are installed (without them, decoding alone is exercised).
#include <cstdint>
#include <cstdlib>

#include "idreg/face/image.h"
#include "idreg/face/networks.h"
#include "idreg/face/pipeline.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto nets = idreg::face::FaceNetworks::LoadDefault();
  auto img = idreg::face::DecodeRgbImage({data, size});
  if (!img.ok()) {
    Require(!img.status().message().empty());
    return 0;
  }
  Require(img->pixels.size() == static_cast<size_t>(img->width) * img->height * 3);
  // Large images are valid but slow; the detector's cost does not depend on the content.
  if (!nets.ok() || static_cast<int64_t>(img->width) * img->height > 1024 * 1024) return 0;
  for (const auto& f : idreg::face::AnalyzeFaces(**nets, *img)) {
    Require(f.detection.box.width > 0 && f.detection.box.height > 0);
  }
  return 0;
}
