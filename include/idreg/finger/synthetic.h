// Synthetic minutia templates, for benchmarking 1:N on galleries far larger than any real data set
// (1,000,000 templates). A synthetic finger is a print area with a ridge orientation field from
// the zero-pole model (arch, loop or whorl: cores and deltas) and minutiae spread over it with a
// minimum spacing; each impression of a finger is that finger seen through one capture: a random
// window (partial overlap), rotation and translation, a smooth non-linear (elastic) skin
// distortion, position and direction noise, missing and spurious minutiae. The distributions are
// fitted to what ExtractMinutiae finds on FVC2002 DB1_B..DB4_B (doc/finger-synthetic.md), and
// MinutiaStatistics lets anyone compare the two.
//
// Deterministic: the same (seed, finger, impression) gives the same template on every platform
// (own integer RNG, no std:: distributions), and any template can be made on its own, in any order,
// from any thread.
#ifndef IDREG_FINGER_SYNTHETIC_H_
#define IDREG_FINGER_SYNTHETIC_H_

#include <cstdint>
#include <span>

#include "idreg/finger/minutia.h"

namespace idreg::finger {

class SyntheticFingers {
 public:
  explicit SyntheticFingers(uint64_t seed) : seed_(seed) {}

  // Impression `impression` (0, 1, 2, ...) of finger `finger`. Impressions of one finger are
  // mates; different fingers are non-mates. Thread-safe.
  FingerTemplate Impression(uint64_t finger, int impression) const;

 private:
  uint64_t seed_;
};

// Summary statistics of a set of templates: what the generator is fitted to.
struct MinutiaStatistics {
  size_t templates = 0;
  double count_mean = 0, count_sd = 0;  // minutiae per template
  // Distance (pixels) from each minutia to its nearest neighbour: 10th, 50th, 90th percentiles.
  double nearest_p10 = 0, nearest_p50 = 0, nearest_p90 = 0;
  double bifurcation_share = 0;
  double quality_p50 = 0;  // per-minutia quality
  // Direction field: for minutia pairs at most 30 px apart, the median difference of their
  // orientations (direction modulo 180 degrees), in degrees, and the share pointing opposite ways
  // (directions more than 90 degrees apart).
  double neighbour_orientation_p50 = 0;
  double neighbour_opposite_share = 0;
  double extent_width = 0, extent_height = 0;  // mean bounding box of the minutiae (pixels)
  double template_quality_mean = 0;
};
MinutiaStatistics ComputeMinutiaStatistics(std::span<const FingerTemplate> templates);

}  // namespace idreg::finger

#endif  // IDREG_FINGER_SYNTHETIC_H_
