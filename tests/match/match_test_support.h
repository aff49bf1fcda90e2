// Real test data for the match tests: FVC2002 ISO/IEC 19794-2 templates and NIST 1036 genotypes
// from ../shared/data (tests skip, naming the file, when it is absent).
#ifndef IDREG_TESTS_MATCH_MATCH_TEST_SUPPORT_H_
#define IDREG_TESTS_MATCH_MATCH_TEST_SUPPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "idreg/dna/str_profile.h"
#include "idreg/finger/minutia.h"
#include "idreg/registry/store.h"

namespace idreg::match::testing {

std::string FvcPath(const std::string& db, int finger, int impression, const std::string& ext = "iso");

// The ISO template of one FVC2002 impression (fingers 101..110, impressions 1..8), or nullopt
// when the file is missing.
std::optional<finger::FingerTemplate> FvcTemplate(const std::string& db, int finger, int impression);

// The actor the engine and store tests read and write as (admin, so every record is readable).
inline Actor AdminActor() { return Actor{"tester", "admin", "testing"}; }

std::string GenotypesPath();
// The NIST 1036 genotypes (empty when the file is missing).
std::vector<dna::StrProfile> NistProfiles();

}  // namespace idreg::match::testing

#endif  // IDREG_TESTS_MATCH_MATCH_TEST_SUPPORT_H_
