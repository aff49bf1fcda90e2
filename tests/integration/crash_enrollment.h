// The enrollments crash_writer commits and crash_safety_test checks: every field and payload
// byte is a deterministic function of a counter, so a reopened store can be compared with what
// the writer reported as committed without the writer's memory.
#ifndef IDREG_TESTS_INTEGRATION_CRASH_ENROLLMENT_H_
#define IDREG_TESTS_INTEGRATION_CRASH_ENROLLMENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "idreg/registry/audit.h"
#include "idreg/registry/profile.h"

namespace idreg::crashtest {

inline constexpr int kBiometricsPerEnrollment = 2;
inline constexpr size_t kMinPayload = 2 * 1024;
inline constexpr size_t kMaxPayload = 20 * 1024;

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The payload of biometric `which` (0 or 1) of enrollment `counter`: 2..20 KiB of bytes from a
// seed derived from both.
inline Bytes PayloadFor(int64_t counter, int which) {
  uint64_t state = static_cast<uint64_t>(counter) * 0x100000001b3ULL + static_cast<uint64_t>(which) + 0x5eed;
  size_t size = kMinPayload + SplitMix64(state) % (kMaxPayload - kMinPayload + 1);
  Bytes out(size);
  for (size_t i = 0; i < size; i += 8) {
    uint64_t v = SplitMix64(state);
    for (size_t j = 0; j < 8 && i + j < size; ++j) out[i + j] = static_cast<uint8_t>(v >> (8 * j));
  }
  return out;
}

inline std::vector<Attribute> AttributesFor(int64_t counter) {
  std::string n = std::to_string(counter);
  Provenance declared;
  declared.kind = Provenance::Kind::kDeclaration;
  declared.source = "crash writer";
  Provenance document;
  document.kind = Provenance::Kind::kDocument;
  document.document_type = "P";
  document.issuing_state = "UTO";
  document.document_number = "C" + n;
  document.source = "MRZ";
  return {
      {"counter", n, declared},
      {"surname", "CRASH" + n, document},
      {"given_names", "WRITER " + std::to_string(counter % 997), document},
      {"birth_date", "19" + std::to_string(50 + counter % 50) + "-01-15", document},
      {"nationality", "UTO", document},
  };
}

inline Enrollment EnrollmentFor(int64_t counter) {
  Enrollment e;
  e.attributes = AttributesFor(counter);
  e.encounter.kind = EncounterKind::kEnrollment;
  e.encounter.place = "crash lab " + std::to_string(counter % 7);
  e.encounter.officer = "writer";
  static const char* kModality[kBiometricsPerEnrollment] = {"face", "finger"};
  static const char* kPosition[kBiometricsPerEnrollment] = {"frontal", "right_index"};
  for (int i = 0; i < kBiometricsPerEnrollment; ++i) {
    BiometricRecord r;
    r.modality = kModality[i];
    r.position = kPosition[i];
    r.format = "application/octet-stream";
    r.quality = static_cast<double>((counter + i) % 101);
    r.payload = PayloadFor(counter, i);
    e.biometrics.push_back(std::move(r));
  }
  return e;
}

inline Actor WriterActor() { return Actor{"crash-writer", "officer", "enrollment"}; }

}  // namespace idreg::crashtest

#endif  // IDREG_TESTS_INTEGRATION_CRASH_ENROLLMENT_H_
