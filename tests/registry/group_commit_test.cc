// Group commit of audit entries (sqlite_store_group_commit.cc): concurrent audited reads and
// free-standing entries all land in the chain, once each, and the chain verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "registry/store_test_util.h"

namespace idreg {
namespace {

TEST(GroupCommitTest, ConcurrentAuditedReadsAreEachRecordedOnce) {
  testing::TempDir dir;
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = Store::Open("sqlite:" + (dir.path() / "idreg.db").string(), o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto id = (*store)->Enroll(testing::SampleEnrollment("ERIKSSON", ToBytes("payload")), testing::TestActor());
  ASSERT_TRUE(id.ok());
  constexpr int kThreads = 8, kReads = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReads; ++i) {
        Actor reader{"reader-" + std::to_string(t), "officer", "testing"};
        auto p = (*store)->GetProfile(*id, reader);
        if (!p.ok() || p->Attr("surname") != "ERIKSSON") ++failures;
        if (!(*store)->RecordAudit(reader, "identify", "", "n=" + std::to_string(i)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto entries = (*store)->ReadAudit({});
  ASSERT_TRUE(entries.ok());
  std::map<std::string, int> per_reader;
  int identifies = 0;
  for (const AuditEntry& e : *entries) {
    if (e.action == "profile.read") ++per_reader[e.actor];
    identifies += e.action == "identify";
  }
  EXPECT_EQ(identifies, kThreads * kReads);
  ASSERT_EQ(per_reader.size(), static_cast<size_t>(kThreads));
  for (const auto& [reader, n] : per_reader) EXPECT_EQ(n, kReads) << reader;
  auto v = (*store)->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, static_cast<int64_t>(entries->size()));
}

}  // namespace
}  // namespace idreg
