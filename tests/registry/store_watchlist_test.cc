// Watchlists, run against every backend URL like the rest of the store suite.
#include <gtest/gtest.h>

#include "idreg/registry/store.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

using testing::SampleEnrollment;
using testing::TempDir;
using testing::TestActor;

class WatchlistStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.master_key = MasterKey::Generate();
    o.create_if_missing = true;
    const std::string url = GetParam() == "sqlite" ? "sqlite:" + (dir_.path() / "idreg.db").string() : GetParam();
    auto s = Store::Open(url, o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  ProfileId Enroll(const std::string& surname) {
    auto id = store_->Enroll(SampleEnrollment(surname, Bytes{1, 2, 3}), TestActor());
    EXPECT_TRUE(id.ok());
    return *id;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(WatchlistStoreTest, AddListRemoveAndAudit) {
  const ProfileId a = Enroll("A"), b = Enroll("B");
  ASSERT_TRUE(store_->AddToWatchlist("red-notice", a, "warrant 12", TestActor()).ok());
  ASSERT_TRUE(store_->AddToWatchlist("red-notice", b, "warrant 13", TestActor()).ok());
  ASSERT_TRUE(store_->AddToWatchlist("vip", a, "", TestActor()).ok());
  auto red = store_->ListWatchlist("red-notice", TestActor());
  ASSERT_TRUE(red.ok()) << red.status().ToString();
  ASSERT_EQ(red->size(), 2u);
  EXPECT_EQ((*red)[0].reason.substr(0, 7), "warrant");
  auto all = store_->ListWatchlist("", TestActor());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  EXPECT_EQ(store_->AddToWatchlist("red-notice", a, "", TestActor()).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->AddToWatchlist("red-notice", ProfileId::Random(), "", TestActor()).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->RemoveFromWatchlist("red-notice", b, TestActor()).ok());
  EXPECT_EQ(store_->RemoveFromWatchlist("red-notice", b, TestActor()).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ListWatchlist("red-notice", TestActor())->size(), 1u);
  auto audit = store_->ReadAudit({});
  ASSERT_TRUE(audit.ok());
  int adds = 0, removes = 0;
  for (const auto& e : *audit) {
    adds += e.action == "watchlist.add";
    removes += e.action == "watchlist.remove";
    EXPECT_EQ(e.detail.find("warrant"), std::string::npos) << "the reason stays out of the audit log";
  }
  EXPECT_EQ(adds, 3);
  EXPECT_EQ(removes, 1);
  EXPECT_TRUE(store_->VerifyAudit().ok());
}

TEST_P(WatchlistStoreTest, ErasureTakesThePersonOffEveryList) {
  const ProfileId a = Enroll("A");
  ASSERT_TRUE(store_->AddToWatchlist("red-notice", a, "x", TestActor()).ok());
  ASSERT_TRUE(store_->EraseProfile(a, "request", TestActor()).ok());
  EXPECT_TRUE(store_->ListWatchlist("", TestActor())->empty());
}

TEST_P(WatchlistStoreTest, BadNamesAndMissingActorsAreRefused) {
  const ProfileId a = Enroll("A");
  EXPECT_EQ(store_->AddToWatchlist("", a, "", TestActor()).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddToWatchlist("red notice", a, "", TestActor()).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddToWatchlist(std::string(65, 'x'), a, "", TestActor()).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(store_->AddToWatchlist("red", a, "", Actor{"", "admin", "p"}).ok());
  EXPECT_FALSE(store_->ListWatchlist("red", Actor{"x", "admin", ""}).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, WatchlistStoreTest, ::testing::Values("sqlite", "sqlite::memory:"),
                         [](const auto& info) { return info.param == "sqlite" ? std::string("SqliteFile") : std::string("SqliteMemory"); });

}  // namespace
}  // namespace idreg
