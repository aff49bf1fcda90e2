// `idreg calibrate`: fit a modality's score -> LLR calibration from `idreg eval ... --scores`
// files (match/calibration.h) and write it as a versioned JSON file.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/identification_commands.h"
#include "idreg/match/calibration.h"

namespace idreg::cli {
namespace {

struct CalibrateArgs {
  std::string modality, out;
  std::vector<std::string> scores;
};

void Run(Context& ctx, const CalibrateArgs& args) {
  match::Calibration c;
  if (args.modality == "dna") {
    c = match::Log10LrCalibration("dna");
  } else {
    match::ScoreSets pooled;
    for (const std::string& path : args.scores) {
      std::ifstream f(path, std::ios::binary);
      if (!f) return ctx.Fail(Status::NotFound("cannot read " + path));
      std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      auto sets = match::ParseScoresCsv(text);
      if (!sets.ok()) return ctx.Fail(sets.status().WithContext(path));
      pooled.genuine.insert(pooled.genuine.end(), sets->genuine.begin(), sets->genuine.end());
      pooled.impostor.insert(pooled.impostor.end(), sets->impostor.begin(), sets->impostor.end());
    }
    auto fit = match::FitLogistic(args.modality, pooled.genuine, pooled.impostor);
    if (!fit.ok()) return ctx.Fail(fit.status());
    c = *fit;
    std::string files;
    for (const auto& s : args.scores) files += " --scores " + std::filesystem::path(s).filename().string();
    c.source = "idreg calibrate --modality " + args.modality + files;
  }
  const std::string json = match::CalibrationToJson(c);
  if (args.out.empty()) {
    *ctx.out << json;
    return;
  }
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  out << json;
  if (!out) return ctx.Fail(Status::NotFound("cannot write " + args.out));
  *ctx.out << args.modality << ": " << c.genuine << " genuine, " << c.impostor << " impostor scores; LLR("
           << "0.01) = " << c.Llr(0.01) << ", LLR(0.05) = " << c.Llr(0.05) << "; written to " << args.out << "\n";
}

}  // namespace

void AddCalibrateCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand("calibrate", "Fit a modality's score -> log-likelihood-ratio calibration");
  cmd->add_option("--modality", args->modality, "finger, face, voice (fitted) or dna (log10 LR, fixed)")->required();
  cmd->add_option("--scores", args->scores, "Score file(s) of idreg eval ... --scores (pooled)");
  cmd->add_option("--out", args->out, "Write the calibration here (default: print it)");
  cmd->callback([&ctx, args] {
    if (args->modality != "dna" && args->scores.empty()) {
      return ctx.Fail(Status::InvalidArgument("--scores is required to fit " + args->modality));
    }
    Run(ctx, *args);
  });
}

}  // namespace idreg::cli
