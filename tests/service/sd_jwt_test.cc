#include "idreg/service/sd_jwt.h"

#include <gtest/gtest.h>

namespace idreg::service {
namespace {

using nlohmann::json;

class SdJwtTest : public ::testing::Test {
 protected:
  std::shared_ptr<const MasterKey> master_ = MasterKey::Generate();
  CredentialIssuer issuer_{*master_};
  std::string token_ = issuer_.Issue("idreg", "SUBJECT", {{"age_over_18", true}, {"nationality", "UTO"},
                                                         {"family_name", "ERIKSSON"}},
                                     1000, 2000);
};

TEST_F(SdJwtTest, IssuedCredentialVerifiesWithEveryClaim) {
  auto v = VerifySdJwt(token_, issuer_.Jwks(), 1500);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->claims.size(), 3u);
  EXPECT_EQ(v->claims["nationality"], "UTO");
  EXPECT_EQ(v->payload["sub"], "SUBJECT");
  // The signed payload holds digests only, never the values.
  std::string payload_b64 = token_.substr(token_.find('.') + 1);
  payload_b64 = payload_b64.substr(0, payload_b64.find('.'));
  EXPECT_EQ(Base64UrlDecode(payload_b64)->find("ERIKSSON"), std::string::npos);
}

TEST_F(SdJwtTest, HolderDisclosesASubset) {
  auto presented = PresentSdJwt(token_, {"age_over_18"});
  ASSERT_TRUE(presented.ok());
  auto v = VerifySdJwt(*presented, issuer_.Jwks(), 1500);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->claims.size(), 1u);
  EXPECT_EQ(v->claims["age_over_18"], true);
  EXPECT_EQ(presented->find("ERIKSSON"), std::string::npos);
  EXPECT_FALSE(PresentSdJwt(token_, {"shoe_size"}).ok());
}

TEST_F(SdJwtTest, ForgeriesAndExpiryAreRejected) {
  EXPECT_EQ(VerifySdJwt(token_, issuer_.Jwks(), 2500).status().code(), StatusCode::kUnauthenticated);
  auto other = MasterKey::Generate();
  json foreign = CredentialIssuer(*other).Jwks();
  foreign["keys"][0]["kid"] = issuer_.key_id();
  EXPECT_EQ(VerifySdJwt(token_, foreign, 1500).status().code(), StatusCode::kUnauthenticated);
  // A disclosure made up by the holder has no signed digest.
  std::string fake = Base64UrlEncode(json::array({"salt", "nationality", "XXX"}).dump());
  auto v = VerifySdJwt(token_ + fake + "~", issuer_.Jwks(), 1500);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("does not match"), std::string::npos);
  // A flipped signature bit.
  std::string broken = token_;
  size_t sig = broken.rfind('.', broken.find('~'));
  broken[sig + 5] = broken[sig + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifySdJwt(broken, issuer_.Jwks(), 1500).ok());
  for (const char* garbage : {"", "abc", "a.b~", "a.b.c", "~~~", "x.y.z~q~"}) {
    EXPECT_FALSE(VerifySdJwt(garbage, issuer_.Jwks(), 1500).ok()) << garbage;
  }
}

TEST_F(SdJwtTest, SigningKeyIsStableForOneMasterKey) {
  EXPECT_EQ(CredentialIssuer(*master_).Jwks(), issuer_.Jwks());
  EXPECT_NE(CredentialIssuer(*MasterKey::Generate()).key_id(), issuer_.key_id());
}

}  // namespace
}  // namespace idreg::service
