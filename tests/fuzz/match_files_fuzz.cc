// The identification engine's file parsers: calibration JSON, decision policy JSON and score CSV.
// The first byte picks the parser; the rest is the input. None may crash; what parses must
// serialise and parse again to the same values.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "idreg/match/calibration.h"
#include "idreg/match/decision.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
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
    default:
      (void)idreg::match::ParseScoresCsv(text);
  }
  return 0;
}
