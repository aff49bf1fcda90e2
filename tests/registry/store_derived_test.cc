// Derived forms of biometric records (profile.h DerivedForm, schema migration 5): written with their
// record in one transaction, sealed like the payload and bound to the record and kind, streamed
// back by ForEachBiometric, removed by erasure.
#include <sqlite3.h>

#include <map>

#include "idreg/registry/store.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

using testing::AnyFileContains;
using testing::SampleEnrollment;
using testing::TempDir;
using testing::TestActor;

const std::string kMarker = "IDREG-DERIVED-MARKER-0123456789-ABCDEFGHIJ";

Bytes Marked(int copies) {
  Bytes b;
  for (int i = 0; i < copies; ++i) b.insert(b.end(), kMarker.begin(), kMarker.end());
  return b;
}

class StoreDerivedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = MasterKey::Generate();
    store_ = Open();
    ASSERT_TRUE(store_);
  }
  std::string Path() const { return (dir_.path() / "idreg.db").string(); }
  std::unique_ptr<Store> Open() { return testing::OpenSqliteStore(Path(), key_); }
  // Every finger record of the store, by record id.
  std::map<Id, BiometricRecord> Fingers() {
    std::map<Id, BiometricRecord> out;
    Status s = store_->ForEachBiometric("finger", TestActor(), [&](const ProfileId&, const BiometricRecord& r) {
      out[r.id] = r;
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  int64_t Rows(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }
  void Exec(const std::string& sql) { testing::ExecSql(Path(), sql); }
  // An enrollment whose finger record carries two derived forms.
  Enrollment WithForms(const std::string& surname, uint8_t seed) {
    Enrollment e = SampleEnrollment(surname, Bytes(300, seed));
    for (BiometricRecord& r : e.biometrics) {
      if (r.modality != "finger") continue;
      r.derived.push_back({"finger-coarse", 7, Marked(20)});
      r.derived.push_back({"other-kind", 1, Bytes{seed, 1, 2, 3}});
    }
    return e;
  }

  TempDir dir_;
  std::shared_ptr<const MasterKey> key_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreDerivedTest, FormsRoundTripWithTheirRecordAndVersion) {
  auto a = store_->Enroll(WithForms("A", 1), TestActor());
  auto b = store_->Enroll(SampleEnrollment("B", Bytes(300, 2)), TestActor());  // no derived form
  ASSERT_TRUE(a.ok() && b.ok());
  auto fingers = Fingers();
  ASSERT_EQ(fingers.size(), 2u);
  int with = 0, without = 0;
  for (const auto& [id, r] : fingers) {
    EXPECT_EQ(r.payload.size(), 300u);  // the payload itself is unchanged
    if (r.derived.empty()) {
      ++without;
      continue;
    }
    ++with;
    std::map<std::string, DerivedForm> by_kind;
    for (const DerivedForm& d : r.derived) by_kind[d.kind] = d;
    ASSERT_EQ(by_kind.size(), 2u);
    EXPECT_EQ(by_kind["finger-coarse"].version, 7u);
    EXPECT_EQ(by_kind["finger-coarse"].payload, Marked(20));
    EXPECT_EQ(by_kind["other-kind"].version, 1u);
    EXPECT_EQ(by_kind["other-kind"].payload, (Bytes{1, 1, 2, 3}));
  }
  EXPECT_EQ(with, 1);
  EXPECT_EQ(without, 1);
  // A face record (no derived form) streams as before.
  size_t faces = 0;
  ASSERT_TRUE(store_->ForEachBiometric("face", TestActor(), [&](const ProfileId&, const BiometricRecord& r) {
    faces += r.derived.empty();
    return true;
  }).ok());
  EXPECT_EQ(faces, 2u);
}

TEST_F(StoreDerivedTest, StoppingEarlyVisitsOneRecord) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->Enroll(WithForms("A", static_cast<uint8_t>(i)), TestActor()).ok());
  int visited = 0;
  ASSERT_TRUE(store_->ForEachBiometric("finger", TestActor(), [&](const ProfileId&, const BiometricRecord& r) {
    ++visited;
    EXPECT_EQ(r.derived.size(), 2u);
    return false;
  }).ok());
  EXPECT_EQ(visited, 1);
}

