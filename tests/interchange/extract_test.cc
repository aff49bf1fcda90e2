// What import sees in each NIST sample: attributes from Type-2, faces and fingers by position,
// WSQ fingerprints that decode, Type-9 kept whole, and a note for every record not used.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "idreg/image/wsq.h"
#include "idreg/interchange/extract.h"

namespace idreg {
namespace {

const std::string kAnsiNist = std::string(IDREG_SHARED_DIR) + "/data/ansi-nist/";

Result<InterchangeContent> Load(const std::string& name) {
  std::ifstream f(kAnsiNist + name, std::ios::binary);
  Bytes b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return ExtractInterchange(b);
}

std::string Attr(const InterchangeContent& c, const std::string& name) {
  for (const auto& [n, v] : c.attributes) {
    if (n == name) return v;
  }
  return "";
}

TEST(ExtractTest, Type2AttributesAndType10Face) {
  if (!std::filesystem::exists(kAnsiNist + "nbis_valid1.3.an2")) GTEST_SKIP() << "missing " << kAnsiNist << "nbis_valid1.3.an2";
  Result<InterchangeContent> c = Load("nbis_valid1.3.an2");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->format, "ANSI/NIST-ITL 0201");
  EXPECT_EQ(Attr(*c, "surname"), "brad");
  EXPECT_EQ(Attr(*c, "birth_date"), "1970-03-08");
  ASSERT_EQ(c->samples.size(), 1u);
  EXPECT_EQ(c->samples[0].modality, "face");
  EXPECT_FALSE(c->samples[0].format.empty());
  ASSERT_FALSE(c->unused.empty());  // Type-2 fields not mapped are reported
  EXPECT_NE(c->unused[0].reason.find("2.005"), std::string::npos);
}

TEST(ExtractTest, Type4SlapsAreWsqThatDecodes) {
  if (!std::filesystem::exists(kAnsiNist + "libbiomeval_type4-slaps.an2k")) GTEST_SKIP() << "missing type4-slaps";
  Result<InterchangeContent> c = Load("libbiomeval_type4-slaps.an2k");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->samples.size(), 4u);
  for (const InterchangeSample& s : c->samples) {
    EXPECT_EQ(s.modality, "finger");
    EXPECT_EQ(s.format, "image/wsq");
    Result<GrayImage> img = DecodeWsq(s.payload);
    ASSERT_TRUE(img.ok()) << s.source << ": " << img.status().ToString();
    EXPECT_GT(img->width, 300);
    EXPECT_GT(img->height, 300);
    EXPECT_EQ(s.position.rfind("plain_", 0), 0u) << s.position;  // slaps: plain impressions
  }
}

TEST(ExtractTest, EveryRecordIsUsedOrReported) {
  for (const char* name : {"nbis_valid1.8.an2", "nbis_valid1.15.an2", "nbis_valid1.16.an2",
                           "nbis_face_jpb_DOM_GMT_DCS.an2", "libbiomeval_type9-efs.an2k"}) {
    if (!std::filesystem::exists(kAnsiNist + name)) GTEST_SKIP() << "missing " << kAnsiNist << name;
    Result<InterchangeContent> c = Load(name);
    ASSERT_TRUE(c.ok()) << name << ": " << c.status().ToString();
    std::set<std::string> sources;
    for (const auto& s : c->samples) sources.insert(s.source);
    for (const auto& n : c->unused) sources.insert(n.source);
    std::ifstream f(kAnsiNist + name, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    Result<An2kTransaction> t = ParseAn2k(b);
    ASSERT_TRUE(t.ok());
    for (size_t i = 1; i < t->records.size(); ++i) {
      if (t->records[i].type == 2 && c->unused.empty()) continue;  // Type-2 fully mapped
      std::string src = "record " + std::to_string(i + 1) + " (Type-" + std::to_string(t->records[i].type) + ")";
      EXPECT_TRUE(sources.count(src)) << name << ": " << src << " neither used nor reported";
    }
  }
  Result<InterchangeContent> efs = Load("libbiomeval_type9-efs.an2k");
  ASSERT_TRUE(efs.ok());
  ASSERT_EQ(efs->samples.size(), 8u);
  EXPECT_EQ(efs->samples[0].format, "an2k-type9");
  Result<An2kRecord> back = ParseAn2kRecord(9, efs->samples[0].payload.data(), efs->samples[0].payload.size());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_NE(back->Find(331), nullptr);
}

TEST(ExtractTest, UnknownFormatsAreRefused) {
  Result<InterchangeContent> r = ExtractInterchange(ToBytes("GIF89a"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a format idreg imports"), std::string::npos);
}

}  // namespace
}  // namespace idreg
