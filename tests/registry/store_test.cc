// The Store contract, run against every backend URL in kBackends.
#include <sqlite3.h>

#include <algorithm>
#include <set>

#include "idreg/registry/store.h"
#include "registry/store_test_util.h"

namespace idreg {
namespace {

using testing::AnyFileContains;
using testing::SampleEnrollment;
using testing::TempDir;
using testing::TestActor;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    key_ = MasterKey::Generate();
    store_ = OpenWith(key_);
  }
  std::string Url() const {
    return GetParam() == "sqlite" ? "sqlite:" + (dir_.path() / "idreg.db").string() : GetParam();
  }
  std::unique_ptr<Store> OpenWith(std::shared_ptr<const MasterKey> key, bool create = true) {
    StoreOptions o;
    o.master_key = std::move(key);
    o.create_if_missing = create;
    auto s = Store::Open(Url(), o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  Bytes Pattern(uint8_t seed, size_t n = 4096) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 31 + (i >> 7));
    return b;
  }

  TempDir dir_;
  std::shared_ptr<const MasterKey> key_;
  std::unique_ptr<Store> store_;
};

// Tests that look at the SQLite file itself.
class SqliteFileStoreTest : public StoreTest {};

TEST_P(StoreTest, EnrollThenReadBackEverything) {
  Bytes payload = Pattern(7);
  auto id = store_->Enroll(SampleEnrollment("ERIKSSON", payload), TestActor());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto p = store_->GetProfile(*id, TestActor("verification"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, *id);
  ASSERT_EQ(p->attributes.size(), 5u);
  EXPECT_EQ(p->attributes[0].name, "surname");
  EXPECT_EQ(p->Attr("surname"), "ERIKSSON");
  EXPECT_EQ(p->attributes[0].provenance.kind, Provenance::Kind::kDocument);
  EXPECT_EQ(p->attributes[0].provenance.document_number, "L898902C3");
  EXPECT_EQ(p->attributes[4].provenance.kind, Provenance::Kind::kDeclaration);
  EXPECT_EQ(p->attributes[4].provenance.source, "consular form C-12");
  ASSERT_EQ(p->documents.size(), 1u);
  EXPECT_EQ(p->documents[0].number, "L898902C3");
  EXPECT_TRUE(p->documents[0].mrz_valid);
  ASSERT_EQ(p->encounters.size(), 1u);
  EXPECT_EQ(p->encounters[0].kind, EncounterKind::kBorderEntry);
  EXPECT_EQ(p->encounters[0].place, "LHR T5");
  ASSERT_EQ(p->biometrics.size(), 2u);
  for (const auto& b : p->biometrics) {
    EXPECT_EQ(b.encounter_id, p->encounters[0].id);
    EXPECT_DOUBLE_EQ(b.quality, 87.5);
    if (b.modality == "face") {
      EXPECT_EQ(b.payload, payload);
    }
    if (b.modality == "finger") {
      EXPECT_EQ(b.payload, Bytes(payload.rbegin(), payload.rend()));
    }
  }
  ASSERT_EQ(p->consents.size(), 1u);
  EXPECT_EQ(p->consents[0].purpose, "border_control");
}

TEST_P(StoreTest, UnknownProfileIsNotFound) {
  auto p = store_->GetProfile(Id::Random(), TestActor());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->EraseProfile(Id::Random(), "r", TestActor()).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AddEncounter(Id::Random(), {}, {}, TestActor()).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, EveryOperationNeedsActorRoleAndPurpose) {
  auto id = store_->Enroll(SampleEnrollment("A", Pattern(1)), TestActor());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(store_->GetProfile(*id, Actor{"", "officer", "p"}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->GetProfile(*id, Actor{"x", "", "p"}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->GetProfile(*id, Actor{"x", "officer", ""}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->Enroll(SampleEnrollment("B", Pattern(2)), Actor{"x", "officer", ""}).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_P(StoreTest, EncountersAndBiometricsAddedLater) {
  auto id = store_->Enroll(SampleEnrollment("A", Pattern(1)), TestActor());
  ASSERT_TRUE(id.ok());
  Encounter c;
  c.kind = EncounterKind::kConsularRegistration;
  c.place = "Consulate General, Toronto";
  BiometricRecord live;
  live.modality = "face";
  live.format = "image/png";
  live.payload = Pattern(8, 64);
  auto eid = store_->AddEncounter(*id, c, {live}, TestActor("consular registration"));
  ASSERT_TRUE(eid.ok()) << eid.status().ToString();
  BiometricRecord voice;
  voice.modality = "voice";
  voice.format = "audio/wav";
  voice.encounter_id = *eid;
  voice.payload = Pattern(9, 100);
  ASSERT_TRUE(store_->AddBiometric(*id, voice, TestActor("consular registration")).ok());
  voice.quality = 101;
  EXPECT_EQ(store_->AddBiometric(*id, voice, TestActor()).status().code(), StatusCode::kInvalidArgument);
  auto p = store_->GetProfile(*id, TestActor());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->encounters.size(), 2u);
  ASSERT_EQ(p->biometrics.size(), 4u);
  int at_consulate = 0;
  for (const auto& b : p->biometrics) at_consulate += b.encounter_id == *eid;
  EXPECT_EQ(at_consulate, 2);
  EXPECT_GE(p->updated_at, p->created_at);
}

TEST_P(StoreTest, ForEachBiometricStreamsOneModalityUnsealed) {
  std::vector<ProfileId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(*store_->Enroll(SampleEnrollment("P", Pattern(uint8_t(i))), TestActor()));
  int seen = 0;
  ASSERT_TRUE(store_
                  ->ForEachBiometric("face", TestActor("gallery load"),
                                     [&](const ProfileId& pid, const BiometricRecord& r) {
                                       EXPECT_EQ(r.modality, "face");
                                       size_t i = std::find(ids.begin(), ids.end(), pid) - ids.begin();
                                       EXPECT_LT(i, ids.size());
                                       EXPECT_EQ(r.payload, Pattern(uint8_t(i)));
                                       ++seen;
                                       return true;
                                     })
                  .ok());
  EXPECT_EQ(seen, 5);
  int stopped = 0;
  ASSERT_TRUE(store_->ForEachBiometric("finger", TestActor(), [&](auto&, auto&) { return ++stopped < 2; }).ok());
  EXPECT_EQ(stopped, 2);
}

TEST_P(StoreTest, FindByDocumentReturnsEveryHolder) {
  auto a = store_->Enroll(SampleEnrollment("A", Pattern(1)), TestActor());
  auto b = store_->Enroll(SampleEnrollment("B", Pattern(2)), TestActor());
  ASSERT_TRUE(a.ok() && b.ok());
  auto found = store_->FindByDocument("UTO", "L898902C3", TestActor("dedup"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 2u);
  EXPECT_TRUE(store_->FindByDocument("UTO", "NOPE", TestActor())->empty());
  auto audit = store_->ReadAudit({});
  EXPECT_EQ(audit->back().action, "profile.search");
  EXPECT_EQ(audit->back().detail.find("L898902C3"), std::string::npos);
}

TEST_P(StoreTest, ApiKeysAreStoredRevokedAndAudited) {
  ApiKeyRecord k{Id::Random(), "$argon2id$v=19$m=65536,t=2,p=1$fake", "border_officer", "gate 3", "", ""};
  ASSERT_TRUE(store_->CreateApiKey(k, TestActor("administration")).ok());
  auto back = store_->GetApiKey(k.id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->role, "border_officer");
  EXPECT_EQ(back->secret_hash, k.secret_hash);
  EXPECT_TRUE(back->revoked_at.empty());
  EXPECT_EQ(store_->ListApiKeys()->size(), 1u);
  ASSERT_TRUE(store_->RevokeApiKey(k.id, TestActor("administration")).ok());
  EXPECT_FALSE(store_->GetApiKey(k.id)->revoked_at.empty());
  EXPECT_EQ(store_->RevokeApiKey(k.id, TestActor()).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetApiKey(Id::Random()).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->RecordAudit(Actor{"key:X", "auditor", ""}, "access.denied", "", "route=GET /v1/x").ok());
  auto audit = store_->ReadAudit({});
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[0].action, "key.create");
  EXPECT_EQ((*audit)[1].action, "key.revoke");
  EXPECT_EQ((*audit)[2].action, "access.denied");
  EXPECT_TRUE(store_->VerifyAudit()->ok);
}

TEST_P(StoreTest, ListProfilesSummarises) {
  ASSERT_TRUE(store_->Enroll(SampleEnrollment("FIRST", Pattern(1)), TestActor()).ok());
  ASSERT_TRUE(store_->Enroll(SampleEnrollment("SECOND", Pattern(2)), TestActor()).ok());
  auto list = store_->ListProfiles(TestActor());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  std::set<std::string> names = {(*list)[0].surname, (*list)[1].surname};
  EXPECT_TRUE(names.count("FIRST") && names.count("SECOND"));
  EXPECT_EQ((*list)[0].biometric_count, 2);
  EXPECT_EQ((*list)[0].birth_date, "1974-08-12");
}

TEST_P(StoreTest, EraseRemovesEverythingButTheAuditOfTheErasure) {
  auto keep = store_->Enroll(SampleEnrollment("KEEPME", Pattern(3)), TestActor());
  auto gone = store_->Enroll(SampleEnrollment("QXWZERASED", Pattern(4)), TestActor());
  ASSERT_TRUE(keep.ok() && gone.ok());
  ASSERT_TRUE(store_->EraseProfile(*gone, "GDPR art. 17 request 2026-118", TestActor("erasure")).ok());
  EXPECT_EQ(store_->GetProfile(*gone, TestActor()).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetProfile(*keep, TestActor()).ok());
  auto entries = store_->ReadAudit({*gone, 0, 0});
  ASSERT_TRUE(entries.ok());
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().action, "profile.erase");
  for (const auto& e : *entries) EXPECT_EQ(e.detail.find("QXWZERASED"), std::string::npos);
  EXPECT_TRUE(store_->VerifyAudit()->ok);
  if (GetParam() == "sqlite") {
    store_.reset();
    EXPECT_FALSE(AnyFileContains(dir_.path(), "QXWZERASED"));
    EXPECT_TRUE(AnyFileContains(dir_.path(), "KEEPME"));
  }
}

TEST_P(StoreTest, AuditRecordsEveryOperationAndVerifies) {
  auto id = store_->Enroll(SampleEnrollment("A", Pattern(1)), TestActor("enrollment"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->GetProfile(*id, TestActor("border check")).ok());
  ASSERT_TRUE(store_->ListProfiles(TestActor("statistics")).ok());
  auto all = store_->ReadAudit({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].action, "profile.create");
  EXPECT_EQ((*all)[1].action, "profile.read");
  EXPECT_EQ((*all)[1].purpose, "border check");
  EXPECT_EQ((*all)[1].actor, "tester");
  EXPECT_EQ((*all)[1].role, "officer");
  EXPECT_EQ((*all)[1].object, id->ToString());
  EXPECT_EQ((*all)[1].prev_hash, (*all)[0].hash);
  EXPECT_EQ((*all)[0].prev_hash, kAuditGenesisHash);
  auto v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, 3);
  EXPECT_EQ(v->head_hash, (*all)[2].hash);
  auto limited = store_->ReadAudit({std::nullopt, 1, 1});
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].seq, 2);
}

TEST_P(SqliteFileStoreTest, ReopenedStoreKeepsDataAndRefusesAnotherKey) {
  auto id = store_->Enroll(SampleEnrollment("A", Pattern(5)), TestActor());
  ASSERT_TRUE(id.ok());
  store_.reset();
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  auto wrong = Store::Open(Url(), o);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(wrong.status().message().find("master key"), std::string::npos);
  auto again = OpenWith(key_, false);
  ASSERT_TRUE(again);
  auto p = again->GetProfile(*id, TestActor());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->biometrics[0].payload.size(), 4096u);
}

TEST_P(SqliteFileStoreTest, SealedPayloadsNeverReachTheDatabaseFilesInPlaintext) {
  const std::string marker = "IDREG-PLAINTEXT-MARKER-0123456789-ABCDEFGHIJ";
  Bytes payload;
  for (int i = 0; i < 50; ++i) payload.insert(payload.end(), marker.begin(), marker.end());
  auto id = store_->Enroll(SampleEnrollment("A", payload), TestActor());
  ASSERT_TRUE(id.ok());
  // The live WAL and the checkpointed main file, both.
  EXPECT_FALSE(AnyFileContains(dir_.path(), marker.substr(0, 16)));
  store_.reset();
  EXPECT_FALSE(AnyFileContains(dir_.path(), marker.substr(0, 16)));
  std::string reversed(marker.rbegin(), marker.rend());
  EXPECT_FALSE(AnyFileContains(dir_.path(), reversed.substr(0, 16)));
  auto again = OpenWith(key_, false);
  auto p = again->GetProfile(*id, TestActor());
  ASSERT_TRUE(p.ok());
  for (const auto& b : p->biometrics) {
    EXPECT_EQ(b.payload, b.modality == "face" ? payload : Bytes(payload.rbegin(), payload.rend()));
  }
}

TEST_P(SqliteFileStoreTest, AlteredSealedPayloadIsReportedAsCorruption) {
  auto id = store_->Enroll(SampleEnrollment("A", Pattern(6)), TestActor());
  ASSERT_TRUE(id.ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "idreg.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE biometric SET sealed = substr(sealed, 1, 40) || x'00' || substr(sealed, 42)"
                         " WHERE modality = 'face'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto again = OpenWith(key_, false);
  auto p = again->GetProfile(*id, TestActor());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kCorruption);
}

TEST_P(SqliteFileStoreTest, MissingStoreIsNotCreatedUnlessAsked) {
  StoreOptions o;
  o.master_key = key_;
  auto s = Store::Open("sqlite:" + (dir_.path() / "absent.db").string(), o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("idreg init"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "sqlite::memory:"),
                         [](const auto& info) { return info.param == "sqlite" ? "SqliteFile" : "SqliteMemory"; });

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteFileStoreTest, ::testing::Values("sqlite"));

TEST(StoreOpenTest, UrlsAreCheckedWithClearErrors) {
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  EXPECT_EQ(Store::Open("mysql://x", o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Store::Open("sqlite:", o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Store::Open("postgresql://localhost/idreg", o).status().code(), StatusCode::kUnavailable);
  StoreOptions no_key;
  EXPECT_EQ(Store::Open("sqlite::memory:", no_key).status().code(), StatusCode::kInvalidArgument);
}

TEST(StoreOpenTest, RefusesForeignSqliteFilesAndNewerSchemas) {
  TempDir dir;
  auto path = dir.path() / "other.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  auto foreign = Store::Open("sqlite:" + path.string(), o);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("not an idreg store"), std::string::npos);

  auto mine = dir.path() / "mine.db";
  o.create_if_missing = true;
  ASSERT_TRUE(Store::Open("sqlite:" + mine.string(), o).ok());
  ASSERT_EQ(sqlite3_open(mine.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '999' WHERE key = 'schema_version'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto newer = Store::Open("sqlite:" + mine.string(), o);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("newer"), std::string::npos);
}

}  // namespace
}  // namespace idreg
