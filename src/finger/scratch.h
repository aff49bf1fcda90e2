// Buffers an extraction stage reuses from one image to the next on the same thread. A fresh
// full-image raster per intermediate result made the kernel map, zero and unmap about 10 MB per
// DB2_B image: a sixth of extraction's time went to page faults (BENCHMARKS.md "Eighth session").
// Rasters that cv::Mat::create finds already of the right size and type are written in place.
#ifndef IDREG_SRC_FINGER_SCRATCH_H_
#define IDREG_SRC_FINGER_SCRATCH_H_

#include <opencv2/core.hpp>

namespace idreg::finger {

// Images up to this many pixels (640 x 640: FVC's and most single-finger sensors' images) keep
// their buffers for the thread's next image; larger ones (rolled prints, card scans) release them
// after use. What a thread keeps is what one extraction used at its peak anyway, about 140 bytes
// per pixel: 23 MB after a 296 x 560 FVC2002 DB2_B image, at most about 57 MB; so a worker that
// has extracted holds that much while it idles (the price of the 4-5 ms per image it saves).
inline constexpr int kMaxKeptScratchPixels = 640 * 640;

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
