// Zhang-Suen thinning (Zhang & Suen 1984) to a one-pixel-wide skeleton, followed by removal of the
// staircase pixels it leaves, so that every skeleton pixel's crossing number is meaningful.
#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "finger/scratch.h"
#include "finger/stages.h"

namespace idreg::finger {
namespace {

// Neighbours P2..P9 clockwise from north, as bits 0..7.
inline int Neighbours(const cv::Mat1b& img, int x, int y) {
  const uint8_t* up = img.ptr<uint8_t>(y - 1);
  const uint8_t* row = img.ptr<uint8_t>(y);
  const uint8_t* down = img.ptr<uint8_t>(y + 1);
  return up[x] | up[x + 1] << 1 | row[x + 1] << 2 | down[x + 1] << 3 | down[x] << 4 | down[x - 1] << 5 |
         row[x - 1] << 6 | up[x - 1] << 7;
}

struct Tables {
  uint8_t remove[2][256];
  Tables() {
    for (int m = 0; m < 256; ++m) {
      auto p = [m](int i) { return (m >> ((i - 2) & 7)) & 1; };  // p(2)..p(9)
      int b = __builtin_popcount(m);
      int a = 0;
      for (int i = 0; i < 8; ++i) a += !((m >> i) & 1) && ((m >> ((i + 1) & 7)) & 1);
      const bool base = b >= 2 && b <= 6 && a == 1;
      remove[0][m] = base && !(p(2) && p(4) && p(6)) && !(p(4) && p(6) && p(8));
      remove[1][m] = base && !(p(2) && p(4) && p(8)) && !(p(2) && p(6) && p(8));
    }
  }
};

}  // namespace

void Thin(cv::Mat1b& img) {
  static const Tables tables;
  // A one-pixel frame of background keeps neighbour reads in bounds.
  img.row(0).setTo(0);
  img.row(img.rows - 1).setTo(0);
  img.col(0).setTo(0);
  img.col(img.cols - 1).setTo(0);
  struct ThinningBuffers {
    std::vector<cv::Point> doomed;
  };
  ThreadScratch<ThinningBuffers> b(img.size());
  std::vector<cv::Point>& doomed = b->doomed;
  // Only the ridges' bounding box is scanned (thinning never adds a pixel): the rest of the image
  // is background, about a third of it on FVC2002.
  const cv::Rect box = cv::boundingRect(img);
  const int y0 = std::max(box.y, 1), y1 = std::min(box.y + box.height, img.rows - 1);
  const int x0 = std::max(box.x, 1), x1 = std::min(box.x + box.width, img.cols - 1);
  bool changed = true;
  while (changed) {
    changed = false;
    for (int pass = 0; pass < 2; ++pass) {
      doomed.clear();
      for (int y = y0; y < y1; ++y) {
        const uint8_t* row = img.ptr<uint8_t>(y);
        for (int x = x0; x < x1; ++x) {
          if (row[x] && tables.remove[pass][Neighbours(img, x, y)]) doomed.emplace_back(x, y);
        }
      }
      for (const cv::Point& p : doomed) img(p) = 0;
      changed |= !doomed.empty();
    }
  }
  // Staircase corners: a pixel whose only neighbours are an L of two 4-neighbours (north and east,
  // ...) joins nothing the two do not already join diagonally; left in, it reads as a branch.
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      if (!img(y, x)) continue;
      const int m = Neighbours(img, x, y);
      if (m == (1 | 4) || m == (4 | 16) || m == (16 | 64) || m == (64 | 1)) img(y, x) = 0;
    }
  }
}

}  // namespace idreg::finger
