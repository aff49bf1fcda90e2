// CBEFF XML as MOSIP writes it: read, write, read again; finger subtypes; malformed documents.
#include <gtest/gtest.h>

#include <string>

#include "idreg/interchange/cbeff.h"

namespace idreg {
namespace {

// The layout of MOSIP's published samples (namespace, nesting, element order), with our own data.
const char* kMosip = R"(<?xml version="1.0" encoding="UTF-8"?>
<BIR xmlns="http://standards.iso.org/iso-iec/19785/-3/ed-2/">
   <BIRInfo>
      <Integrity>false</Integrity>
   </BIRInfo>
   <!-- right index finger -->
   <BIR>
      <Version><Major>1</Major><Minor>1</Minor></Version>
      <CBEFFVersion><Major>1</Major><Minor>1</Minor></CBEFFVersion>
      <BIRInfo><Integrity>false</Integrity></BIRInfo>
      <BDBInfo>
         <Index>0b7a5f3e-0000-4000-8000-000000000001</Index>
         <Format><Organization>Mosip</Organization><Type>7</Type></Format>
         <CreationDate>2026-11-30T10:00:00.000Z</CreationDate>
         <Type>Finger</Type>
         <Subtype>Right IndexFinger</Subtype>
         <Level>Raw</Level>
         <Purpose>Enroll</Purpose>
         <Quality>
            <Algorithm><Organization>HMAC</Organization><Type>SHA-256</Type></Algorithm>
            <Score>87</Score>
         </Quality>
      </BDBInfo>
      <BDB>RklSADAyMAAA
           AQID</BDB>
   </BIR>
   <BIR>
      <BIRInfo><Integrity>false</Integrity></BIRInfo>
      <BDBInfo>
         <Format><Organization>Mosip</Organization><Type>8</Type></Format>
         <Type>Face</Type>
         <Subtype></Subtype>
         <Level>Raw</Level>
         <Purpose>Enroll</Purpose>
      </BDBInfo>
      <BDB><![CDATA[RkFDADAxMAA=]]></BDB>
   </BIR>
</BIR>
)";

TEST(CbeffTest, ReadsMosipLayoutAndWritesItBack) {
  Result<CbeffDocument> doc = ParseCbeffXml(kMosip);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->birs.size(), 2u);
  const CbeffBir& f = doc->birs[0];
  EXPECT_EQ(f.format_organization, "Mosip");
  EXPECT_EQ(f.format_type, "7");
  EXPECT_EQ(f.type, "Finger");
  EXPECT_EQ(f.subtype, "Right IndexFinger");
  EXPECT_EQ(f.purpose, "Enroll");
  EXPECT_EQ(f.quality, 87);
  EXPECT_EQ(f.quality_algorithm, "SHA-256");
  EXPECT_EQ(ToString(f.bdb).substr(0, 4), std::string("FIR\0", 4));
  EXPECT_EQ(f.bdb.size(), 12u);
  EXPECT_EQ(doc->birs[1].type, "Face");
  EXPECT_FALSE(doc->birs[1].quality.has_value());
  EXPECT_EQ(ToString(doc->birs[1].bdb).substr(0, 3), "FAC");

  std::string xml = WriteCbeffXml(*doc);
  EXPECT_NE(xml.find("xmlns=\"http://standards.iso.org/iso-iec/19785/-3/ed-2/\""), std::string::npos);
  Result<CbeffDocument> again = ParseCbeffXml(xml);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(again->birs.size(), 2u);
  EXPECT_EQ(again->birs[0].bdb, f.bdb);
  EXPECT_EQ(again->birs[0].subtype, f.subtype);
  EXPECT_EQ(again->birs[0].quality, 87);
  EXPECT_EQ(again->birs[0].index, f.index);
  EXPECT_EQ(WriteCbeffXml(*again), xml);
}

TEST(CbeffTest, EscapesTextAndResolvesReferences) {
  CbeffDocument d;
  CbeffBir b;
  b.type = "Finger";
  b.subtype = "A<B & \"C\"";
  b.bdb = {0, 1, 2, 255};
  d.birs.push_back(b);
  Result<CbeffDocument> back = ParseCbeffXml(WriteCbeffXml(d));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->birs[0].subtype, b.subtype);
  EXPECT_EQ(back->birs[0].bdb, b.bdb);
}

TEST(CbeffTest, FingerSubtypes) {
  EXPECT_EQ(CbeffFingerSubtype("left_little"), "Left LittleFinger");
  EXPECT_EQ(CbeffFingerPosition("Right Thumb"), "right_thumb");
  EXPECT_EQ(CbeffFingerPosition("Nose"), "");
}

void ExpectError(const std::string& xml, const std::string& needle) {
  Result<CbeffDocument> r = ParseCbeffXml(xml);
  ASSERT_FALSE(r.ok()) << xml;
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

TEST(CbeffTest, MalformedDocuments) {
  ExpectError("", "line 1, column 1");
  ExpectError("<BIR><BIR>", "not closed");
  ExpectError("<BIR>\n  <BIR></BDB></BIR>", "line 2");
  ExpectError("<Root/>", "not <BIR>");
  ExpectError("<BIR></BIR>", "no BIR with a BDB");
  ExpectError("<!DOCTYPE x [<!ENTITY a 'b'>]><BIR/>", "DOCTYPE");
  ExpectError("<BIR>&bomb;</BIR>", "unknown entity");
  ExpectError("<BIR><BIR><BDBInfo><Type>Finger</Type></BDBInfo><BDB>@@@@</BDB></BIR></BIR>", "BIR 1");
  ExpectError("<BIR><BIR><BDBInfo><Type>Finger</Type><Quality><Score>101</Score></Quality></BDBInfo><BDB>AA==</BDB>"
              "</BIR></BIR>", "Score");
  ExpectError("<BIR><BIR><BDB>AA==</BDB></BIR></BIR>", "no BDBInfo");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  ExpectError("<BIR>" + deep, "deeper");
}

}  // namespace
}  // namespace idreg
