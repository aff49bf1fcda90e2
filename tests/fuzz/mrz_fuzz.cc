// Fuzzes ParseMrz and the JSON the CLI prints from its result. Invariants checked beyond "no
// crash": a valid zone has every check digit holding, positions lie inside the zone, and the
// JSON serialises strictly (it throws on invalid UTF-8, which libFuzzer reports as a crash).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cli/mrz_json.h"
#include "idreg/document/mrz.h"
#include "require.h"

namespace {

void CheckResult(const idreg::Result<idreg::Mrz>& r) {
  if (!r.ok()) {
    Require(!r.status().message().empty());
    (void)idreg::cli::MrzFailureJson(r.status()).dump();
    return;
  }
  const idreg::Mrz& mrz = *r;
  bool all_checks = true;
  for (const idreg::MrzCheck& c : mrz.checks) {
    all_checks = all_checks && c.valid;
    Require(c.line >= 1 && static_cast<size_t>(c.line) <= mrz.lines.size());
    Require(c.column >= 1 && static_cast<size_t>(c.column) <= mrz.lines[c.line - 1].size());
  }
  if (mrz.valid()) Require(all_checks);
  if (!all_checks) Require(!mrz.valid());
  (void)idreg::cli::MrzToJson(mrz).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  idreg::MrzOptions options;
  options.today = idreg::Date{2026, 11, 30};
  CheckResult(idreg::ParseMrz(text, options));
  // A late "today" moves every century choice; leap days and boundaries then land elsewhere.
  options.today = idreg::Date{2099, 2, 28};
  CheckResult(idreg::ParseMrz(text, options));
  int digit = idreg::MrzCheckDigit(text);
  Require(digit >= -1 && digit <= 9);
  return 0;
}
