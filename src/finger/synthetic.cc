// Synthetic fingers and their impressions (see synthetic.h). A finger: an elliptic print area, an
// orientation field from the zero-pole model (Sherlock & Monro 1993) and minutiae placed by dart
// throwing with a soft minimum spacing. An impression: the minutiae inside a shifted capture
// window, moved by a smooth random displacement field (skin distortion) and a rigid pose, with
// noise, misses and spurious minutiae. Constants: the synthetic section of parameters.h.
#include "idreg/finger/synthetic.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "finger/parameters.h"

namespace idreg::finger {
namespace {

using namespace params;

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A small deterministic generator; std:: distributions differ between standard libraries.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix(state_ += 0x9e3779b97f4a7c15ULL); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  double Normal() {
    const double u = 1 - Uniform(), v = Uniform();  // u in (0, 1]
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * kPi * v);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  int Poisson(double lambda) {  // Knuth; lambda is small here
    const double limit = std::exp(-lambda);
    int k = 0;
    for (double p = Uniform(); p > limit; p *= Uniform()) ++k;
    return k;
  }

 private:
  uint64_t state_;
};

struct Point {
  double x, y;
};

struct Finger {
  Point centre;
  double a, b;  // half-axes of the print
  std::vector<Point> cores, deltas;
  bool arch = false;
  struct Raw {
    double x, y, dir;  // dir: image axes (y down), radians
    bool flipped;      // points against the orientation field's angle (sense)
    MinutiaType type;
    double quality;
  };
  std::vector<Raw> minutiae;

  bool Inside(double x, double y) const {
    const double u = (x - centre.x) / a, v = (y - centre.y) / b;
    return u * u + v * v <= 1;
  }
  // Ridge orientation (image axes, modulo pi).
  double Orientation(double x, double y) const {
    if (arch) {  // ridges across the finger, arched over its middle
      const double u = (x - centre.x) / a, v = (y - centre.y + 0.2 * b) / b;
      return -0.7 * std::sin(kPi * u) * std::exp(-2 * v * v);
    }
    double t = 0;
    for (const Point& d : deltas) t += std::atan2(y - d.y, x - d.x);
    for (const Point& c : cores) t -= std::atan2(y - c.y, x - c.x);
    return 0.5 * t;
  }
};

Finger MakeFinger(uint64_t seed, uint64_t index) {
  Rng rng(Mix(seed ^ Mix(index)));
  Finger f;
  f.centre = {kSynthWidth / 2.0 + rng.Normal(0, 8), kSynthHeight / 2.0 + rng.Normal(0, 8)};
  f.a = std::clamp(rng.Normal(kSynthPrintA, kSynthPrintASd), 0.75 * kSynthPrintA, 1.25 * kSynthPrintA);
  f.b = std::clamp(rng.Normal(kSynthPrintB, kSynthPrintBSd), 0.75 * kSynthPrintB, 1.25 * kSynthPrintB);
  const double kind = rng.Uniform();
  const Point core = {f.centre.x + rng.Normal(0, 15), f.centre.y - 0.2 * f.b + rng.Normal(0, 15)};
  if (kind < kSynthArchShare) {
    f.arch = true;
  } else if (kind < kSynthArchShare + kSynthLoopShare) {  // loop: one core, one delta to one side
    const double side = rng.Uniform() < 0.5 ? -1 : 1;
    f.cores = {core};
    f.deltas = {{core.x + side * rng.Normal(75, 12), core.y + rng.Normal(100, 15)}};
  } else {  // whorl: two cores stacked, deltas on both sides
    f.cores = {{core.x + rng.Normal(0, 6), core.y - rng.Normal(14, 4)},
               {core.x + rng.Normal(0, 6), core.y + rng.Normal(14, 4)}};
    f.deltas = {{core.x - rng.Normal(85, 12), core.y + rng.Normal(100, 15)},
                {core.x + rng.Normal(85, 12), core.y + rng.Normal(100, 15)}};
  }
  const int count = std::clamp(static_cast<int>(std::lround(rng.Normal(kSynthCountMean, kSynthCountSd))),
                               kSynthCountMin, kSynthCountMax);
  for (int tries = 0; static_cast<int>(f.minutiae.size()) < count && tries < 50 * count; ++tries) {
    const double x = rng.Uniform(f.centre.x - f.a, f.centre.x + f.a);
    const double y = rng.Uniform(f.centre.y - f.b, f.centre.y + f.b);
    if (!f.Inside(x, y)) continue;
    double nearest = 1e9;
    const Finger::Raw* neighbour = nullptr;
    for (const Finger::Raw& m : f.minutiae) {
      const double d = std::hypot(m.x - x, m.y - y);
      if (d < nearest) nearest = d, neighbour = &m;
    }
    if (nearest < kSynthHardCore) continue;
    const double accept = std::min(1.0, (nearest / kSynthSoftCore) * (nearest / kSynthSoftCore));
    if (rng.Uniform() >= accept) continue;
    bool flipped = rng.Uniform() < 0.5;
    if (neighbour && nearest <= 30 && rng.Uniform() < kSynthSenseAgreement) flipped = neighbour->flipped;
    const double dir = f.Orientation(x, y) + (flipped ? kPi : 0) + rng.Normal(0, kSynthDirectionNoise);
    const MinutiaType type =
        rng.Uniform() < kSynthBifurcationShare ? MinutiaType::kBifurcation : MinutiaType::kEnding;
    const double quality = std::clamp(rng.Normal(kSynthQualityMean, kSynthQualitySd), 5.0, 99.0);
    f.minutiae.push_back({x, y, dir, flipped, type, quality});
  }
  return f;
}

// The skin's elastic distortion: a sum of Gaussian bumps of displacement.
struct Distortion {
  Point centre[kSynthDistortionCentres];
  Point shift[kSynthDistortionCentres];
  Point Apply(double x, double y) const {
    double dx = 0, dy = 0;
    for (int k = 0; k < kSynthDistortionCentres; ++k) {
      const double ex = x - centre[k].x, ey = y - centre[k].y;
      const double w =
          std::exp(-(ex * ex + ey * ey) / (2 * kSynthDistortionWidth * kSynthDistortionWidth));
      dx += w * shift[k].x;
      dy += w * shift[k].y;
    }
    return {x + dx, y + dy};
  }
};

double Wrap(double a) {  // to [0, 2pi)
  a = std::fmod(a, 2 * kPi);
  return a < 0 ? a + 2 * kPi : a;
}

}  // namespace

