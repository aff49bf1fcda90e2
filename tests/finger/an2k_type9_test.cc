// Type-9 EFS minutiae <-> templates: every record of NIST's EFS sample converts with its minutia
// count, finger position and coordinates inside its region of interest; a template extracted from
// a real FVC image survives the trip through a Type-9 record and still matches itself; malformed
// and legacy-format records are refused with the field named.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>

#include "idreg/finger/an2k_type9.h"
#include "idreg/finger/extractor.h"
#include "idreg/finger/matcher.h"
#include "idreg/image/decode.h"

namespace idreg::finger {
namespace {

const std::string kDir = std::string(IDREG_SHARED_DIR) + "/data/ansi-nist/";
const std::string kFvc = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/fvc2002/DB1_B/101_1.tif";

Result<An2kTransaction> Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  Bytes b(std::istreambuf_iterator<char>(f), {});
  return ParseAn2k(b);
}

TEST(An2kType9, EveryEfsRecordOfTheNistSampleConverts) {
  if (!std::filesystem::exists(kDir + "libbiomeval_type9-efs.an2k")) GTEST_SKIP() << "missing " << kDir << "libbiomeval_type9-efs.an2k";
  Result<An2kTransaction> t = Read(kDir + "libbiomeval_type9-efs.an2k");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  // Minutia counts and finger positions as the records state them (9.331 subfields, 9.302).
  const size_t kCounts[] = {60, 35, 68, 37, 54, 48, 53, 59};
  const int kPositions[] = {8, 5, 3, 10, 9, 7, 2, 4};
  size_t n = 0;
  for (const An2kRecord& r : t->records) {
    if (r.type != 9) continue;
    Result<Type9Minutiae> m = Type9ToTemplate(r);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ASSERT_LT(n, 8u);
    EXPECT_EQ(m->tmpl.minutiae.size(), kCounts[n]) << n;
    EXPECT_EQ(m->position, kPositions[n]) << n;
    int endings = 0;
    for (const Minutia& mm : m->tmpl.minutiae) {
      EXPECT_GE(mm.x, 0);
      EXPECT_LE(mm.x, m->tmpl.width);
      EXPECT_LE(mm.y, m->tmpl.height);
      EXPECT_GE(mm.direction, 0);
      EXPECT_LT(mm.direction, 2 * std::numbers::pi);
      endings += mm.type == MinutiaType::kEnding;
    }
    EXPECT_GT(endings, 0);
    ++n;
  }
  EXPECT_EQ(n, 8u);
}

TEST(An2kType9, ARealTemplateSurvivesTheTrip) {
  if (!std::filesystem::exists(kFvc)) GTEST_SKIP() << "missing " << kFvc;
  Result<GrayImage> img = ReadImageFile(kFvc);
  ASSERT_TRUE(img.ok());
  Result<FingerTemplate> tmpl = ExtractMinutiae(*img);
  ASSERT_TRUE(tmpl.ok()) << tmpl.status().ToString();
  Result<An2kRecord> rec = TemplateToType9(*tmpl, 3, 2, 0);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  Result<Bytes> bytes = SerializeAn2kRecord(*rec);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  Result<An2kRecord> parsed = ParseAn2kRecord(9, bytes->data(), bytes->size());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  Result<Type9Minutiae> back = Type9ToTemplate(*parsed);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->position, 2);
  ASSERT_EQ(back->tmpl.minutiae.size(), tmpl->minutiae.size());
  for (size_t i = 0; i < tmpl->minutiae.size(); ++i) {
    const Minutia& a = tmpl->minutiae[i];
    const Minutia& b = back->tmpl.minutiae[i];
    EXPECT_LE(std::abs(a.x - b.x), 1);
    EXPECT_LE(std::abs(a.y - b.y), 1);
    double d = std::abs(a.direction - b.direction);
    EXPECT_LT(std::min(d, 2 * std::numbers::pi - d), 1.0 * std::numbers::pi / 180 + 1e-4);
    EXPECT_EQ(a.type, b.type);
  }
  // The same minutiae, rounded to 10 micrometres and whole degrees, still match as the same image.
  EXPECT_GT(MatchTemplates(*tmpl, back->tmpl), 0.5f);
}

TEST(An2kType9, MalformedAndLegacyRecordsAreRefusedWithTheField) {
  auto record = [](std::vector<std::pair<int, std::string>> fields) {
    An2kRecord r;
    r.type = 9;
    r.fields.push_back(An2kField::Make(9, 1, "0"));
    for (auto& [n, v] : fields) r.fields.push_back(An2kField::Make(9, n, v));
    return r;
  };
  const std::string us(1, kAn2kUs);
  auto expect = [](const An2kRecord& r, const std::string& needle) {
    Result<Type9Minutiae> m = Type9ToTemplate(r);
    ASSERT_FALSE(m.ok()) << needle;
    EXPECT_NE(m.status().message().find(needle), std::string::npos) << m.status().message();
  };
  expect(record({{300, "100" + us + "100"}}), "no EFS minutiae");
  expect(record({{331, "1" + us + "1" + us + "0" + us + "E"}}), "9.300");
  expect(record({{300, "100" + us + "100"}, {331, "1" + us + "1" + us + "0" + us + "Q"}}), "type 'Q'");
  expect(record({{300, "100" + us + "100"}, {331, "101" + us + "1" + us + "0" + us + "E"}}), "outside the region");
  expect(record({{300, "100" + us + "100"}, {331, "1" + us + "1" + us + "400" + us + "E"}}), "theta '400'");
  expect(record({{300, "100" + us + "100"}, {331, "1" + us + "1"}}), "minutia 1: needs");
  if (!std::filesystem::exists(kDir + "nbis_valid1.15.an2")) GTEST_SKIP() << "missing " << kDir << "nbis_valid1.15.an2";
  Result<An2kTransaction> t = Read(kDir + "nbis_valid1.15.an2");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  for (const An2kRecord& r : t->records) {
    if (r.type == 9) expect(r, "legacy standard format");
  }
}

}  // namespace
}  // namespace idreg::finger
