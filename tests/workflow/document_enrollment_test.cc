#include "idreg/workflow/document_enrollment.h"

#include <gtest/gtest.h>

namespace idreg {
namespace {

TEST(DocumentEnrollmentTest, PassportBecomesDocumentAndAttributesWithProvenance) {
  auto mrz = ParseMrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10",
                      MrzOptions{{2026, 11, 30}});
  ASSERT_TRUE(mrz.ok()) << mrz.status().ToString();
  Enrollment e;
  AddMrzToEnrollment(*mrz, e);
  ASSERT_EQ(e.documents.size(), 1u);
  EXPECT_EQ(e.documents[0].format, "TD3");
  EXPECT_EQ(e.documents[0].number, "L898902C3");
  EXPECT_EQ(e.documents[0].expiry_date, "2012-04-15");
  EXPECT_TRUE(e.documents[0].mrz_valid);
  EXPECT_EQ(e.documents[0].mrz.find('|'), 44u);
  ASSERT_EQ(e.attributes.size(), 5u);
  for (const auto& a : e.attributes) {
    EXPECT_EQ(a.provenance.kind, Provenance::Kind::kDocument);
    EXPECT_EQ(a.provenance.issuing_state, "UTO");
    EXPECT_EQ(a.provenance.document_number, "L898902C3");
    EXPECT_EQ(a.provenance.source, "MRZ");
  }
  EXPECT_EQ(e.attributes[0].name, "surname");
  EXPECT_EQ(e.attributes[0].value, "ERIKSSON");
  EXPECT_EQ(e.attributes[1].value, "ANNA MARIA");
  EXPECT_EQ(e.attributes[2].value, "1974-08-12");
}

TEST(DocumentEnrollmentTest, InvalidZoneIsRecordedAsSuch) {
  // Document number check digit 6 changed to 5.
  auto mrz = ParseMrz("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C35UTO7408122F1204159ZE184226B<<<<<10",
                      MrzOptions{{2026, 11, 30}});
  ASSERT_TRUE(mrz.ok());
  EXPECT_FALSE(DocumentFromMrz(*mrz).mrz_valid);
}

}  // namespace
}  // namespace idreg
