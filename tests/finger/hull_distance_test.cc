// The hull test both cylinder builders use (mcc_internal.h: BeyondHullOffset, HullBoundaryDistance)
// takes exactly the decision of cv::pointPolygonTest, which the MCC cylinders were validated with:
// on every cell centre of real and synthetic templates' cylinders, and on points placed right at the
// offset's distance from the hull, where a rounding difference would show.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <random>

#include "finger/mcc_internal.h"
#include "finger/parameters.h"
#include "idreg/finger/extractor.h"
#include "idreg/finger/synthetic.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

struct Counts {
  size_t points = 0, exact = 0, beyond = 0;
};

// Compares one point: the decision always, the distance itself wherever OpenCV says "outside".
void Check(const std::vector<cv::Point2f>& hull, const std::vector<HullLine>& lines, double px, double py,
           Counts* n) {
  const float fx = static_cast<float>(px), fy = static_cast<float>(py);
  const double reference = cv::pointPolygonTest(hull, cv::Point2f(fx, fy), true);
  const bool beyond = BeyondHullOffset(hull, lines, px, py);
  ASSERT_EQ(beyond, reference < -params::kHullOffset) << "point " << px << ", " << py << ": OpenCV " << reference;
  ++n->points;
  n->beyond += beyond;
  if (hull.size() >= 3 && reference < 0) {
    ASSERT_EQ(HullBoundaryDistance(hull, fx, fy), -reference) << "point " << px << ", " << py;
    ++n->exact;
  }
}

// Every cell centre any cylinder of the template would test, as cylinders.cc places them.
void CheckCellCentres(const FingerTemplate& t, Counts* n) {
  std::vector<MinutiaPoint> pts;
  std::vector<cv::Point2f> hull;
  MinutiaGeometry(t, &pts, &hull);
  if (pts.size() < 3) return;
  const std::vector<HullLine> lines = HullLines(hull);
  constexpr int kNs = params::kCylinderCells;
  const double ds = 2 * params::kCylinderRadius / kNs;
  for (const MinutiaPoint& m : pts) {
    const double co = std::cos(m.dir), si = std::sin(m.dir);
    for (int i = 0; i < kNs; ++i) {
      for (int j = 0; j < kNs; ++j) {
        const double u = (i - (kNs - 1) / 2.0) * ds, v = (j - (kNs - 1) / 2.0) * ds;
        if (u * u + v * v > params::kCylinderRadius * params::kCylinderRadius) continue;
        Check(hull, lines, m.x + co * u - si * v, m.y + si * u + co * v, n);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(HullDistanceTest, EqualsPointPolygonTestOnEveryCellCentreOfSyntheticTemplates) {
  const SyntheticFingers gen(5);
  Counts n;
  for (int f = 0; f < 60; ++f) {
    CheckCellCentres(gen.Impression(static_cast<uint64_t>(f), f % 2), &n);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(n.points, 100000u);
  EXPECT_GT(n.exact, 1000u);  // cells between the quick line tests really took the exact distance
  EXPECT_GT(n.beyond, 1000u);
}

TEST(HullDistanceTest, EqualsPointPolygonTestOnRealTemplates) {
  const std::string dir = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/";
  Counts n;
  for (const char* db : {"DB1_B", "DB2_B", "DB3_B", "DB4_B"}) {
    const std::string path = dir + db + "/101_1.tif";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
    auto img = ReadImageFile(path);
    ASSERT_TRUE(img.ok()) << path;
    auto t = ExtractMinutiae(*img);
    ASSERT_TRUE(t.ok()) << path;
    CheckCellCentres(*t, &n);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(n.exact, 100u);
}

// Points at the offset's distance (+- a little) from random hulls, including hulls far from the
// origin with points near it, where a float difference rounds.
TEST(HullDistanceTest, EqualsPointPolygonTestAtTheOffset) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> pos(0, 500), unit(0, 1);
  Counts n;
  for (int h = 0; h < 300; ++h) {
    std::vector<cv::Point2f> in;
    const int count = 3 + h % 30;
    for (int i = 0; i < count; ++i) in.emplace_back(static_cast<float>(std::round(pos(rng))), static_cast<float>(std::round(pos(rng))));
    std::vector<cv::Point2f> hull;
    cv::convexHull(in, hull);
    const std::vector<HullLine> lines = HullLines(hull);
    for (int k = 0; k < 200; ++k) {
      // A point on an edge, pushed out along a random direction by about the offset.
      const cv::Point2f& a = hull[static_cast<size_t>(k) % hull.size()];
      const cv::Point2f& b = hull[(static_cast<size_t>(k) + 1) % hull.size()];
      const double t = unit(rng), angle = 2 * params::kPi * unit(rng);
      const double r = params::kHullOffset + (unit(rng) - 0.5) * (k % 2 ? 1e-3 : 2.0);
      Check(hull, lines, a.x + t * (b.x - a.x) + r * std::cos(angle), a.y + t * (b.y - a.y) + r * std::sin(angle), &n);
      if (HasFatalFailure()) return;
    }
    // Near the origin, far from the hull's vertices.
    Check(hull, lines, unit(rng) * 1e-3, unit(rng) * 0.5, &n);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(n.exact, 10000u);
  EXPECT_GT(n.beyond, 500u);
}

}  // namespace
}  // namespace idreg::finger
