// `idreg import FILE [--json]`: recognises an interchange file (ANSI/NIST-ITL, CBEFF XML,
// ISO/IEC 19794-5 or a DG2), enrolls one new profile from it, and reports every part it could
// not use. Attributes carry provenance kind declaration with the file's source (e.g. "ANSI/NIST
// Type-2"); each image or record becomes a sealed biometric record.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/store_access.h"
#include "idreg/finger/an2k_type9.h"
#include "idreg/finger/iso19794_2.h"
#include "idreg/interchange/extract.h"
#include "idreg/match/records.h"

namespace idreg::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string place;
  bool json = false;
};

// Type-9 records with EFS minutiae become ISO/IEC 19794-2 templates, which the matcher reads; other
// Type-9 records stay whole (still exported as they came) and the reason is reported.
void ConvertMinutiae(InterchangeContent& c) {
  for (InterchangeSample& s : c.samples) {
    if (s.format != "an2k-type9") continue;
    Result<An2kRecord> rec = ParseAn2kRecord(9, s.payload.data(), s.payload.size());
    Result<finger::Type9Minutiae> m = rec.ok() ? finger::Type9ToTemplate(*rec) : Result<finger::Type9Minutiae>(rec.status());
    Result<finger::IsoFingerRecord> iso = m.ok() ? finger::TemplateToIso(m->tmpl) : Result<finger::IsoFingerRecord>(m.status());
    if (iso.ok() && !iso->views.empty()) iso->views[0].finger_position = static_cast<uint8_t>(m->position);
    Result<Bytes> bytes = iso.ok() ? finger::WriteIso19794_2(*iso) : Result<Bytes>(iso.status());
    if (!bytes.ok()) {
      c.unused.push_back({s.source, "kept as the record, minutiae not usable for matching: " + bytes.status().message()});
      continue;
    }
    s.format = "iso19794-2";
    if (m->position != 0) s.position = FingerPositionName(m->position);
    s.payload = std::move(bytes).value();
  }
}

Enrollment ToEnrollment(const InterchangeContent& c, const std::string& file, const Context& ctx,
                        const ImportArgs& args) {
  Enrollment e;
  Provenance p;
  p.kind = Provenance::Kind::kDeclaration;
  p.source = c.attribute_source.empty() ? c.format : c.attribute_source;
  for (const auto& [name, value] : c.attributes) e.attributes.push_back({name, value, p});
  e.encounter.kind = EncounterKind::kEnrollment;
  e.encounter.place = args.place.empty() ? "import of " + std::filesystem::path(file).filename().string() : args.place;
  e.encounter.officer = ctx.actor;
  for (const InterchangeSample& s : c.samples) {
    BiometricRecord r;
    r.modality = s.modality;
    r.position = s.position;
    r.format = s.format;
    r.quality = s.quality.value_or(0);
    r.payload = s.payload;
    // The finger gallery's coarse codes, stored beside the template for start-up (match/records.h).
    if (r.modality == "finger" && r.format == match::kFingerFormat) (void)match::AttachFingerCoarseForm(r);
    e.biometrics.push_back(std::move(r));
  }
  return e;
}

void RunImport(Context& ctx, const ImportArgs& args) {
  std::ifstream f(args.file, std::ios::binary);
  if (!f) return ctx.Fail(Status::NotFound("cannot read " + args.file));
  Bytes bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  Result<InterchangeContent> content = ExtractInterchange(bytes);
  if (!content.ok()) return ctx.Fail(content.status().WithContext(args.file));
  ConvertMinutiae(*content);
  if (content->samples.empty() && content->attributes.empty()) {
    for (const InterchangeNote& n : content->unused) *ctx.err << "idreg: not used: " << n.source << ": " << n.reason << "\n";
    return ctx.Fail(Status::InvalidArgument(args.file + ": nothing in the file can be enrolled"));
  }
  Result<std::unique_ptr<Store>> store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  Enrollment e = ToEnrollment(*content, args.file, ctx, args);
  Result<ProfileId> id = (*store)->Enroll(e, MakeActor(ctx, "enrollment"));
  if (!id.ok()) return ctx.Fail(id.status());

  if (args.json) {
    nlohmann::ordered_json j;
    j["id"] = id->ToString();
    j["format"] = content->format;
    j["attributes"] = nlohmann::ordered_json::object();
    for (const auto& [n, v] : content->attributes) j["attributes"][n] = v;
    j["biometrics"] = nlohmann::ordered_json::array();
    for (const InterchangeSample& s : content->samples) {
      nlohmann::ordered_json b = {{"source", s.source}, {"modality", s.modality}, {"position", s.position},
                                  {"format", s.format}, {"bytes", s.payload.size()}};
      if (s.quality) b["quality"] = *s.quality;
      j["biometrics"].push_back(std::move(b));
    }
    j["not_used"] = nlohmann::ordered_json::array();
    for (const InterchangeNote& n : content->unused) j["not_used"].push_back({{"source", n.source}, {"reason", n.reason}});
    *ctx.out << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    return;
  }
  *ctx.out << id->ToString() << "\n";
  *ctx.err << "idreg: imported " << content->format << ": " << content->attributes.size() << " attributes, "
           << content->samples.size() << " biometric records\n";
  for (const InterchangeSample& s : content->samples) {
    *ctx.err << "idreg:   " << s.source << " -> " << s.modality << (s.position.empty() ? "" : "/" + s.position) << " "
             << s.format << ", " << s.payload.size() << " bytes\n";
  }
  for (const InterchangeNote& n : content->unused) *ctx.err << "idreg: not used: " << n.source << ": " << n.reason << "\n";
}

}  // namespace

void AddImportCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Enroll a new profile from an ANSI/NIST-ITL transaction, CBEFF XML, a 19794-5 record or a DG2");
  auto args = std::make_shared<ImportArgs>();
  cmd->add_option("file", args->file, "The interchange file")->required();
  cmd->add_option("--place", args->place, "Where the enrollment encounter happened (default: 'import of FILE')");
  cmd->add_flag("--json", args->json, "Print the new profile id, what was imported and what was not, as JSON");
  cmd->callback([&ctx, args] { RunImport(ctx, *args); });
}

}  // namespace idreg::cli