FingerTemplate SyntheticFingers::Impression(uint64_t finger, int impression) const {
  const Finger f = MakeFinger(seed_, finger);
  Rng rng(Mix(Mix(seed_ ^ Mix(finger)) + static_cast<uint64_t>(impression) + 1));
  const Point window = {f.centre.x + rng.Normal(0, kSynthWindowShift),
                        f.centre.y + rng.Normal(0, kSynthWindowShift)};
  const double severity = rng.Uniform(kSynthSeverityMin, kSynthSeverityMax);
  Distortion distortion;
  for (int k = 0; k < kSynthDistortionCentres; ++k) {
    distortion.centre[k] = {rng.Uniform(window.x - kSynthWindowA, window.x + kSynthWindowA),
                            rng.Uniform(window.y - kSynthWindowB, window.y + kSynthWindowB)};
    distortion.shift[k] = {rng.Normal(0, severity * kSynthDistortion), rng.Normal(0, severity * kSynthDistortion)};
  }
  const double rotation = rng.Uniform(-kSynthRotation, kSynthRotation);
  const double co = std::cos(rotation), si = std::sin(rotation);
  const Point shift = {rng.Normal(0, kSynthTranslation), rng.Normal(0, kSynthTranslation)};
  const Point pivot = {kSynthWidth / 2.0, kSynthHeight / 2.0};
  auto pose = [&](Point p) {  // distortion, then the rigid placement on the sensor
    p = distortion.Apply(p.x, p.y);
    const double x = p.x - pivot.x, y = p.y - pivot.y;
    return Point{pivot.x + co * x - si * y + shift.x, pivot.y + si * x + co * y + shift.y};
  };
  auto in_window = [&](double x, double y) {
    const double u = (x - window.x) / kSynthWindowA, v = (y - window.y) / kSynthWindowB;
    return u * u + v * v <= 1 && f.Inside(x, y);
  };

  FingerTemplate t;
  t.width = kSynthWidth;
  t.height = kSynthHeight;
  t.ppi = 500;
  t.quality = static_cast<int>(
      std::lround(std::clamp(rng.Normal(kSynthTemplateQualityMean, kSynthTemplateQualitySd), 5.0, 100.0)));
  auto emit = [&](double x, double y, double dir, MinutiaType type, double quality) {
    // The direction follows the distortion: map a point a few pixels ahead along it too.
    const Point p = pose({x, y});
    const Point ahead = pose({x + 4 * std::cos(dir), y + 4 * std::sin(dir)});
    const double px = p.x + rng.Normal(0, kSynthPositionNoise);
    const double py = p.y + rng.Normal(0, kSynthPositionNoise);
    const double d = std::atan2(ahead.y - p.y, ahead.x - p.x) + rng.Normal(0, kSynthAngleNoise);
    if (px < 0 || py < 0 || px >= kSynthWidth || py >= kSynthHeight) return;
    Minutia m;
    m.x = static_cast<int>(std::lround(px));
    m.y = static_cast<int>(std::lround(py));
    m.direction = static_cast<float>(Wrap(-d));  // ISO: counter-clockwise with y up
    m.type = type;
    m.quality = static_cast<uint8_t>(std::lround(std::clamp(quality, 1.0, 100.0)));
    t.minutiae.push_back(m);
  };
  size_t kept = 0;
  for (const Finger::Raw& m : f.minutiae) {
    if (!in_window(m.x, m.y)) continue;
    if (rng.Uniform() < severity * (kSynthMissingBase + kSynthMissingLowQuality * (1 - m.quality / 100)))
      continue;
    MinutiaType type = m.type;
    if (rng.Uniform() < kSynthTypeFlip)
      type = type == MinutiaType::kEnding ? MinutiaType::kBifurcation : MinutiaType::kEnding;
    emit(m.x, m.y, m.dir, type, m.quality + rng.Normal(0, 8));
    ++kept;
  }
  const int spurious = rng.Poisson(kSynthSpuriousShare * static_cast<double>(std::max<size_t>(kept, 4)));
  for (int i = 0, tries = 0; i < spurious && tries < 100; ++tries) {
    const double x = rng.Uniform(window.x - kSynthWindowA, window.x + kSynthWindowA);
    const double y = rng.Uniform(window.y - kSynthWindowB, window.y + kSynthWindowB);
    if (!in_window(x, y)) continue;
    const double dir = f.Orientation(x, y) + (rng.Uniform() < 0.5 ? kPi : 0) + rng.Normal(0, 0.3);
    emit(x, y, dir, rng.Uniform() < 0.5 ? MinutiaType::kEnding : MinutiaType::kBifurcation,
         rng.Normal(30, 12));
    ++i;
  }
  if (t.minutiae.size() > static_cast<size_t>(kMaxMinutiae)) t.minutiae.resize(kMaxMinutiae);
  return t;
}

}  // namespace idreg::finger
