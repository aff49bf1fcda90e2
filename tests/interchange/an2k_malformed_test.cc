// Hand-made transactions: a valid one with every record kind round-trips, and each malformation
// (wrong LEN either way, content list disagreeing, unknown types, wrong separators, trailing
// bytes, binary headers) is refused naming the record and field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idreg/interchange/an2k.h"

namespace idreg {
namespace {

const std::string GS(1, kAn2kGs), FS(1, kAn2kFs), RS(1, kAn2kRs), US(1, kAn2kUs);

// A tagged record with LEN computed; fields as "NNN:value".
std::string Tagged(int type, const std::vector<std::string>& fields) {
  std::string body;
  for (const std::string& f : fields) body += GS + std::to_string(type) + "." + f;
  body += FS;
  std::string head = std::to_string(type) + ".001:";
  size_t total = head.size() + 1 + body.size();
  if (std::to_string(total).size() > 1) total = head.size() + std::to_string(total).size() + body.size();
  if (std::to_string(total).size() > std::to_string(total - 1).size()) total = head.size() + std::to_string(total).size() + body.size();
  return head + std::to_string(total) + body;
}

std::string Binary4(int idc, const std::string& data) {
  std::string hdr = {static_cast<char>(idc), 0, 3, '\xff', '\xff', '\xff', '\xff', '\xff', 0, 0, 2, 0, 2, 0};
  uint32_t len = static_cast<uint32_t>(4 + hdr.size() + data.size());
  std::string l = {static_cast<char>(len >> 24), static_cast<char>(len >> 16), static_cast<char>(len >> 8),
                   static_cast<char>(len)};
  return l + hdr + data;
}

std::string Transaction(const std::string& list, const std::string& rest) {
  return Tagged(1, {"002:0500", "003:" + list, "004:CAR", "005:20261130", "007:DAI", "008:ORI", "009:TCN1",
                    "011:00.00", "012:00.00"}) + rest;
}

std::string List(const std::vector<std::pair<int, int>>& entries) {
  std::string s = "1" + US + std::to_string(entries.size());
  for (auto [t, idc] : entries) s += RS + std::to_string(t) + US + (idc < 10 ? "0" : "") + std::to_string(idc);
  return s;
}

Result<An2kTransaction> Parse(const std::string& s) {
  return ParseAn2k(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

void ExpectError(const std::string& input, const std::vector<std::string>& needles) {
  Result<An2kTransaction> r = Parse(input);
  ASSERT_FALSE(r.ok());
  for (const std::string& n : needles) EXPECT_NE(r.status().message().find(n), std::string::npos) << r.status().message();
}

const std::string kType2 = Tagged(2, {"002:00", "018:DOE" + US + "JANE", "022:19800101"});
const std::string kType10 = Tagged(10, {"002:02", "003:FACE", "999:\x1c\x1d binary \xff"});

TEST(An2kMalformedTest, HandMadeTransactionRoundTrips) {
  std::string t = Transaction(List({{2, 0}, {4, 1}, {10, 2}}), kType2 + Binary4(1, "WSQDATA!") + kType10);
  Result<An2kTransaction> r = Parse(t);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->records.size(), 4u);
  EXPECT_EQ(r->records[1].Text(18), "DOE" + US + "JANE");
  EXPECT_EQ(r->records[1].Find(18)->Subfields()[0][1], "JANE");
  EXPECT_EQ(r->records[2].ImageHeader()->positions[0], 3);
  EXPECT_EQ(ToString(r->records[2].data), "WSQDATA!");
  EXPECT_EQ(r->records[3].Find(999)->value, "\x1c\x1d binary \xff");
  Result<Bytes> w = SerializeAn2k(*r);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(ToString(*w), t);
}

TEST(An2kMalformedTest, EditedFieldsGetTheirLengthRecomputed) {
  std::string t = Transaction(List({{2, 0}}), kType2);
  Result<An2kTransaction> r = Parse(t);
  ASSERT_TRUE(r.ok());
  r->records[1].fields[2].value = "A MUCH LONGER NAME THAN BEFORE, ENOUGH TO ADD A DIGIT TO THE LENGTH" + US + "X";
  r->records[1].fields.push_back(An2kField::Make(2, 900, "new"));
  Result<Bytes> w = SerializeAn2k(*r);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  Result<An2kTransaction> again = ParseAn2k(*w);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->records[1].Text(900), "new");
  // A separator that would break the structure is refused.
  r->records[1].fields[2].value = "BAD" + GS;
  Result<Bytes> bad = SerializeAn2k(*r);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("field 2.018"), std::string::npos) << bad.status().message();
}

TEST(An2kMalformedTest, LengthDisagreeingWithTheContent) {
  std::string t2 = kType2;
  std::string len = t2.substr(6, t2.find(GS) - 6);
  std::string longer = "2.001:" + std::to_string(std::stoi(len) + 2) + t2.substr(t2.find(GS));
  ExpectError(Transaction(List({{2, 0}}), longer + "xx"), {"record 2 (Type-2)", "field 2.001", "disagrees"});
  std::string shorter = "2.001:" + std::to_string(std::stoi(len) - 2) + t2.substr(t2.find(GS));
  ExpectError(Transaction(List({{2, 0}}), shorter), {"record 2 (Type-2)", "field 2.001"});
  ExpectError(Transaction(List({{2, 0}}), "2.001:abc" + t2.substr(t2.find(GS))), {"record 2", "2.001", "'abc"});
}

TEST(An2kMalformedTest, ContentListThatDoesNotMatchTheRecords) {
  ExpectError(Transaction("1" + US + "2" + RS + "2" + US + "00", kType2), {"field 1.003", "says 2 records"});
  ExpectError(Transaction(List({{2, 0}, {2, 1}}), kType2), {"record 3", "truncated"});
  ExpectError(Transaction(List({{10, 0}}), kType2), {"record 2", "field 2.001 belongs to Type-2", "Type-10"});
  ExpectError(Transaction(List({{2, 5}}), kType2), {"record 2", "IDC 5"});
  ExpectError(Transaction(List({{2, 0}}), kType2 + kType10), {"bytes follow the last record"});
  ExpectError(Transaction("1" + US + "1" + RS + "2", kType2), {"field 1.003, subfield 2", "2 items"});
}

TEST(An2kMalformedTest, UnknownRecordTypes) {
  ExpectError(Transaction(List({{42, 0}}), kType2), {"record 2", "Type-42", "not an ANSI/NIST-ITL record type"});
  ExpectError(Transaction(List({{0, 0}}), kType2), {"Type-0"});
}

TEST(An2kMalformedTest, WrongSeparators) {
  std::string t = Transaction(List({{2, 0}}), kType2);
  std::string rs_for_gs = t;
  rs_for_gs[rs_for_gs.find(GS, rs_for_gs.find("2.002:"))] = kAn2kRs;  // inside Type-2: 2.002 swallows 2.018
  ExpectError(rs_for_gs, {"record 2", "field 2.002", "IDC"});
  std::string no_fs = t;
  no_fs[no_fs.size() - 1] = kAn2kGs;
  ExpectError(no_fs, {"record 2", "not the FS"});
  std::string colon = t;
  colon.replace(colon.find("2.018:"), 6, "2.018;");
  ExpectError(colon, {"record 2", "field tag"});
  std::string early_fs = t;
  early_fs[early_fs.find(GS, early_fs.find("2.018"))] = kAn2kFs;
  ExpectError(early_fs, {"record 2", "FS at offset"});
}

TEST(An2kMalformedTest, BinaryRecords) {
  std::string b = Binary4(1, "DATA");
  ExpectError(Transaction(List({{4, 1}}), b.substr(0, 3)), {"record 2 (Type-4)", "4-byte length", "truncated"});
  std::string zero = std::string(3, '\0') + "\x05" + b.substr(4);
  ExpectError(Transaction(List({{4, 1}}), zero), {"record 2 (Type-4)", "shorter than the 18-byte"});
  ExpectError(Transaction(List({{4, 1}}), b.substr(0, b.size() - 1)), {"record 2 (Type-4)", "truncated"});
  // The writer refuses a header of the wrong size.
  Result<An2kTransaction> r = Parse(Transaction(List({{4, 1}}), b));
  ASSERT_TRUE(r.ok());
  r->records[1].header.pop_back();
  EXPECT_FALSE(SerializeAn2k(*r).ok());
}

TEST(An2kMalformedTest, RebuiltContentListDescribesTheRecords) {
  Result<An2kTransaction> r = Parse(Transaction(List({{2, 0}}), kType2));
  ASSERT_TRUE(r.ok());
  An2kRecord extra;
  extra.type = 10;
  extra.fields = {An2kField::Make(10, 1, "0"), An2kField::Make(10, 2, "07"), An2kField::Make(10, 999, "img")};
  r->records.push_back(extra);
  EXPECT_FALSE(SerializeAn2k(*r).ok());  // 1.003 no longer describes the records
  RebuildContentList(*r);
  Result<Bytes> w = SerializeAn2k(*r);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  Result<An2kTransaction> again = ParseAn2k(*w);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->records[2].Idc(), 7);
}

}  // namespace
}  // namespace idreg
