// `idreg mrz parse`: reads a machine-readable zone from the argument or stdin, prints its fields
// and check digits, and exits 0 (valid), 1 (parsed, a check failed) or 2 (unusable input).
#include <iomanip>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/mrz_json.h"
#include "idreg/document/mrz.h"

namespace idreg::cli {
namespace {

struct MrzParseArgs {
  std::string zone;
  bool json = false;
  CLI::Option* zone_option = nullptr;
};

// One line per stdin line, each possibly holding several joined by '|'. Only line-end characters
// are removed: a space anywhere else is part of the input, and ParseMrz reports it.
std::vector<std::string> ReadZoneLines(std::istream& in) {
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() == '\n') text.pop_back();
  std::vector<std::string> lines;
  if (text.empty()) return lines;
  std::istringstream rows(text);
  std::string row;
  while (std::getline(rows, row)) {
    if (!row.empty() && row.back() == '\r') row.pop_back();
    size_t start = 0;
    while (true) {
      size_t bar = row.find('|', start);
      lines.push_back(row.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
  }
  // getline drops a last empty row; keep it so that "L1\nL2\n\n" reports an empty third line.
  if (text.back() == '\n') lines.emplace_back();
  return lines;
}

void PrintSummary(const Mrz& mrz, std::ostream& out) {
  // Values line up in one column; an empty value leaves no trailing spaces.
  auto row = [&out](const char* label, const std::string& value) {
    std::string head = std::string(label) + ":";
    if (value.empty()) {
      out << head << "\n";
    } else {
      out << std::left << std::setw(17) << head << value << "\n";
    }
  };
  row("format", std::string(MrzFormatName(mrz.format)));
  row("document_type", mrz.document_type);
  row("issuing_state", mrz.issuing_state);
  row("document_number", mrz.document_number);
  row("nationality", mrz.nationality);
  row("birth_date", mrz.birth_date);
  row("sex", mrz.sex);
  row("expiry_date", mrz.expiry_date);
  row("surname", mrz.surname);
  row("given_names", mrz.given_names);
  row("optional_data", mrz.optional_data);
  if (mrz.format == MrzFormat::kTD1) row("optional_data_2", mrz.optional_data_2);
  std::string checks;
  for (const MrzCheck& c : mrz.checks) {
    if (!checks.empty()) checks += ", ";
    checks += c.name + (c.valid ? " ok" : " FAILED");
  }
  row("checks", checks);
  if (mrz.valid()) {
    out << "valid\n";
    return;
  }
  out << "invalid:\n";
  for (const std::string& e : mrz.errors) out << "  " << e << "\n";
}

void RunMrzParse(Context& ctx, const MrzParseArgs& args) {
  MrzOptions options;
  options.today = ctx.clock->Today();
  Result<Mrz> mrz = args.zone_option->count() > 0 ? ParseMrz(args.zone, options)
                                                  : ParseMrzLines(ReadZoneLines(*ctx.in), options);
  // Invalid UTF-8 cannot reach the JSON (messages quote odd bytes in hex); replace is a backstop.
  constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;
  if (!mrz.ok()) {
    if (args.json) *ctx.out << MrzFailureJson(mrz.status()).dump(2, ' ', false, kReplace) << "\n";
    ctx.Fail(mrz.status());
    return;
  }
  if (args.json) {
    *ctx.out << MrzToJson(*mrz).dump(2, ' ', false, kReplace) << "\n";
  } else {
    PrintSummary(*mrz, *ctx.out);
  }
  ctx.exit_code = mrz->valid() ? kExitOk : kExitInvalid;
}

}  // namespace

void AddMrzCommand(CLI::App& app, Context& ctx) {
  CLI::App* mrz = app.add_subcommand("mrz", "Machine-readable zones of travel documents (ICAO Doc 9303)");
  mrz->require_subcommand(1);
  CLI::App* parse = mrz->add_subcommand(
      "parse", "Parse and verify a TD1, TD2, TD3, MRV-A or MRV-B zone; exit 0 valid, 1 invalid, 2 unusable");
  auto args = std::make_shared<MrzParseArgs>();
  args->zone_option = parse->add_option(
      "zone", args->zone, "The lines joined by '|' (default: read them from stdin, one per line)");
  parse->add_flag("--json", args->json, "Print one JSON object instead of a summary");
  parse->callback([&ctx, args] { RunMrzParse(ctx, *args); });
}

}  // namespace idreg::cli
