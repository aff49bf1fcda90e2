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

int64_t Metrics::NowSecond() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Metrics::CountSearch(const std::string& kind) {
  const int64_t now = NowSecond();
  std::lock_guard lock(mu_);
  ++searches_[kind];
  auto& slot = per_second_[static_cast<size_t>(now) % per_second_.size()];
  if (slot.first != now) slot = {now, 0};
  ++slot.second;
}

double Metrics::RateLocked(int64_t now) const {
  // Whole seconds only: the current second is still filling.
  uint64_t total = 0;
  for (const auto& [second, n] : per_second_) {
    if (second < now && second >= now - kRateWindowSeconds) total += n;
  }
  return static_cast<double>(total) / kRateWindowSeconds;
}

double Metrics::SearchesPerSecond() const {
  std::lock_guard lock(mu_);
  return RateLocked(NowSecond());
}

std::string Metrics::PrometheusText(const match::Engine* engine) const {
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
  out << "# HELP idreg_searches_total Biometric searches (identify, verify, dedup of an enrollment).\n"
      << "# TYPE idreg_searches_total counter\n";
  for (const char* kind : {"dedup", "identify", "verify"}) {
    auto it = searches_.find(kind);
    out << "idreg_searches_total{kind=\"" << kind << "\"} " << (it == searches_.end() ? 0 : it->second) << "\n";
  }
  out << "# HELP idreg_searches_per_second Searches per second over the last " << kRateWindowSeconds
      << " whole seconds.\n"
      << "# TYPE idreg_searches_per_second gauge\n"
      << "idreg_searches_per_second " << RateLocked(NowSecond()) << "\n";
  if (engine) {
    const auto stats = engine->Stats();
    out << "# HELP idreg_gallery_samples Templates held in memory per modality.\n"
        << "# TYPE idreg_gallery_samples gauge\n";
    for (const auto& g : stats) out << "idreg_gallery_samples{modality=\"" << g.modality << "\"} " << g.samples << "\n";
    out << "# HELP idreg_gallery_profiles Persons with at least one template per modality.\n"
        << "# TYPE idreg_gallery_profiles gauge\n";
    for (const auto& g : stats) out << "idreg_gallery_profiles{modality=\"" << g.modality << "\"} " << g.profiles << "\n";
    out << "# HELP idreg_gallery_memory_bytes Memory held by each gallery.\n"
        << "# TYPE idreg_gallery_memory_bytes gauge\n";
    for (const auto& g : stats) {
      out << "idreg_gallery_memory_bytes{modality=\"" << g.modality << "\"} " << g.memory_bytes << "\n";
    }
    out << "# HELP idreg_gallery_persons Persons searchable by the engine (any modality).\n"
        << "# TYPE idreg_gallery_persons gauge\n"
        << "idreg_gallery_persons " << engine->persons() << "\n";
  }
  return out.str();
}

}  // namespace idreg::service
