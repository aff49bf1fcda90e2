// `idreg an2k dump`, `idreg import` and `idreg export` through RunCli on the NIST samples, with a
// store in a temporary folder: import enrolls what it can and names what it cannot; export
// needs a purpose, is audited, and its transaction parses and imports again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/cli_run_support.h"
#include "idreg/interchange/an2k.h"
#include "idreg/interchange/cbeff.h"
#include "idreg/interchange/extract.h"
#include "idreg/interchange/iso19794_4.h"
#include "registry/store_test_util.h"

namespace idreg::cli {
namespace {

const std::string kDir = std::string(IDREG_SHARED_DIR) + "/data/ansi-nist/";


class ImportExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = "sqlite:" + (dir_.path() / "idreg.db").string();
    key_ = (dir_.path() / "idreg.key").string();
    CliRun init = Cli({"init"});
    ASSERT_EQ(init.code, kExitOk) << init.err;
  }
  CliRun Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--store", store_, "--key-file", key_, "--actor", "tester"});
    return RunIdreg(std::move(args));
  }
  bool Have(const std::string& name) { return std::filesystem::exists(kDir + name); }
  testing::TempDir dir_;
  std::string store_, key_;
};

TEST_F(ImportExportTest, DumpListsRecordsAndFields) {
  if (!Have("nbis_valid1.16.an2")) GTEST_SKIP() << "missing " << kDir << "nbis_valid1.16.an2";
  CliRun text = Cli({"an2k", "dump", kDir + "nbis_valid1.16.an2"});
  ASSERT_EQ(text.code, kExitOk) << text.err;
  EXPECT_NE(text.out.find("10 records"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("record 3: Type-4"), std::string::npos);
  EXPECT_NE(text.out.find("2.018 NAM"), std::string::npos);
  EXPECT_NE(text.out.find("smith,tom"), std::string::npos);
  CliRun json = Cli({"an2k", "dump", "--json", kDir + "nbis_valid1.16.an2"});
  ASSERT_EQ(json.code, kExitOk);
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["version"], "0201");
  ASSERT_EQ(j["records"].size(), 10u);
  EXPECT_EQ(j["records"][2]["type"], 4);
  EXPECT_TRUE(j["records"][2].contains("width"));
  EXPECT_EQ(j["records"][1]["fields"][0]["name"], "LEN");
  // A damaged file exits 2 naming the record.
  std::string bad = (dir_.path() / "bad.an2").string();
  std::string bytes = testing::ReadFileBytes(kDir + "nbis_valid1.16.an2");
  std::ofstream(bad, std::ios::binary) << bytes.substr(0, 5000);
  CliRun cut = Cli({"an2k", "dump", bad});
  EXPECT_EQ(cut.code, kExitUnusable);
  EXPECT_NE(cut.err.find("truncated"), std::string::npos) << cut.err;
}

