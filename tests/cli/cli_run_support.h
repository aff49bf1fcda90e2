// Runs the idreg command line in-process for CLI tests: RunCli with string streams and a clock
// fixed at 2026-11-30, so date-dependent output (MRZ centuries, expiry warnings) is stable.
#ifndef IDREG_TESTS_CLI_CLI_RUN_SUPPORT_H_
#define IDREG_TESTS_CLI_CLI_RUN_SUPPORT_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace idreg::cli {

struct CliRun {
  int code = -1;
  std::string out, err;
  // stdout parsed as JSON; discarded (is_discarded()) when it is not JSON.
  nlohmann::json json() const { return nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false); }
};

// `args` without the program name.
CliRun RunIdreg(std::vector<std::string> args, const std::string& stdin_text = "");

// A valid TD3 (passport) MRZ of Utopia, lines joined by '|': female, expiring 2032-04-15; `number`
// up to 9 characters, `birth` YYMMDD.
std::string Td3(const std::string& surname, const std::string& given, const std::string& number,
                const std::string& birth);

}  // namespace idreg::cli

#endif  // IDREG_TESTS_CLI_CLI_RUN_SUPPORT_H_
