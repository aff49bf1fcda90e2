// Alleles, loci, the NIST 1036 CSV layout and the JSON form, good and bad.
#include <gtest/gtest.h>

#include "dna/dna_test_util.h"
#include "idreg/dna/profile_io.h"

namespace idreg::dna {
namespace {

using testing::MakeProfile;

TEST(AlleleTest, ParsesRepeatsAndMicrovariants) {
  EXPECT_EQ(ParseAllele("9")->tenths, 90);
  EXPECT_EQ(ParseAllele("16.3")->tenths, 163);
  EXPECT_EQ(ParseAllele("2.2")->tenths, 22);
  EXPECT_EQ(AlleleToString(*ParseAllele("9.3")), "9.3");
  EXPECT_EQ(AlleleToString(*ParseAllele("30")), "30");
  for (const char* bad : {"", "x", "9.", ".3", "9.33", "-1", "0", "1e3", "100", " 9", "9,3"}) {
    Result<Allele> a = ParseAllele(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_NE(a.status().message().find("not a repeat number"), std::string::npos) << a.status().message();
  }
  EXPECT_LT(*ParseAllele("9.3"), *ParseAllele("10"));
  EXPECT_EQ(RepeatSteps(*ParseAllele("9.3"), *ParseAllele("11.3")), 2);
  EXPECT_EQ(RepeatSteps(*ParseAllele("9.3"), *ParseAllele("10")), -1);
}

TEST(LocusTest, FindsStandardNamesLeniently) {
  EXPECT_EQ(LocusName(*FindLocus("PENTA E")), "Penta_E");
  EXPECT_EQ(LocusName(*FindLocus("VWA")), "vWA");
  EXPECT_EQ(LocusName(*FindLocus("THO1")), "TH01");
  EXPECT_EQ(LocusName(*FindLocus("d21s11")), "D21S11");
  int core = 0;
  for (int l = 0; l < kLocusCount; ++l) core += IsCodisCore(static_cast<LocusId>(l));
  EXPECT_EQ(core, 20);
  Result<LocusId> bad = FindLocus("D99S1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown locus 'D99S1'"), std::string::npos);
  EXPECT_TRUE(IsNonAutosomalMarker("Y indel"));
  EXPECT_TRUE(IsNonAutosomalMarker("DYS391"));
}

TEST(ProfileTest, HomozygotesMixturesAndDuplicates) {
  StrProfile p;
  ASSERT_TRUE(p.AddLocus(*FindLocus("TH01"), {*ParseAllele("9.3"), *ParseAllele("9.3")}).ok());
  ASSERT_TRUE(p.AddLocus(*FindLocus("CSF1PO"), {*ParseAllele("12"), *ParseAllele("10"), *ParseAllele("11")}).ok());
  EXPECT_TRUE(p.Find(*FindLocus("TH01"))->homozygous());
  EXPECT_TRUE(p.Find(*FindLocus("CSF1PO"))->mixed());
  EXPECT_EQ(p.loci[0].locus, *FindLocus("CSF1PO"));  // kept in locus order
  EXPECT_EQ(p.Find(*FindLocus("FGA")), nullptr);
  Status dup = p.AddLocus(*FindLocus("TH01"), {*ParseAllele("6")});
  EXPECT_FALSE(dup.ok());
  EXPECT_NE(dup.message().find("duplicate locus TH01"), std::string::npos);
  EXPECT_FALSE(p.AddLocus(*FindLocus("FGA"), {}).ok());
}

TEST(NistCsvTest, ParsesPeopleMissingLociAndSingleAlleles) {
  const char* csv =
      "Sample,Pop,CSF1PO,,TH01,,FGA,\n"
      "S1,Cauc,10,12,9.3,9.3,21,22\r\n"
      "S2,AA,11,,,,20,24\n"
      "\n";
  Result<std::vector<StrProfile>> people = ParseNist1036Csv(csv);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  ASSERT_EQ(people->size(), 2u);
  EXPECT_EQ((*people)[0].id, "S1");
  EXPECT_EQ((*people)[0].loci.size(), 3u);
  EXPECT_TRUE((*people)[0].Find(*FindLocus("TH01"))->homozygous());
  EXPECT_EQ((*people)[1].population, "AA");
  EXPECT_EQ((*people)[1].loci.size(), 2u);  // TH01 missing
  EXPECT_EQ((*people)[1].Find(*FindLocus("CSF1PO"))->alleles.size(), 1u);
}

TEST(NistCsvTest, RejectsMalformedInputNamingWhere) {
  struct Case {
    const char* csv;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"", "empty genotype file"},
           {"Name,Pop,CSF1PO,\nS,C,10,11\n", "expected the NIST 1036 header"},
           {"Sample,Pop,D99S1,\nS,C,10,11\n", "line 1, column 3: unknown locus 'D99S1'"},
           {"Sample,Pop,TH01,,THO1,\nS,C,6,7,8,9\n", "duplicate locus TH01"},
           {"Sample,Pop,TH01,\nS,C,6,x\n", "line 2, column 4 (TH01): allele 'x' is not a repeat number"},
           {"Sample,Pop,TH01,\nS,C,6\n", "line 2: 3 columns, the header has 4"},
           {"Sample,Pop,TH01,\nS,C,,\n", "line 2: sample 'S' has no typed locus"},
           {"Sample,Pop,TH01,\n", "holds no sample"},
       }) {
    Result<std::vector<StrProfile>> r = ParseNist1036Csv(c.csv);
    ASSERT_FALSE(r.ok()) << c.csv;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
  }
}

