// Every NIST sample transaction parses, lists the records its provenance says, and is written back
// byte-identical; cutting it at every record boundary is reported as truncation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "idreg/interchange/an2k.h"
#include "test_files.h"

namespace idreg {
namespace {

const std::string kDir = std::string(IDREG_SHARED_DIR) + "/data/ansi-nist/";

struct Sample {
  const char* file;
  std::vector<int> types;  // after Type-1, from PROVENANCE.md
};

const Sample kSamples[] = {
    {"nbis_valid1.3.an2", {2, 10}},
    {"nbis_valid1.8.an2", {2, 14, 14, 14}},
    {"nbis_valid1.15.an2", {2, 9}},
    {"nbis_valid1.16.an2", {2, 4, 10, 13, 14, 15, 16, 17, 99}},
    {"nbis_face_jpb_DOM_GMT_DCS.an2", {10}},
    {"libbiomeval_type9-efs.an2k", {9, 9, 9, 9, 9, 9, 9, 9}},
    {"libbiomeval_type4-slaps.an2k", {2, 4, 4, 4, 4}},
};

class An2kSampleTest : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    path_ = kDir + GetParam().file;
    if (!std::filesystem::exists(path_)) GTEST_SKIP() << "missing " << path_;
    bytes_ = test::ReadFileBytes(path_);
  }
  std::string path_;
  Bytes bytes_;
};

TEST_P(An2kSampleTest, ParsesAndRoundTripsByteIdentical) {
  Result<An2kTransaction> t = ParseAn2k(bytes_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->records.size(), GetParam().types.size() + 1);
  EXPECT_EQ(t->records[0].type, 1);
  for (size_t i = 0; i < GetParam().types.size(); ++i) EXPECT_EQ(t->records[i + 1].type, GetParam().types[i]) << i;
  EXPECT_EQ(t->Version().size(), 4u);
  Result<Bytes> again = SerializeAn2k(*t);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(*again == bytes_) << "round trip differs";
}

TEST_P(An2kSampleTest, CutAtEveryRecordBoundaryIsTruncation) {
  Result<An2kTransaction> t = ParseAn2k(bytes_);
  ASSERT_TRUE(t.ok());
  for (size_t i = 1; i < t->records.size(); ++i) {
    size_t cut = t->records[i].offset;
    Result<An2kTransaction> r = ParseAn2k(bytes_.data(), cut);
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_NE(r.status().message().find("record " + std::to_string(i + 1)), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
    // And one byte into the next record.
    Result<An2kTransaction> r2 = ParseAn2k(bytes_.data(), cut + 1);
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.status().message().find("record " + std::to_string(i + 1)), std::string::npos) << r2.status().message();
  }
  // A byte missing from the very end.
  Result<An2kTransaction> end = ParseAn2k(bytes_.data(), bytes_.size() - 1);
  ASSERT_FALSE(end.ok());
  EXPECT_NE(end.status().message().find("truncated"), std::string::npos) << end.status().message();
}

INSTANTIATE_TEST_SUITE_P(Samples, An2kSampleTest, ::testing::ValuesIn(kSamples),
                         [](const ::testing::TestParamInfo<Sample>& info) {
                           std::string n = info.param.file;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(An2kSampleFieldsTest, Type2NameAndType4Header) {
  std::string path = kDir + "libbiomeval_type4-slaps.an2k";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  Result<An2kTransaction> t = ParseAn2k(test::ReadFileBytes(path));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->Version(), "0400");
  Result<An2kBinaryImageHeader> h = t->records[2].ImageHeader();
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->idc, 1);
  EXPECT_EQ(h->compression, 1);  // WSQ
  EXPECT_GT(h->width, 500);
  EXPECT_GT(h->height, 500);
  EXPECT_EQ(t->records[2].data[0], 0xFF);
  EXPECT_EQ(t->records[2].data[1], 0xA0);  // WSQ SOI

  std::string p15 = kDir + "nbis_valid1.15.an2";
  if (!std::filesystem::exists(p15)) GTEST_SKIP() << "missing " << p15;
  Result<An2kTransaction> t15 = ParseAn2k(test::ReadFileBytes(p15));
  ASSERT_TRUE(t15.ok());
  EXPECT_EQ(t15->records[0].fields[0].tag, "1.01");  // two-digit tags kept as written
  EXPECT_EQ(t15->records[1].Text(18), "smith,tom");
  EXPECT_EQ(t15->records[1].Text(22), "19560301");
}

}  // namespace
}  // namespace idreg
