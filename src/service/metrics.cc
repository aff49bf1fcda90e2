#include "service/metrics.h"

#include <sstream>

namespace idreg::service {

void Metrics::Observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Latency& l = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++l.buckets[i];
  }
  ++l.count;
  l.sum += seconds;
}

std::string Metrics::PrometheusText() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  out << "# HELP idreg_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE idreg_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "idreg_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# HELP idreg_http_request_duration_seconds Request latency by route.\n"
      << "# TYPE idreg_http_request_duration_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "idreg_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} "
          << l.buckets[i] << "\n";
    }
    out << "idreg_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << l.count << "\n"
        << "idreg_http_request_duration_seconds_sum{route=\"" << route << "\"} " << l.sum << "\n"
        << "idreg_http_request_duration_seconds_count{route=\"" << route << "\"} " << l.count << "\n";
  }
  return out.str();
}

}  // namespace idreg::service
