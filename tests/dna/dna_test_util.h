// Shared helpers of the DNA tests: the real data in ../shared/data/dna (tests skip, naming the
// file, when it is absent) and small profile builders.
#ifndef IDREG_TESTS_DNA_DNA_TEST_UTIL_H_
#define IDREG_TESTS_DNA_DNA_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "idreg/dna/profile_io.h"

namespace idreg::dna::testing {

inline std::string SharedDnaPath(const std::string& name) { return std::string(IDREG_SHARED_DIR) + "/data/dna/" + name; }

// The file's text, or "" when it is absent (the caller skips).
inline std::string ReadShared(const std::string& name) {
  std::ifstream f(SharedDnaPath(name), std::ios::binary);
  if (!f) return "";
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

#define IDREG_DNA_SHARED_OR_SKIP(var, name)                                         \
  std::string var = ::idreg::dna::testing::ReadShared(name);                        \
  if (var.empty()) GTEST_SKIP() << "missing " << ::idreg::dna::testing::SharedDnaPath(name)

inline constexpr const char* kGenotypes = "nist1036_genotypes_2017.csv";
inline constexpr const char* kNistFreqs = "nist1036_allele_freqs_2017.csv";
inline constexpr const char* kFbiCaucasian = "fbi2015_moretti2016__Caucasian.csv";

// Builds a profile from {"LOCUS", {"11", "12"}} pairs; aborts the test on a bad literal.
inline StrProfile MakeProfile(const std::vector<std::pair<std::string, std::vector<std::string>>>& loci,
                              std::string id = "") {
  StrProfile p;
  p.id = std::move(id);
  for (const auto& [name, alleles] : loci) {
    Result<LocusId> l = FindLocus(name);
    EXPECT_TRUE(l.ok()) << name;
    std::vector<Allele> list;
    for (const std::string& a : alleles) {
      Result<Allele> allele = ParseAllele(a);
      EXPECT_TRUE(allele.ok()) << a;
      if (allele.ok()) list.push_back(*allele);
    }
    if (l.ok()) {
      EXPECT_TRUE(p.AddLocus(*l, list).ok());
    }
  }
  return p;
}

}  // namespace idreg::dna::testing

#endif  // IDREG_TESTS_DNA_DNA_TEST_UTIL_H_
