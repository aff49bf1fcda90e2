// The identification engine's file parsers: calibration JSON, decision policy JSON, score CSV and
// the stored face template (idreg-face-descriptor-v1, also accepted by `--face`).
// The first byte picks the parser; the rest is the input. None may crash; what parses must
// serialise and parse again to the same values.
#include <algorithm>
#include <cmath>
#include <span>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "idreg/match/calibration.h"
#include "idreg/match/decision.h"
#include "idreg/match/records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto c = idreg::match::ParseCalibrationJson(text);
      if (c.ok()) {
        auto again = idreg::match::ParseCalibrationJson(idreg::match::CalibrationToJson(*c));
        if (!again.ok()) std::abort();
        const double x = again->Llr(0.05), y = c->Llr(0.05);
        if (!(x == y || (std::isnan(x) && std::isnan(y)))) std::abort();
      }
      break;
    }
    case 1: {
      auto p = idreg::match::ParsePolicyJson(text);
      if (p.ok() && !idreg::match::ParsePolicyJson(idreg::match::PolicyToJson(*p)).ok()) std::abort();
      break;
    }
    case 3: {
      const std::span<const uint8_t> bytes(data + 1, size - 1);
      auto t = idreg::match::DecodeFaceTemplate(bytes);
      if (t.ok()) {
        const idreg::Bytes again = idreg::match::EncodeFaceTemplate(*t);
        if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) std::abort();
      }
      break;
    }
    default:
      (void)idreg::match::ParseScoresCsv(text);
  }
  return 0;
}
