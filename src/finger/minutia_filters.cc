// False-minutia filters, each aimed at one artefact of the skeleton (Maio & Maltoni 1997 lists
// them; the distances are in parameters.h): minutiae near the background, ridge fragments, spurs,
// bridges, broken ridges, clusters, and those where the orientation field is unclear: below an
// absolute coherence floor, or below a fraction of the print's own median coherence (a noisy patch
// of a clear print: on FVC2002 DB3_B's capacitive captures most false minutiae sit in such patches).
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

using params::kPi;

bool IsEnding(const RawMinutia& m) { return m.type == MinutiaType::kEnding; }
bool IsBifurcation(const RawMinutia& m) { return m.type == MinutiaType::kBifurcation; }

// Removes both ends of every traced link of the given kind shorter than `max_length`.
void RemoveLinks(std::vector<RawMinutia>& all, bool (*from)(const RawMinutia&), bool (*to)(const RawMinutia&),
                 int max_length) {
  std::vector<size_t> doomed;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!from(all[i])) continue;
    for (int b = 0; b < 3; ++b) {
      const int j = all[i].reached[b];
      if (j >= 0 && to(all[j]) && all[i].reached_length[b] <= max_length) {
        doomed.push_back(i);
        doomed.push_back(j);
      }
    }
  }
  for (size_t i : doomed) all[i].removed = true;
}

float AngleDiff(float a, float b) {
  float d = std::fabs(std::fmod(a - b, static_cast<float>(2 * kPi)));
  return d > kPi ? static_cast<float>(2 * kPi) - d : d;
}

// Two endings facing each other across a short gap are one ridge broken by a crease or dryness.
void RemoveBreaks(std::vector<RawMinutia>& all) {
  std::vector<size_t> doomed;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].removed || !IsEnding(all[i])) continue;
    for (size_t j = i + 1; j < all.size(); ++j) {
      if (all[j].removed || !IsEnding(all[j])) continue;
      const float dx = all[j].x - all[i].x, dy = all[j].y - all[i].y;
      if (dx * dx + dy * dy > params::kBreakDistance * params::kBreakDistance) continue;
      if (AngleDiff(all[i].direction, all[j].direction) < kPi - params::kBreakAngle) continue;
      // The gap must lie along the ridge: i points (ISO, y up) towards j.
      const float towards = std::atan2(-dy, dx);
      if (dx * dx + dy * dy > 4 && AngleDiff(towards, all[i].direction) > params::kBreakAngle) continue;
      doomed.push_back(i);
      doomed.push_back(j);
    }
  }
  for (size_t i : doomed) all[i].removed = true;
}

void RemoveClusters(std::vector<RawMinutia>& all) {
  const float r2 = params::kClusterRadius * params::kClusterRadius;
  std::vector<size_t> doomed;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].removed) continue;
    int near = 0;
    for (size_t j = 0; j < all.size(); ++j) {
      if (j == i || all[j].removed) continue;
      const float dx = all[j].x - all[i].x, dy = all[j].y - all[i].y;
      near += dx * dx + dy * dy <= r2;
    }
    if (near > params::kClusterMax) doomed.push_back(i);
  }
  for (size_t i : doomed) all[i].removed = true;
}

// The median orientation coherence over the foreground (sampled every 4 pixels: the coherence is
// integrated over a Gaussian of sigma 6, so finer sampling adds nothing), 0 without foreground.
float MedianCoherence(const OrientationField& field, const cv::Mat1b& mask) {
  constexpr int kStep = 4;
  std::vector<float> values;
  for (int y = kStep / 2; y < mask.rows; y += kStep) {
    const uint8_t* in = mask.ptr<uint8_t>(y);
    const float* c = field.coherence.ptr<float>(y);
    for (int x = kStep / 2; x < mask.cols; x += kStep) {
      if (in[x]) values.push_back(c[x]);
    }
  }
  if (values.empty()) return 0;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace

std::vector<Minutia> FilterMinutiae(std::vector<RawMinutia> all, const cv::Mat1b& mask,
                                    const OrientationField& field) {
  // Links first: they rely on the traces, which the other filters do not change.
  RemoveLinks(all, IsEnding, IsEnding, params::kShortRidge);
  RemoveLinks(all, IsEnding, IsBifurcation, params::kSpurLength);
  RemoveLinks(all, IsBifurcation, IsBifurcation, params::kBridgeLength);
  RemoveBreaks(all);

  struct FilterBuffers {
    cv::Mat1f distance;
    cv::Mat1b padded;
  };
  ThreadScratch<FilterBuffers> b(mask.size());
  cv::Mat1f& distance = b->distance;
  cv::Mat1b& padded = b->padded;
  cv::copyMakeBorder(mask, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);  // the image edge is background too
  cv::distanceTransform(padded, distance, cv::DIST_L2, 3);
  const float min_coherence = static_cast<float>(
      std::max(params::kMinCoherence, params::kMinRelativeCoherence * MedianCoherence(field, mask)));
  for (RawMinutia& m : all) {
    if (distance(m.y + 1, m.x + 1) < params::kBorderDistance) m.removed = true;
    if (field.coherence(m.y, m.x) < min_coherence) m.removed = true;
  }
  RemoveClusters(all);

  std::vector<Minutia> out;
  for (const RawMinutia& r : all) {
    if (r.removed) continue;
    Minutia m;
    m.x = r.x;
    m.y = r.y;
    m.direction = r.direction;
    m.type = r.type;
    m.quality = static_cast<uint8_t>(std::clamp(r.quality * 100.0f, 0.0f, 100.0f));
    out.push_back(m);
  }
  if (out.size() > static_cast<size_t>(params::kMaxMinutiae)) {
    std::stable_sort(out.begin(), out.end(),
                     [](const Minutia& a, const Minutia& b) { return a.quality > b.quality; });
    out.resize(params::kMaxMinutiae);
  }
  return out;
}

}  // namespace idreg::finger
