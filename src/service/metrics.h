// Request counters and latency histograms by route and status, searches, and gallery sizes, in
// Prometheus text format.
#ifndef IDREG_SRC_SERVICE_METRICS_H_
#define IDREG_SRC_SERVICE_METRICS_H_

#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "idreg/match/engine.h"

namespace idreg::service {

class Metrics {
 public:
  void Observe(const std::string& route, int status, double seconds);
  // One 1:N or 1:1 search ("identify", "verify", "dedup") finished now.
  void CountSearch(const std::string& kind);
  // Searches per second over the last kRateWindowSeconds whole seconds.
  double SearchesPerSecond() const;
  // Everything above, and the engine's gallery sizes when `engine` is given.
  std::string PrometheusText(const match::Engine* engine = nullptr) const;

  static constexpr int kRateWindowSeconds = 60;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  static int64_t NowSecond();
  double RateLocked(int64_t now) const;

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;
  std::map<std::string, uint64_t> searches_;
  // Searches per wall-clock second, a ring indexed by second % size (the second it holds beside it).
  std::array<std::pair<int64_t, uint64_t>, kRateWindowSeconds + 1> per_second_{};
};

}  // namespace idreg::service

#endif  // IDREG_SRC_SERVICE_METRICS_H_
