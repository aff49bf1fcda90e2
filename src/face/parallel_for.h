// Work sharing for the face indexes' batch searches and builds (hnsw_index.cc, sketch_index.cc).
#ifndef IDREG_SRC_FACE_PARALLEL_FOR_H_
#define IDREG_SRC_FACE_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace idreg::face::parallel {

// A caller's thread count, 0 or negative meaning every core.
inline size_t Threads(int threads) {
  return threads > 0 ? static_cast<size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
}

// Runs fn(i) for i in [0, n) on up to `threads` threads, handing out indices one at a time.
template <typename Fn>
void RunOn(size_t threads, size_t n, Fn fn) {
  threads = std::max<size_t>(1, std::min(threads, n));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

}  // namespace idreg::face::parallel

#endif  // IDREG_SRC_FACE_PARALLEL_FOR_H_
