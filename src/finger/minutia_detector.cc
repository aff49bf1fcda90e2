// Minutiae on the skeleton by crossing number (Arcelli & Baja 1985): 1 is a ridge ending, 3 a
// bifurcation. Each is traced along its ridge(s): the trace gives its direction and tells the
// filters which minutia the ridge leads to and how far away.
#include <cmath>

#include "finger/parameters.h"
#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

constexpr int kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1};  // clockwise from north
constexpr int kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

int Ring(const cv::Mat1b& s, int x, int y) {
  int m = 0;
  for (int i = 0; i < 8; ++i) m |= s(y + kDy[i], x + kDx[i]) << i;
  return m;
}

int CrossingNumber(int m) {
  int cn = 0;
  for (int i = 0; i < 8; ++i) cn += !((m >> i) & 1) && ((m >> ((i + 1) & 7)) & 1);
  return cn;
}

// The first pixel of each run of set ring bits, preferring a 4-neighbour within the run.
std::vector<int> BranchStarts(int m) {
  std::vector<int> starts;
  for (int i = 0; i < 8; ++i) {
    if (!((m >> i) & 1) || ((m >> ((i + 7) & 7)) & 1)) continue;  // not the start of a run
    int best = i;
    for (int j = i; (m >> (j & 7)) & 1; ++j) {
      if ((j & 7) % 2 == 0) {
        best = j & 7;
        break;
      }
      if (j - i > 8) break;
    }
    starts.push_back(best);
  }
  return starts;
}

struct Tracer {
  const cv::Mat1b& skeleton;
  const cv::Mat1i& index;  // minutia index per pixel, -1 elsewhere
  cv::Mat1i& stamp;
  int trace_id = 0;

  struct Trace {
    int reached = -1;
    int length = 0;
    cv::Point at_direction_length;
  };

  Trace Run(int self, cv::Point start, int first_dir) {
    ++trace_id;
    Trace t;
    // The start and its whole ring are off limits, so a branch cannot slip into its neighbour.
    for (int i = 0; i < 8; ++i) stamp(start.y + kDy[i], start.x + kDx[i]) = trace_id;
    stamp(start) = trace_id;
    cv::Point cur(start.x + kDx[first_dir], start.y + kDy[first_dir]);
    t.at_direction_length = cur;
    const int limit =
        std::max({params::kShortRidge, params::kSpurLength, params::kBridgeLength, params::kTraceLength}) + 1;
    for (t.length = 1; t.length <= limit; ++t.length) {
      if (t.length <= params::kTraceLength) t.at_direction_length = cur;
      stamp(cur) = trace_id;
      const int hit = index(cur);
      if (hit >= 0 && hit != self) {
        t.reached = hit;
        break;
      }
      int next = -1;
      for (int i = 0; i < 8; ++i) {
        const cv::Point p(cur.x + kDx[i], cur.y + kDy[i]);
        if (!skeleton(p) || stamp(p) == trace_id) continue;
        if (next < 0 || (i % 2 == 0 && next % 2 == 1)) next = i;
      }
      if (next < 0) break;
      cur = cv::Point(cur.x + kDx[next], cur.y + kDy[next]);
    }
    return t;
  }
};

float Wrap(float a) {
  const float two_pi = static_cast<float>(2 * params::kPi);
  a = std::fmod(a, two_pi);
  return a < 0 ? a + two_pi : a;
}

// Image-axis angle from `from` to `to`.
float AngleTo(cv::Point from, cv::Point to) {
  return std::atan2(static_cast<float>(to.y - from.y), static_cast<float>(to.x - from.x));
}

// The ridge orientation at the minutia, turned to the side the trace says (image axes), then
// converted to the ISO convention (y up).
float Refine(float traced, float orientation) {
  float d = Wrap(traced - orientation);
  const float a = (d > params::kPi / 2 && d < 3 * params::kPi / 2)
                      ? orientation + static_cast<float>(params::kPi)
                      : orientation;
  return Wrap(-a);
}

}  // namespace

std::vector<RawMinutia> DetectMinutiae(const cv::Mat1b& skeleton, const OrientationField& field) {
  std::vector<RawMinutia> out;
  struct DetectorBuffers {
    cv::Mat1i index, stamp;
  };
  ThreadScratch<DetectorBuffers> b(skeleton.size());
  cv::Mat1i& index = b->index;
  index.create(skeleton.size());
  index.setTo(-1);
  std::vector<int> rings;
  for (int y = 1; y + 1 < skeleton.rows; ++y) {
    for (int x = 1; x + 1 < skeleton.cols; ++x) {
      if (!skeleton(y, x)) continue;
      const int m = Ring(skeleton, x, y);
      const int cn = CrossingNumber(m);
      if (cn != 1 && cn != 3) continue;
      // Adjacent junction pixels are one bifurcation.
      bool merged = false;
      for (int i = 0; i < 8 && cn == 3; ++i) merged |= index(y + kDy[i], x + kDx[i]) >= 0;
      if (merged) continue;
      RawMinutia r;
      r.x = x;
      r.y = y;
      r.type = cn == 1 ? MinutiaType::kEnding : MinutiaType::kBifurcation;
      r.quality = field.coherence(y, x);
      index(y, x) = static_cast<int>(out.size());
      out.push_back(r);
      rings.push_back(m);
    }
  }
  cv::Mat1i& stamp = b->stamp;
  stamp.create(skeleton.size());
  stamp.setTo(0);
  Tracer tracer{skeleton, index, stamp};
  for (size_t i = 0; i < out.size(); ++i) {
    RawMinutia& r = out[i];
    const cv::Point p(r.x, r.y);
    const std::vector<int> starts = BranchStarts(rings[i]);
    const float orientation = field.Angle(r.x, r.y);
    if (r.type == MinutiaType::kEnding) {
      const Tracer::Trace t = tracer.Run(static_cast<int>(i), p, starts[0]);
      r.reached[0] = t.reached;
      r.reached_length[0] = t.length;
      r.direction = Refine(AngleTo(t.at_direction_length, p), orientation);
      continue;
    }
    if (starts.size() != 3) {
      r.removed = true;
      continue;
    }
    float angles[3];
    for (int b = 0; b < 3; ++b) {
      const Tracer::Trace t = tracer.Run(static_cast<int>(i), p, starts[b]);
      r.reached[b] = t.reached;
      r.reached_length[b] = t.length;
      angles[b] = AngleTo(p, t.at_direction_length);
    }
    // The stem is the branch opposite the closest pair.
    int stem = 0;
    float best = 10;
    for (int b = 0; b < 3; ++b) {
      const float d =
          std::fabs(Wrap(angles[(b + 1) % 3] - angles[(b + 2) % 3] + static_cast<float>(params::kPi)) -
                    static_cast<float>(params::kPi));
      if (d < best) best = d, stem = b;
    }
    r.direction = Refine(angles[stem], orientation);
  }
  return out;
}

}  // namespace idreg::finger
