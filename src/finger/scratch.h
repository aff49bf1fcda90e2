// Buffers an extraction stage reuses from one image to the next on the same thread. A fresh
// full-image raster per intermediate result made the kernel map, zero and unmap about 10 MB per
// DB2_B image: a sixth of extraction's time went to page faults (BENCHMARKS.md "Eighth session").
// Rasters that cv::Mat::create finds already of the right size and type are written in place.
#ifndef IDREG_SRC_FINGER_SCRATCH_H_
#define IDREG_SRC_FINGER_SCRATCH_H_

#include <opencv2/core.hpp>

namespace idreg::finger {

// Images up to this many pixels (a 1,000 x 1,000 plain impression) keep their buffers for the
// thread's next image; larger ones (rolled prints, tenprint card scans) release them after use, so
// that one large image does not pin tens of megabytes in every worker thread.
inline constexpr int kMaxKeptScratchPixels = 1000 * 1000;

// Access to this thread's instance of `Buffers` (a struct of cv::Mats, one type per stage) for the
// lifetime of one stage call on an image of `image` size. Stages must not call each other while
// holding one, nor let a buffer escape: the next image overwrites it.
template <class Buffers>
class ThreadScratch {
 public:
  explicit ThreadScratch(cv::Size image) : keep_(image.area() <= kMaxKeptScratchPixels) {}
  ~ThreadScratch() {
    if (!keep_) Instance() = Buffers{};
  }
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
  Buffers& operator*() { return Instance(); }
  Buffers* operator->() { return &Instance(); }

 private:
  static Buffers& Instance() {
    thread_local Buffers buffers;
    return buffers;
  }
  bool keep_;
};

}  // namespace idreg::finger

#endif  // IDREG_SRC_FINGER_SCRATCH_H_
