// ParallelFor: runs fn(i) for every i in [0, n) on one thread per core, handing out indices one at
// a time (the items of an evaluation differ widely in cost, so static chunks would leave cores
// idle). fn must be safe to call from several threads at once.
#ifndef IDREG_CORE_PARALLEL_FOR_H_
#define IDREG_CORE_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace idreg {

template <typename Fn>
void ParallelFor(size_t n, Fn fn) {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    });
  }
  for (std::thread& t : pool) t.join();
}

}  // namespace idreg

#endif  // IDREG_CORE_PARALLEL_FOR_H_
