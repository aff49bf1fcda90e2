// Fuzzes extraction on arbitrary bytes: the first 4 bytes pick a size (64-383 per side), the rest
// fill the pixels (repeated), so the fuzzer explores ridge-like and degenerate rasters alike.
// Beyond "no crash": minutiae lie inside the image, qualities in 0-100, and matching the template
// with itself gives a score in [0, 1].
#include <cstdint>
#include <cstdlib>

#include "idreg/finger/extractor.h"
#include "idreg/finger/matcher.h"
#include "require.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace idreg::finger;
  if (size < 5) return 0;
  const int w = 64 + ((data[0] | data[1] << 8) % 320), h = 64 + ((data[2] | data[3] << 8) % 320);
  auto img = idreg::GrayImage::Create(w, h);
  if (!img.ok()) return 0;
  for (size_t i = 0; i < img->pixels.size(); ++i) img->pixels[i] = data[4 + i % (size - 4)];
  auto t = ExtractMinutiae(*img);
  if (!t.ok()) {
    Require(!t.status().message().empty());
    return 0;
  }
  Require(t->quality >= 0 && t->quality <= 100);
  for (const Minutia& m : t->minutiae) {
    Require(m.x >= 0 && m.x < w && m.y >= 0 && m.y < h && m.quality <= 100);
    Require(m.direction >= 0 && m.direction < 6.2832f);
  }
  const float self = MatchTemplates(*t, *t);
  Require(self >= 0 && self <= 1);
  return 0;
}
