// `idreg enroll | identify | verify | watchlist | calibrate`: the identification engine on the
// command line. What the commands share: how the engine is configured (calibration files, the
// decision policy, DNA allele frequencies) and how samples are given.
#ifndef IDREG_SRC_CLI_IDENTIFICATION_COMMANDS_H_
#define IDREG_SRC_CLI_IDENTIFICATION_COMMANDS_H_

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "idreg/match/engine.h"
#include "idreg/workflow/samples.h"

namespace idreg::cli {

struct EngineFlags {
  std::string calibration_dir;  // --calibration-dir, else $IDREG_CALIBRATION_DIR, else the repository's
  std::string policy;           // --policy FILE (idreg-decision-policy-v1)
  std::string dna_frequencies;  // --dna-frequencies, else $IDREG_DNA_FREQUENCIES
  std::string dna_population;   // --dna-population, else $IDREG_DNA_POPULATION, else the table's first
};
void AddEngineFlags(CLI::App* cmd, EngineFlags& flags);
Result<std::unique_ptr<match::Engine>> BuildEngine(const Context& ctx, Store& store, const Actor& actor,
                                                   const EngineFlags& flags);

struct SampleFlags {
  std::vector<std::string> fingers;  // POS=FILE (or FILE: any finger)
  std::vector<std::string> dna;      // FILE
  std::vector<std::string> faces;    // [crop=]FILE: a photo (the face is detected) or a face crop
  std::vector<std::string> voices;   // FILE: audio or a voice template (*.vtpl)
};
void AddSampleFlags(CLI::App* cmd, SampleFlags& flags);
Result<std::vector<CapturedSample>> ReadSamples(const SampleFlags& flags);

nlohmann::json CandidateJson(const match::FusedCandidate& c);
nlohmann::json IssuesJson(const std::vector<SampleIssue>& issues);

void AddEnrollCommand(CLI::App& app, Context& ctx);
void AddIdentifyCommands(CLI::App& app, Context& ctx);  // identify, verify
void AddWatchlistCommands(CLI::App& app, Context& ctx);
void AddCalibrateCommand(CLI::App& app, Context& ctx);
void AddEvalDedup(CLI::App& eval, Context& ctx);  // idreg eval dedup

// All of the above.
void AddIdentificationCommands(CLI::App& app, Context& ctx);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_IDENTIFICATION_COMMANDS_H_
