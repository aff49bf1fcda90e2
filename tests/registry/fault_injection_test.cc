// Storage faults in the middle of a write (a disk that fails or fills up at any write or sync):
// the store must report the failure, and after reopening hold exactly the enrollments it
// reported as committed, whole, with an intact audit chain.
#include <gtest/gtest.h>

#include <map>

#include "idreg/registry/store.h"
#include "registry/faulty_vfs_support.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

using testing::SampleEnrollment;
using testing::TempDir;
using testing::TestActor;

Bytes PayloadFor(int n) { return Bytes(1500 + n * 37, static_cast<uint8_t>(n)); }

std::unique_ptr<Store> OpenStore(const std::string& url, std::shared_ptr<const MasterKey> key) {
  StoreOptions o;
  o.master_key = std::move(key);
  o.create_if_missing = true;
  auto s = Store::Open(url, o);
  return s.ok() ? std::move(*s) : nullptr;
}

void ExpectExactly(Store& store, const std::map<ProfileId, int>& committed) {
  auto list = store.ListProfiles(TestActor());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), committed.size());
  for (const auto& [id, n] : committed) {
    auto p = store.GetProfile(id, TestActor());
    ASSERT_TRUE(p.ok()) << "committed enrollment " << n << " lost: " << p.status().ToString();
    EXPECT_EQ(p->Attr("surname"), "S" + std::to_string(n));
    ASSERT_EQ(p->biometrics.size(), 2u);
    for (const auto& b : p->biometrics) {
      Bytes want = PayloadFor(n);
      if (b.modality == "finger") want.assign(want.rbegin(), want.rend());
      EXPECT_EQ(b.payload, want);
    }
  }
  auto v = store.VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST(FaultInjectionTest, FailedWritesAndSyncsNeverLoseOrHalfWriteEnrollments) {
  testing::InstallFaultyVfs();
  int injected = 0;
  // Fail at every write/sync position of one enrollment in turn (an enrollment takes ~10-20).
  for (int fail_at = 0; fail_at < 40; ++fail_at) {
    SCOPED_TRACE("failing operation " + std::to_string(fail_at));
    TempDir dir;
    std::string url = "sqlite:" + (dir.path() / "idreg.db").string();
    auto key = MasterKey::Generate();
    std::map<ProfileId, int> committed;
    {
      auto store = OpenStore(url, key);
      ASSERT_TRUE(store);
      for (int n = 0; n < 3; ++n) {
        auto id = store->Enroll(SampleEnrollment("S" + std::to_string(n), PayloadFor(n)), TestActor());
        ASSERT_TRUE(id.ok());
        committed[*id] = n;
      }
      testing::ArmFaults(fail_at);
      for (int n = 3; n < 6; ++n) {
        auto id = store->Enroll(SampleEnrollment("S" + std::to_string(n), PayloadFor(n)), TestActor());
        if (id.ok()) {
          committed[*id] = n;
        } else {
          EXPECT_EQ(id.status().code(), StatusCode::kUnavailable) << id.status().ToString();
        }
      }
      injected += testing::FaultInjected();
      testing::DisarmFaults();
    }
    auto store = OpenStore(url, key);
    ASSERT_TRUE(store);
    ExpectExactly(*store, committed);
  }
  EXPECT_GT(injected, 30) << "the faulty VFS did not reach the store's writes";
}

}  // namespace
}  // namespace idreg
