#include "match/match_test_support.h"

#include <fstream>
#include <iterator>

#include "idreg/dna/profile_io.h"
#include "idreg/finger/iso19794_2.h"

namespace idreg::match::testing {

std::string FvcPath(const std::string& db, int finger, int impression, const std::string& ext) {
  return std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/" + db + "/" + std::to_string(finger) + "_" +
         std::to_string(impression) + "." + ext;
}

std::optional<finger::FingerTemplate> FvcTemplate(const std::string& db, int finger, int impression) {
  std::ifstream f(FvcPath(db, finger, impression), std::ios::binary);
  if (!f) return std::nullopt;
  Bytes bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto rec = finger::ParseIso19794_2(bytes);
  if (!rec.ok()) return std::nullopt;
  auto t = finger::IsoToTemplate(*rec);
  if (!t.ok()) return std::nullopt;
  return *t;
}

std::string GenotypesPath() { return std::string(IDREG_SHARED_DIR) + "/data/dna/nist1036_genotypes_2017.csv"; }

std::vector<dna::StrProfile> NistProfiles() {
  std::ifstream f(GenotypesPath());
  if (!f) return {};
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto people = dna::ParseNist1036Csv(text);
  return people.ok() ? *people : std::vector<dna::StrProfile>{};
}

}  // namespace idreg::match::testing
