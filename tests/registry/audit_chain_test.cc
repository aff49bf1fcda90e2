#include <gtest/gtest.h>

#include "idreg/registry/audit.h"
#include "idreg/registry/master_key.h"

namespace idreg {
namespace {

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = MasterKey::Generate()->DeriveAuditKey();
    std::string prev = kAuditGenesisHash;
    for (int i = 1; i <= 6; ++i) {
      AuditEntry e{i, "2026-11-30T00:00:0" + std::to_string(i) + ".000Z", "officer", "admin", "purpose",
                   "profile.read", "OBJ" + std::to_string(i), "", prev, "", ""};
      SealAuditEntry(e, key_);
      prev = e.hash;
      chain_.push_back(e);
    }
  }
  AuditVerification Verify(const std::vector<AuditEntry>& entries, const AuditKey* key = nullptr) {
    AuditChainVerifier v(key ? *key : key_);
    for (const auto& e : entries) {
      if (!v.Add(e)) break;
    }
    const AuditEntry& head = chain_.back();
    return v.Finish(head.seq, head.hash, AuditHeadMac(head.seq, head.hash, key_));
  }

  AuditKey key_;
  std::vector<AuditEntry> chain_;
};

TEST_F(AuditChainTest, IntactChainVerifies) {
  auto r = Verify(chain_);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 6);
  EXPECT_EQ(r.head_hash, chain_.back().hash);
}

TEST_F(AuditChainTest, AlteredFieldIsNamed) {
  auto c = chain_;
  c[2].purpose = "curiosity";
  auto r = Verify(c);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_NE(r.problem.find("altered"), std::string::npos);
}

TEST_F(AuditChainTest, RemovedEntryIsNamed) {
  auto c = chain_;
  c.erase(c.begin() + 3);
  auto r = Verify(c);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_NE(r.problem.find("entry 4 is missing"), std::string::npos);
}

TEST_F(AuditChainTest, ReorderedEntriesAreDetected) {
  auto c = chain_;
  std::swap(c[1], c[2]);
  auto r = Verify(c);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  // Swapping contents but keeping seq numbers in place breaks the links instead.
  auto d = chain_;
  std::swap(d[1].seq, d[2].seq);
  std::swap(d[1], d[2]);
  EXPECT_FALSE(Verify(d).ok);
}

TEST_F(AuditChainTest, TruncatedTailIsCaughtByTheHead) {
  auto c = chain_;
  c.pop_back();
  auto r = Verify(c);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("removed from the end"), std::string::npos);
}

TEST_F(AuditChainTest, ChainRewrittenWithoutTheKeyFailsAuthentication) {
  auto c = chain_;
  AuditKey forged = MasterKey::Generate()->DeriveAuditKey();
  c[4].actor = "someone else";
  std::string prev = c[3].hash;
  for (size_t i = 4; i < c.size(); ++i) {
    c[i].prev_hash = prev;
    SealAuditEntry(c[i], forged);  // recomputes hashes consistently, but under the wrong key
    prev = c[i].hash;
  }
  auto r = Verify(c);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5);
  EXPECT_NE(r.problem.find("not authenticated"), std::string::npos);
}

TEST_F(AuditChainTest, FieldBoundariesCannotBeShifted) {
  AuditEntry a = chain_[0], b = chain_[0];
  a.actor = "ab";
  a.role = "c";
  b.actor = "a";
  b.role = "bc";
  SealAuditEntry(a, key_);
  SealAuditEntry(b, key_);
  EXPECT_NE(a.hash, b.hash);
}

}  // namespace
}  // namespace idreg
