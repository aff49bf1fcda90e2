// load_probes: request bodies for the POST /v1/identify load test. Each line is one JSON body
// with a mated probe: impression 1 of synthetic finger i (bench/load_populate enrolls impression 0
// of finger i as person i, same seed), as a base64 ISO/IEC 19794-2 record. Impressions that the
// service's default quality check would refuse (too few minutiae left after the synthetic
// distortion, or low quality) are skipped and counted on stderr: the load test measures searches, and a 422 for an
// unusable probe is the right answer but not a search.
//
//   load_probes --count N --persons P [--seed S] > probes.jsonl
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "idreg/core/bytes.h"
#include "idreg/finger/iso19794_2.h"
#include "idreg/finger/synthetic.h"
#include "idreg/workflow/samples.h"

int main(int argc, char** argv) {
  size_t count = 0, persons = 0;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--count") count = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--persons") persons = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--seed") seed = std::strtoull(v.c_str(), nullptr, 10);
    else count = 0;
  }
  if (count == 0 || persons == 0) {
    std::cerr << "usage: load_probes --count N --persons P [--seed S]\n";
    return 2;
  }
  idreg::finger::SyntheticFingers fingers(seed);
  std::mt19937_64 rng(seed * 7919 + 1);
  const idreg::SampleQuality quality;
  size_t skipped = 0;
  for (size_t n = 0; n < count;) {
    const uint64_t i = rng() % persons;
    const auto impression = fingers.Impression(i, 1);
    if (static_cast<int>(impression.minutiae.size()) < quality.finger_min_minutiae ||
        (impression.quality != 0 && impression.quality < quality.finger_min_quality)) {
      ++skipped;
      continue;
    }
    ++n;
    auto iso = idreg::finger::TemplateToIso(impression);
    auto bytes = iso.ok() ? idreg::finger::WriteIso19794_2(*iso) : idreg::Result<idreg::Bytes>(iso.status());
    if (!bytes.ok()) {
      std::cerr << "load_probes: finger " << i << ": " << bytes.status().ToString() << "\n";
      return 1;
    }
    std::cout << "{\"samples\":[{\"modality\":\"finger\",\"position\":\"right_index\",\"data\":\""
              << idreg::Base64Encode(*bytes) << "\"}]}\n";
  }
  std::cerr << "load_probes: " << count << " probes, " << skipped << " impressions skipped (fewer than "
            << quality.finger_min_minutiae << " minutiae or quality below " << quality.finger_min_quality << ")\n";
  return 0;
}
