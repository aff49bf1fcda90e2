#include "cli/cli_run_support.h"

#include <sstream>

#include "cli/cli.h"

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

}  // namespace idreg::cli
