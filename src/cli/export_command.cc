// `idreg export ID --format an2k|cbeff --purpose P [--out FILE]`: writes a profile's biometric
// records (those Store::GetProfile returns to this actor; the read is audited with the purpose)
// as an ANSI/NIST-ITL transaction or MOSIP CBEFF XML. Records the format cannot carry are named
// on stderr; exit 1 when some were left out, 0 when all were written.
#include <fstream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/export_build.h"
#include "cli/store_access.h"

namespace idreg::cli {
namespace {

struct ExportArgs {
  std::string id;
  std::string format;
  std::string out;
  std::string purpose;
};

void RunExport(Context& ctx, const ExportArgs& args) {
  Result<Id> id = Id::Parse(args.id);
  if (!id.ok()) return ctx.Fail(id.status().WithContext("profile id"));
  Result<std::unique_ptr<Store>> store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  Result<Profile> profile = (*store)->GetProfile(*id, MakeActor(ctx, args.purpose));
  if (!profile.ok()) return ctx.Fail(profile.status());
  std::string today = ctx.clock->Today().ToString();  // YYYY-MM-DD
  std::string dat = today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2);
  Result<ExportResult> built = args.format == "an2k" ? BuildAn2kExport(*profile, dat) : BuildCbeffExport(*profile);
  if (!built.ok()) return ctx.Fail(built.status());
  for (const std::string& n : built->not_exported) *ctx.err << "idreg: not exported: " << n << "\n";
  if (args.out.empty()) {
    ctx.out->write(reinterpret_cast<const char*>(built->data.data()), static_cast<std::streamsize>(built->data.size()));
  } else {
    std::ofstream f(args.out, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(built->data.data()), static_cast<std::streamsize>(built->data.size()));
    if (!f) return ctx.Fail(Status::Unavailable("cannot write " + args.out));
    *ctx.err << "idreg: wrote " << built->exported << " biometric records to " << args.out << "\n";
  }
  ctx.exit_code = built->not_exported.empty() ? kExitOk : kExitInvalid;
}

}  // namespace

void AddExportCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("export", "Write a profile's biometric records as ANSI/NIST-ITL or CBEFF XML");
  auto args = std::make_shared<ExportArgs>();
  cmd->add_option("id", args->id, "Profile id")->required();
  cmd->add_option("--format", args->format, "an2k or cbeff")->required()->check(CLI::IsMember({"an2k", "cbeff"}));
  cmd->add_option("--purpose", args->purpose, "Why the profile is read (recorded in the audit log)")->required();
  cmd->add_option("--out", args->out, "Output file (default: stdout)");
  cmd->callback([&ctx, args] { RunExport(ctx, *args); });
}

}  // namespace idreg::cli