TEST_F(ImportExportTest, ImportEnrollsAndReportsWhatItCannotUse) {
  if (!Have("nbis_valid1.16.an2")) GTEST_SKIP() << "missing " << kDir << "nbis_valid1.16.an2";
  CliRun r = Cli({"import", "--json", kDir + "nbis_valid1.16.an2"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["attributes"]["surname"], "smith");
  EXPECT_EQ(j["attributes"]["given_names"], "tom");
  EXPECT_EQ(j["attributes"]["birth_date"], "1960-02-01");
  std::set<std::string> modalities;
  for (const auto& b : j["biometrics"]) modalities.insert(b["modality"].get<std::string>());
  EXPECT_TRUE(modalities.count("face"));
  EXPECT_TRUE(modalities.count("finger"));
  std::string not_used = j["not_used"].dump();
  for (const char* t : {"Type-15", "Type-16", "Type-17", "Type-99"}) EXPECT_NE(not_used.find(t), std::string::npos) << t;

  std::string id = j["id"];
  CliRun show = Cli({"profile", "show", id, "--purpose", "check import", "--json"});
  ASSERT_EQ(show.code, kExitOk) << show.err;
  EXPECT_NE(show.out.find("ANSI/NIST Type-2"), std::string::npos) << show.out.substr(0, 2000);
}

TEST_F(ImportExportTest, ExportNeedsAPurposeAndRoundTripsThroughImport) {
  if (!Have("libbiomeval_type4-slaps.an2k")) GTEST_SKIP() << "missing type4-slaps";
  CliRun r = Cli({"import", kDir + "libbiomeval_type4-slaps.an2k"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::string id = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(Cli({"export", id, "--format", "an2k"}).code, kExitUnusable);  // --purpose is required
  std::string out = (dir_.path() / "out.an2").string();
  CliRun e = Cli({"export", id, "--format", "an2k", "--purpose", "interchange test", "--out", out});
  ASSERT_EQ(e.code, kExitOk) << e.err;
  std::string bytes = testing::ReadFileBytes(out);
  Result<An2kTransaction> t = ParseAn2k(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  int type14 = 0;
  for (const An2kRecord& rec : t->records) type14 += rec.type == 14;
  EXPECT_EQ(type14, 4);
  CliRun again = Cli({"import", "--json", out});
  ASSERT_EQ(again.code, kExitOk) << again.err;
  auto j = nlohmann::json::parse(again.out);
  ASSERT_EQ(j["biometrics"].size(), 4u);
  EXPECT_EQ(j["biometrics"][0]["format"], "image/wsq");
  // The export was audited with its purpose.
  CliRun audit = Cli({"audit", "log", "--profile", id});
  EXPECT_NE(audit.out.find("interchange test"), std::string::npos) << audit.out;
  // CBEFF carries the WSQ finger images wrapped in 19794-4:2011 records, and they come back whole.
  std::string xml = (dir_.path() / "out.xml").string();
  CliRun c = Cli({"export", id, "--format", "cbeff", "--purpose", "mosip", "--out", xml});
  ASSERT_EQ(c.code, kExitOk) << c.err;
  std::string text = testing::ReadFileBytes(xml);
  Result<CbeffDocument> doc = ParseCbeffXml(text);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->birs.size(), 4u);
  for (const CbeffBir& bir : doc->birs) {
    EXPECT_EQ(bir.format_type, "7");
    Result<FingerImageRecord> rec = ParseFingerImageRecord(bir.bdb);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    ASSERT_EQ(rec->images.size(), 1u);
    EXPECT_EQ(rec->images[0].compression, FingerImageCompression::kWsq);
    EXPECT_EQ(CbeffFingerSubtype(FingerPositionName(rec->images[0].position)), bir.subtype);
    Result<GrayImage> g = DecodeFingerImage(rec->images[0]);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(g->width, rec->images[0].width);
  }
  CliRun back = Cli({"import", "--json", xml});
  ASSERT_EQ(back.code, kExitOk) << back.err;
  auto jb = nlohmann::json::parse(back.out);
  ASSERT_EQ(jb["biometrics"].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(jb["biometrics"][i]["format"], "image/wsq");
    EXPECT_EQ(jb["biometrics"][i]["position"], j["biometrics"][i]["position"]);
    EXPECT_EQ(jb["biometrics"][i]["bytes"], j["biometrics"][i]["bytes"]);
  }
}

TEST_F(ImportExportTest, EfsMinutiaeImportAsTemplatesAndExportAsType9) {
  if (!Have("libbiomeval_type9-efs.an2k")) GTEST_SKIP() << "missing " << kDir << "libbiomeval_type9-efs.an2k";
  CliRun r = Cli({"import", "--json", kDir + "libbiomeval_type9-efs.an2k"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["biometrics"].size(), 8u);
  for (const auto& b : j["biometrics"]) {
    EXPECT_EQ(b["format"], "iso19794-2");
    EXPECT_NE(b["position"], "");
  }
  std::string id = j["id"];
  std::string out = (dir_.path() / "efs.an2").string();
  CliRun e = Cli({"export", id, "--format", "an2k", "--purpose", "interchange test", "--out", out});
  ASSERT_EQ(e.code, kExitOk) << e.err;
  std::string bytes = testing::ReadFileBytes(out);
  Result<An2kTransaction> t = ParseAn2k(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  int type9 = 0;
  for (const An2kRecord& rec : t->records) type9 += rec.type == 9 && rec.Find(331) != nullptr;
  EXPECT_EQ(type9, 8);
  CliRun again = Cli({"import", "--json", out});
  ASSERT_EQ(again.code, kExitOk) << again.err;
  auto j2 = nlohmann::json::parse(again.out);
  ASSERT_EQ(j2["biometrics"].size(), 8u);
  // The store lists a profile's records in its own order: compare (position, size) as sets; the
  // size of an ISO/IEC 19794-2 record is fixed by its minutia count.
  std::multiset<std::pair<std::string, size_t>> first, second;
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(j2["biometrics"][i]["format"], "iso19794-2");
    first.insert({j["biometrics"][i]["position"].get<std::string>(), j["biometrics"][i]["bytes"].get<size_t>()});
    second.insert({j2["biometrics"][i]["position"].get<std::string>(), j2["biometrics"][i]["bytes"].get<size_t>()});
  }
  EXPECT_EQ(first, second);
  // A legacy-format Type-9 stays whole and the reason is reported.
  if (!Have("nbis_valid1.15.an2")) GTEST_SKIP() << "missing " << kDir << "nbis_valid1.15.an2";
  CliRun legacy = Cli({"import", "--json", kDir + "nbis_valid1.15.an2"});
  ASSERT_EQ(legacy.code, kExitOk) << legacy.err;
  auto jl = nlohmann::json::parse(legacy.out);
  EXPECT_EQ(jl["biometrics"][0]["format"], "an2k-type9");
  EXPECT_NE(jl["not_used"].dump().find("legacy standard format"), std::string::npos) << jl["not_used"].dump();
}

TEST_F(ImportExportTest, ImportRefusesUnknownAndDamagedFiles) {
  std::string junk = (dir_.path() / "junk.bin").string();
  std::ofstream(junk) << "GIF89a";
  CliRun r = Cli({"import", junk});
  EXPECT_EQ(r.code, kExitUnusable);
  EXPECT_NE(r.err.find("not a format idreg imports"), std::string::npos) << r.err;
  EXPECT_EQ(Cli({"import", (dir_.path() / "missing").string()}).code, kExitUnusable);
}

}  // namespace
}  // namespace idreg::cli