TEST_F(StoreDerivedTest, LaterRecordsCarryTheirFormsToo) {
  auto id = store_->Enroll(SampleEnrollment("A", Bytes(300, 1)), TestActor());
  ASSERT_TRUE(id.ok());
  BiometricRecord r;
  r.modality = "finger";
  r.format = "iso19794-2";
  r.payload = Bytes(100, 9);
  r.derived.push_back({"finger-coarse", 3, Bytes(50, 4)});
  ASSERT_TRUE(store_->AddBiometric(*id, r, TestActor()).ok());
  r.derived[0].payload = Bytes(60, 5);
  ASSERT_TRUE(store_->AddEncounter(*id, Encounter{}, {r}, TestActor()).ok());
  std::multiset<size_t> sizes;
  for (const auto& [rid, rec] : Fingers()) {
    for (const DerivedForm& d : rec.derived) sizes.insert(d.payload.size());
  }
  EXPECT_EQ(sizes, (std::multiset<size_t>{50, 60}));
}

TEST_F(StoreDerivedTest, AKindIsRequired) {
  Enrollment e = SampleEnrollment("A", Bytes(300, 1));
  e.biometrics[1].derived.push_back({"", 1, Bytes(3, 0)});
  auto id = store_->Enroll(e, TestActor());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  // Nothing of the refused enrollment was written.
  EXPECT_TRUE(Fingers().empty());
}

TEST_F(StoreDerivedTest, FormsAreSealedAndBoundToTheirRecordAndKind) {
  auto a = store_->Enroll(WithForms("A", 1), TestActor());
  auto b = store_->Enroll(WithForms("B", 2), TestActor());
  ASSERT_TRUE(a.ok() && b.ok());
  store_.reset();
  EXPECT_FALSE(AnyFileContains(dir_.path(), kMarker.substr(0, 16)));
  // A form moved to another record of the same person does not open.
  Exec("UPDATE biometric_derived SET biometric_id = (SELECT id FROM biometric b WHERE b.person_id ="
       " biometric_derived.person_id AND b.modality = 'face') WHERE kind = 'finger-coarse'");
  store_ = Open();
  // It comes with an empty payload (the reader rebuilds it) rather than failing the scan.
  size_t empty = 0;
  Status moved = store_->ForEachBiometric("face", TestActor(), [&](const ProfileId&, const BiometricRecord& r) {
    for (const DerivedForm& d : r.derived) empty += d.kind == "finger-coarse" && d.payload.empty();
    return true;
  });
  ASSERT_TRUE(moved.ok()) << moved.ToString();
  EXPECT_EQ(empty, 2u);
  store_.reset();
  // Back in place it opens again; passed off as another kind it does not.
  Exec("UPDATE biometric_derived SET biometric_id = (SELECT id FROM biometric b WHERE b.person_id ="
       " biometric_derived.person_id AND b.modality = 'finger') WHERE kind = 'finger-coarse'");
  store_ = Open();
  for (const auto& [id, r] : Fingers()) {
    ASSERT_EQ(r.derived.size(), 2u);
    for (const DerivedForm& d : r.derived) EXPECT_FALSE(d.payload.empty()) << d.kind;
  }
  store_.reset();
  Exec("DELETE FROM biometric_derived WHERE kind = 'other-kind'");
  Exec("UPDATE biometric_derived SET kind = 'other-kind'");
  store_ = Open();
  for (const auto& [id, r] : Fingers()) {
    ASSERT_EQ(r.derived.size(), 1u);
    EXPECT_TRUE(r.derived[0].payload.empty());
  }
  store_.reset();
  // One altered byte: the same.
  Exec("UPDATE biometric_derived SET sealed = substr(sealed, 1, 40) || x'00' || substr(sealed, 42)");
  store_ = Open();
  for (const auto& [id, r] : Fingers()) EXPECT_TRUE(r.derived[0].payload.empty());
}

TEST_F(StoreDerivedTest, ErasureRemovesTheFormsOfThePerson) {
  auto keep = store_->Enroll(WithForms("KEEP", 1), TestActor());
  auto gone = store_->Enroll(WithForms("GONE", 2), TestActor());
  ASSERT_TRUE(keep.ok() && gone.ok());
  EXPECT_EQ(Rows("SELECT count(*) FROM biometric_derived"), 4);
  ASSERT_TRUE(store_->EraseProfile(*gone, "request 2026-7", TestActor("erasure")).ok());
  EXPECT_EQ(Rows("SELECT count(*) FROM biometric_derived"), 2);
  EXPECT_EQ(Rows("SELECT count(*) FROM biometric_derived WHERE person_id = '" + gone->ToString() + "'"), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM biometric_derived WHERE person_id = '" + keep->ToString() + "'"), 2);
  auto fingers = Fingers();
  ASSERT_EQ(fingers.size(), 1u);
  EXPECT_EQ(fingers.begin()->second.derived.size(), 2u);
}

}  // namespace
}  // namespace idreg
