// Reading the inputs of the DNA commands: profile files, frequency tables, databases.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/dna_commands.h"
#include "cli/store_access.h"
#include "idreg/dna/profile_io.h"

namespace idreg::cli {

Result<std::string> ReadDnaFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Status::Unavailable("error reading " + path);
  return text;
}

Result<dna::StrProfile> LoadDnaProfile(const std::string& path) {
  IDREG_ASSIGN_OR_RETURN(std::string text, ReadDnaFile(path));
  Result<dna::StrProfile> p = dna::ParseOneProfile(text);
  if (!p.ok()) return p.status().WithContext(path);
  return p;
}

Result<dna::PopulationFrequencies> LoadPopulation(const std::string& path, const std::string& population) {
  IDREG_ASSIGN_OR_RETURN(std::string text, ReadDnaFile(path));
  Result<dna::FrequencyTables> tables = dna::FrequencyTables::Parse(text);
  if (!tables.ok()) return tables.status().WithContext(path);
  Result<const dna::PopulationFrequencies*> pop = tables->Find(population);
  if (!pop.ok()) return pop.status().WithContext(path);
  return **pop;
}

Result<std::vector<dna::StrProfile>> LoadDnaDatabase(const Context& ctx, const std::string& db) {
  if (db.rfind("sqlite:", 0) != 0 && db.rfind("postgresql:", 0) != 0) {
    IDREG_ASSIGN_OR_RETURN(std::string text, ReadDnaFile(db));
    Result<std::vector<dna::StrProfile>> people = dna::ParseNist1036Csv(text);
    if (!people.ok()) return people.status().WithContext(db);
    return people;
  }
  Context store_ctx = ctx;
  store_ctx.store_url = db;
  IDREG_ASSIGN_OR_RETURN(auto store, OpenStore(store_ctx));
  std::vector<dna::StrProfile> people;
  Status bad;
  Status s = store->ForEachBiometric(
      "dna", MakeActor(ctx, "dna search"), [&](const ProfileId& id, const BiometricRecord& r) {
        if (r.format != dna::kDnaJsonFormat && r.format != "application/json") return true;
        std::string_view text(reinterpret_cast<const char*>(r.payload.data()), r.payload.size());
        Result<dna::StrProfile> p = dna::ParseProfileJson(text);
        if (!p.ok()) {
          // A record claiming the DNA form must hold one; other JSON is someone else's.
          if (r.format == dna::kDnaJsonFormat) bad = p.status().WithContext("record of profile " + id.ToString());
          return bad.ok();
        }
        p->id = id.ToString();
        people.push_back(std::move(*p));
        return true;
      });
  IDREG_RETURN_IF_ERROR(s);
  IDREG_RETURN_IF_ERROR(bad);
  if (people.empty()) return Status::NotFound("the store " + db + " holds no DNA profile");
  return people;
}

}  // namespace idreg::cli
