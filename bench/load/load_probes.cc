// load_probes: request bodies for the POST /v1/identify load test. Each line is one JSON body
// with a mated probe: impression 1 of synthetic finger i (bench/load_populate enrolls impression 0
// of finger i as person i, same seed), as a base64 ISO/IEC 19794-2 record.
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
  for (size_t n = 0; n < count; ++n) {
    const uint64_t i = rng() % persons;
    auto iso = idreg::finger::TemplateToIso(fingers.Impression(i, 1));
    auto bytes = iso.ok() ? idreg::finger::WriteIso19794_2(*iso) : idreg::Result<idreg::Bytes>(iso.status());
    if (!bytes.ok()) {
      std::cerr << "load_probes: finger " << i << ": " << bytes.status().ToString() << "\n";
      return 1;
    }
    std::cout << "{\"samples\":[{\"modality\":\"finger\",\"position\":\"right_index\",\"data\":\""
              << idreg::Base64Encode(*bytes) << "\"}]}\n";
  }
  return 0;
}
