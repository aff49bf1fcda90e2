// idreg credential jwks|present|verify: selective-disclosure credentials, offline.
#include <chrono>
#include <fstream>
#include <iterator>

#include "cli/cli.h"
#include "cli/store_access.h"
#include "idreg/service/sd_jwt.h"

namespace idreg::cli {
namespace {

struct CredentialArgs {
  std::string file;
  std::string jwks;
  std::vector<std::string> disclose;
  bool json = false;
};

Result<std::string> ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot read " + path);
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void RunJwks(Context& ctx) {
  auto key = LoadMasterKey(ctx);
  if (!key.ok()) return ctx.Fail(key.status());
  *ctx.out << service::CredentialIssuer(**key).Jwks().dump(2) << "\n";
}

void RunPresent(Context& ctx, const CredentialArgs& a) {
  auto text = ReadText(a.file);
  if (!text.ok()) return ctx.Fail(text.status());
  auto presented = service::PresentSdJwt(*text, a.disclose);
  if (!presented.ok()) return ctx.Fail(presented.status());
  *ctx.out << *presented << "\n";
}

void RunVerify(Context& ctx, const CredentialArgs& a) {
  auto text = ReadText(a.file);
  if (!text.ok()) return ctx.Fail(text.status());
  auto jwks_text = ReadText(a.jwks);
  if (!jwks_text.ok()) return ctx.Fail(jwks_text.status());
  auto jwks = nlohmann::json::parse(*jwks_text, nullptr, false);
  if (jwks.is_discarded()) return ctx.Fail(Status::InvalidArgument(a.jwks + " is not JSON"));
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock->Now().time_since_epoch()).count();
  auto v = service::VerifySdJwt(*text, jwks, now);
  if (!v.ok()) {
    ctx.Fail(v.status(), v.status().code() == StatusCode::kUnauthenticated ? kExitInvalid : kExitUnusable);
    return;
  }
  if (a.json) {
    *ctx.out << nlohmann::json{{"valid", true}, {"issuer", v->payload.value("iss", "")},
                               {"subject", v->payload.value("sub", "")}, {"claims", v->claims}}
                    .dump(2)
             << "\n";
    return;
  }
  *ctx.out << "valid credential from " << v->payload.value("iss", "?") << " about " << v->payload.value("sub", "?")
           << "; disclosed:\n";
  for (const auto& [name, value] : v->claims) *ctx.out << "  " << name << " = " << value.dump() << "\n";
}

}  // namespace

void AddCredentialCommands(CLI::App& app, Context& ctx) {
  auto* cred = app.add_subcommand("credential", "Selective-disclosure credentials (SD-JWT, Ed25519)");
  cred->require_subcommand(1);
  cred->add_subcommand("jwks", "Print the issuer's public keys (needs the master key)")
      ->callback([&ctx] { RunJwks(ctx); });
  auto args = std::make_shared<CredentialArgs>();
  auto* present = cred->add_subcommand("present", "Keep only the chosen claims' disclosures");
  present->add_option("file", args->file, "The credential (compact SD-JWT)")->required();
  present->add_option("--disclose", args->disclose, "Claims to reveal")->required()->delimiter(',');
  present->callback([&ctx, args] { RunPresent(ctx, *args); });
  auto* verify = cred->add_subcommand("verify", "Verify a credential offline; exit 1 when it does not verify");
  verify->add_option("file", args->file, "The credential or presentation")->required();
  verify->add_option("--jwks", args->jwks, "The issuer's keys (GET /v1/keys, or idreg credential jwks)")->required();
  verify->add_flag("--json", args->json, "Print JSON");
  verify->callback([&ctx, args] { RunVerify(ctx, *args); });
}

}  // namespace idreg::cli
