// The service's request readers on arbitrary bytes: the JSON body, the samples array, the MRZ
// field; and the review queue's enrollment decoder (sealed data, but it must not crash either).
// Every malformed input must come back as a Status or a problem response, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "idreg/core/clock.h"
#include "registry/enrollment_codec.h"
#include "service/http.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto body = idreg::service::ParseJsonBody(text);
  if (body.ok()) {
    auto samples = idreg::service::ReadCapturedSamples(*body);
    (void)samples;
    idreg::Mrz mrz;
    auto problem = idreg::service::ReadMrz(*body, idreg::Clock::System(), mrz);
    (void)problem;
  }
  auto enrollment = idreg::DecodeEnrollment(idreg::Bytes(data, data + size));
  if (enrollment.ok()) (void)idreg::EncodeEnrollment(*enrollment);
  return 0;
}
