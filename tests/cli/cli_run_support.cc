#include "cli/cli_run_support.h"

#include <sstream>

#include "cli/cli.h"
#include "idreg/document/mrz.h"

namespace idreg::cli {

CliRun RunIdreg(std::vector<std::string> args, const std::string& stdin_text) {
  args.insert(args.begin(), "idreg");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  FixedClock clock = FixedClock::AtDate({2026, 11, 30});
  CliRun r;
  r.code = RunCli(static_cast<int>(argv.size()), argv.data(), in, out, err, clock);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::string Td3(const std::string& surname, const std::string& given, const std::string& number,
                const std::string& birth) {
  auto digit = [](const std::string& field) { return std::to_string(MrzCheckDigit(field)); };
  std::string line1 = "P<UTO" + surname + "<<" + given;
  line1.resize(44, '<');
  const std::string num = number + std::string(9 - number.size(), '<');
  const std::string expiry = "320415", optional(14, '<');
  const std::string n = num + digit(num), b = birth + digit(birth), e = expiry + digit(expiry),
                    o = optional + digit(optional);
  return line1 + "|" + n + "UTO" + b + "F" + e + o + digit(n + b + e + o);
}

}  // namespace idreg::cli
