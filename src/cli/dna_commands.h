// `idreg dna ...` and `idreg eval dna`: what their files share (reading profiles, frequency
// tables and databases given on the command line).
#ifndef IDREG_SRC_CLI_DNA_COMMANDS_H_
#define IDREG_SRC_CLI_DNA_COMMANDS_H_

#include <string>
#include <vector>

#include "cli/cli.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/str_profile.h"

namespace idreg::cli {

// The whole file; NotFound names it.
Result<std::string> ReadDnaFile(const std::string& path);

// A JSON profile or a one-person NIST 1036 CSV; errors prefixed with the path.
Result<dna::StrProfile> LoadDnaProfile(const std::string& path);

// One population of a frequency table file.
Result<dna::PopulationFrequencies> LoadPopulation(const std::string& path, const std::string& population);

// A NIST 1036 CSV, or a store URL (sqlite:PATH): its biometric records of modality "dna" in the
// idreg-dna-json-v1 form (or application/json that parses as one), each named by its profile id.
Result<std::vector<dna::StrProfile>> LoadDnaDatabase(const Context& ctx, const std::string& db);

void AddDnaSearchCommands(CLI::App& dna, Context& ctx);  // search, familial

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_DNA_COMMANDS_H_
