// The ISO/IEC 19794-2:2005 codec on every real record: parse, write back byte-identical; and the
// truncated records are refused naming what is short.
#include "idreg/finger/iso19794_2.h"
#include "test_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace idreg::finger {
namespace {

const std::string kIsoDir = std::string(IDREG_SHARED_DIR) + "/data/fingerprint/";

std::vector<std::string> RealRecords() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const char* db : {"DB1_B", "DB2_B", "DB3_B", "DB4_B"}) {
    for (const auto& e : std::filesystem::directory_iterator(kIsoDir + "fvc2002/" + db, ec)) {
      if (e.path().extension() == ".iso") out.push_back(e.path().string());
    }
  }
  for (const char* f : {"iso-probe.dat", "iso-matching.dat", "iso-nonmatching.dat"}) {
    if (std::filesystem::exists(kIsoDir + "sourceafis/" + f)) out.push_back(kIsoDir + "sourceafis/" + f);
  }
  return out;
}

TEST(Iso19794_2Test, EveryRealRecordRoundTripsByteIdentical) {
  const std::vector<std::string> files = RealRecords();
  if (files.empty()) GTEST_SKIP() << "missing " << kIsoDir << "fvc2002/*/*.iso";
  EXPECT_EQ(files.size(), 323u);
  size_t minutiae = 0;
  for (const std::string& f : files) {
    const Bytes bytes = test::ReadFileBytes(f);
    auto rec = ParseIso19794_2(bytes);
    ASSERT_TRUE(rec.ok()) << f << ": " << rec.status().ToString();
    ASSERT_EQ(rec->views.size(), 1u) << f;
    minutiae += rec->views[0].minutiae.size();
    auto written = WriteIso19794_2(*rec);
    ASSERT_TRUE(written.ok()) << f;
    EXPECT_EQ(*written, bytes) << f;
  }
  EXPECT_GT(minutiae, files.size() * 10);  // real records hold dozens of minutiae each
}

TEST(Iso19794_2Test, SourceAfisRecordKeepsItsVendorBlockAndPadding) {
  const std::string f = kIsoDir + "sourceafis/iso-probe.dat";
  if (!std::filesystem::exists(f)) GTEST_SKIP() << "missing " << f;
  auto rec = ParseIso19794_2(test::ReadFileBytes(f));
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->width, 224);
  EXPECT_EQ(rec->height, 288);
  ASSERT_EQ(rec->views[0].extended.size(), 1u);
  EXPECT_EQ(rec->views[0].extended[0].type, 0x0144);
  EXPECT_EQ(rec->padding, 384u - 263u);
  auto t = IsoToTemplate(*rec);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->minutiae.size(), 38u);
  EXPECT_NEAR(t->ppi, 500, 1);
}

TEST(Iso19794_2Test, TruncatedRecordsAreRefusedNamingWhatIsShort) {
  for (const char* name :
       {"101_1_truncate_1_byte.iso", "101_1_truncate_2_bytes.iso", "101_1_truncate_3_bytes.iso"}) {
    const std::string f = kIsoDir + "invalid-iso/" + name;
    if (!std::filesystem::exists(f)) GTEST_SKIP() << "missing " << f;
    auto rec = ParseIso19794_2(test::ReadFileBytes(f));
    ASSERT_FALSE(rec.ok()) << name;
    const std::string& m = rec.status().message();
    EXPECT_NE(m.find("truncated"), std::string::npos) << m;
    EXPECT_NE(m.find("of view 1 at offset 2"), std::string::npos) << m;  // the field that is short
    EXPECT_NE(m.find("the record length field says 30 bytes"), std::string::npos) << m;
  }
}

TEST(Iso19794_2Test, MalformedHeadersAreRefused) {
  Bytes good = {'F', 'M', 'R', 0, ' ', '2', '0', 0, 0, 0, 0, 30, 0, 0, 1,
                44,  1,   144, 0, 197, 0,   197, 1, 0, 0, 0, 0,  0, 0, 0};
  ASSERT_TRUE(ParseIso19794_2(good).ok());
  Bytes bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_NE(ParseIso19794_2(bad_magic).status().message().find("format identifier"), std::string::npos);
  Bytes bad_version = good;
  bad_version[5] = '3';
  EXPECT_NE(ParseIso19794_2(bad_version).status().message().find("version"), std::string::npos);
  Bytes trailing = good;
  trailing.push_back(7);
  EXPECT_NE(ParseIso19794_2(trailing).status().message().find("non-zero byte at offset 30"),
            std::string::npos);
  Bytes short_length = good;
  short_length[11] = 10;
  EXPECT_FALSE(ParseIso19794_2(short_length).ok());
  EXPECT_FALSE(ParseIso19794_2(Bytes(good.begin(), good.begin() + 10)).ok());
}

TEST(Iso19794_2Test, TemplateConversionKeepsMinutiae) {
  FingerTemplate t;
  t.width = 300;
  t.height = 400;
  t.quality = 77;
  t.minutiae = {{10, 20, 1.0f, MinutiaType::kEnding, 50}, {200, 300, 4.0f, MinutiaType::kBifurcation, 90}};
  auto rec = TemplateToIso(t);
  ASSERT_TRUE(rec.ok());
  auto bytes = WriteIso19794_2(*rec);
  ASSERT_TRUE(bytes.ok());
  auto back = ParseIso19794_2(*bytes);
  ASSERT_TRUE(back.ok());
  auto t2 = IsoToTemplate(*back);
  ASSERT_TRUE(t2.ok());
  ASSERT_EQ(t2->minutiae.size(), 2u);
  EXPECT_EQ(t2->minutiae[1].x, 200);
  EXPECT_EQ(t2->minutiae[1].type, MinutiaType::kBifurcation);
  EXPECT_NEAR(t2->minutiae[0].direction, 1.0, 2 * 3.1416 / 256);
  EXPECT_EQ(t2->quality, 77);
}

}  // namespace
}  // namespace idreg::finger