TEST(ProfileJsonTest, RoundTripsAndAcceptsNumbers) {
  StrProfile p = MakeProfile({{"TH01", {"9.3"}}, {"D21S11", {"30.2", "28"}}, {"vWA", {"15", "16", "17"}}}, "X1");
  p.population = "Cauc";
  std::string json = ProfileToJson(p);
  EXPECT_NE(json.find("\"format\": \"idreg-dna-json-v1\""), std::string::npos) << json;
  Result<StrProfile> back = ParseProfileJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, "X1");
  EXPECT_EQ(back->population, "Cauc");
  ASSERT_EQ(back->loci.size(), 3u);
  for (size_t i = 0; i < p.loci.size(); ++i) EXPECT_EQ(back->loci[i].alleles, p.loci[i].alleles);
  Result<StrProfile> numbers = ParseProfileJson(R"({"loci": {"TH01": [9.3, 6], "PENTA E": [12]}})");
  ASSERT_TRUE(numbers.ok()) << numbers.status().ToString();
  EXPECT_EQ(numbers->Find(*FindLocus("TH01"))->alleles[1].tenths, 93);
  EXPECT_TRUE(numbers->Find(*FindLocus("Penta_E"))->homozygous());
}

TEST(ProfileJsonTest, RejectsBadProfilesNamingTheField) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"{", "not valid JSON"},
           {"[]", "must be a JSON object"},
           {R"({"loci": {}})", "empty profile"},
           {R"({"id": "x"})", "no 'loci' field"},
           {R"({"loci": {"D99": ["1"]}})", "unknown locus 'D99'"},
           {R"({"loci": {"TH01": ["6"], "TH01": ["7"]}})", "duplicate field 'TH01'"},
           {R"({"loci": {"TH01": ["6"], "THO1": ["7"]}})", "duplicate locus TH01"},
           {R"({"loci": {"TH01": ["six"]}})", "loci.TH01: allele 'six' is not a repeat number"},
           {R"({"loci": {"TH01": [9.35]}})", "is not a repeat number"},
           {R"({"loci": {"TH01": [true]}})", "string or a number"},
           {R"({"loci": {"TH01": []}})", "no allele"},
           {R"({"format": "other", "loci": {"TH01": ["6"]}})", "format: expected"},
           {R"({"loci": {"TH01": ["6"]}, "extra": 1})", "unknown field 'extra'"},
       }) {
    Result<StrProfile> r = ParseProfileJson(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << c.json << " -> " << r.status().message();
  }
}

TEST(ParseOneProfileTest, TakesJsonOrOnePersonCsv) {
  EXPECT_TRUE(ParseOneProfile("  {\"loci\": {\"TH01\": [\"6\"]}}").ok());
  EXPECT_TRUE(ParseOneProfile("Sample,Pop,TH01,\nS,C,6,7\n").ok());
  Result<StrProfile> two = ParseOneProfile("Sample,Pop,TH01,\nS,C,6,7\nT,C,8,9\n");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("holds 2 samples"), std::string::npos);
  EXPECT_FALSE(ParseOneProfile(" \n").ok());
}

TEST(NistCsvTest, ReadsTheRealGenotypes) {
  IDREG_DNA_SHARED_OR_SKIP(text, testing::kGenotypes);
  Result<std::vector<StrProfile>> people = ParseNist1036Csv(text);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  EXPECT_EQ(people->size(), 1036u);
  size_t full = 0;
  for (const StrProfile& p : *people) full += p.loci.size() == 29;
  EXPECT_GE(full, 1030u);  // a few people lack a locus
}

}  // namespace
}  // namespace idreg::dna
