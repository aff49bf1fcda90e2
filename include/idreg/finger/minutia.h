// Minutiae and the extractor's output template. Coordinates are pixels at the template's
// resolution (500 ppi for templates idreg extracts), origin top-left, y down.
#ifndef IDREG_FINGER_MINUTIA_H_
#define IDREG_FINGER_MINUTIA_H_

#include <cstdint>
#include <vector>

namespace idreg::finger {

enum class MinutiaType : uint8_t { kOther = 0, kEnding = 1, kBifurcation = 2 };

struct Minutia {
  int x = 0;
  int y = 0;
  // Radians in [0, 2pi), counter-clockwise from the x axis with y pointing up (the ISO 19794-2
  // convention). An ending points away from its ridge (into the valley it opens); a bifurcation
  // points away from its two branches, along the stem. Both rules agree under ridge/valley duality.
  float direction = 0;
  MinutiaType type = MinutiaType::kOther;
  uint8_t quality = 0;  // 0-100, local clarity around the minutia
};

struct FingerTemplate {
  int width = 0;
  int height = 0;
  double ppi = 500;
  int quality = 0;  // 0-100, the image quality score (see doc/finger-quality in extractor.h)
  std::vector<Minutia> minutiae;
};

}  // namespace idreg::finger

#endif  // IDREG_FINGER_MINUTIA_H_
