// Request counters and latency histograms by route and status, in Prometheus text format.
#ifndef IDREG_SRC_SERVICE_METRICS_H_
#define IDREG_SRC_SERVICE_METRICS_H_

#include <array>
#include <map>
#include <mutex>
#include <string>

namespace idreg::service {

class Metrics {
 public:
  void Observe(const std::string& route, int status, double seconds);
  std::string PrometheusText() const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

}  // namespace idreg::service

#endif  // IDREG_SRC_SERVICE_METRICS_H_
