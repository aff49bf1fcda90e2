// Start-up from the coarse forms stored beside finger templates (match/records.h, doc/finger-gallery.md):
// the engine built from them searches exactly as one that rebuilds every code from the minutiae, and
// a missing, stale, unreadable or wrong form falls back to rebuilding, counted in the start-up log.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "idreg/finger/synthetic.h"
#include "idreg/match/engine.h"
#include "idreg/match/records.h"
#include "match/match_test_support.h"
#include "registry/store_test_util.h"

namespace idreg::match {
namespace {

using idreg::testing::TempDir;


class StoredCoarseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = MasterKey::Generate();
    store_ = idreg::testing::OpenSqliteStore(Path(), key_);
    ASSERT_TRUE(store_);
  }
  std::string Path() const { return (dir_.path() / "idreg.db").string(); }

  // One person per template, each with its finger record as enrollment writes it.
  void Enroll(const std::vector<finger::FingerTemplate>& templates) {
    static const char* kPositions[] = {"right_index", "left_index", ""};
    for (size_t i = 0; i < templates.size(); ++i) {
      auto r = FingerRecord(templates[i], kPositions[i % 3]);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      Enrollment e;
      e.biometrics.push_back(*r);
      ASSERT_TRUE(store_->Enroll(e, testing::AdminActor()).ok());
    }
  }
  std::unique_ptr<Engine> Build(std::string* log) {
    std::ostringstream out;
    EngineOptions eo;
    Calibration c;
    c.modality = "finger";
    c.transform = "identity";
    c.b = 100;
    eo.calibrations["finger"] = c;
    eo.finger.threads = 2;
    eo.finger.shortlist = 8;  // far below the gallery: the coarse stage decides what is fine-matched
    eo.log = &out;
    auto e = Engine::Build(*store_, testing::AdminActor(), eo);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    *log = out.str();
    return e.ok() ? std::move(*e) : nullptr;
  }
  void Exec(const std::string& sql) { idreg::testing::ExecSql(Path(), sql); }
  // Every stored form parses to exactly the codes built now from its record's template.
  void ExpectStoredFormsAreTheBuiltCodes(size_t expected) {
    size_t checked = 0;
    ASSERT_TRUE(store_->ForEachBiometric("finger", testing::AdminActor(), [&](const ProfileId&, const BiometricRecord& r) {
      auto t = FingerTemplateOf(r);
      EXPECT_TRUE(t.ok());
      StoredCoarse why;
      auto stored = StoredCoarseOf(r, *t, &why);
      EXPECT_EQ(why, StoredCoarse::kUsable);
      if (!stored) return true;
      const finger::CoarseTemplate built = finger::GalleryCoarseTemplate(finger::MakeCoarseTemplate(*t));
      EXPECT_EQ(stored->codes, built.codes);
      EXPECT_EQ(stored->directions, built.directions);
      ++checked;
      return true;
    }).ok());
    EXPECT_EQ(checked, expected);
  }
  // The same search results (profiles, samples, scores, order) from both engines.
  static void ExpectSameSearches(const Engine& a, const Engine& b, const std::vector<finger::FingerTemplate>& probes) {
    for (size_t p = 0; p < probes.size(); ++p) {
      for (const char* position : {"", "right_index"}) {
        const std::vector<FingerProbeSample> probe{{probes[p], position}};
        const auto x = a.finger_gallery().Search(probe, 10, Selector::Everyone())[0];
        const auto y = b.finger_gallery().Search(probe, 10, Selector::Everyone())[0];
        ASSERT_EQ(x.size(), y.size()) << "probe " << p;
        for (size_t i = 0; i < x.size(); ++i) {
          EXPECT_EQ(x[i].profile, y[i].profile) << "probe " << p << " rank " << i;
          EXPECT_EQ(x[i].sample, y[i].sample) << "probe " << p << " rank " << i;
          EXPECT_EQ(x[i].score, y[i].score) << "probe " << p << " rank " << i;
        }
      }
    }
  }
  // Enrolls, builds from the stored forms, then from none, and compares.
  void CheckStartupEqualsRebuild(const std::vector<finger::FingerTemplate>& gallery,
                                 const std::vector<finger::FingerTemplate>& probes) {
    Enroll(gallery);
    ExpectStoredFormsAreTheBuiltCodes(gallery.size());
    const std::string n = std::to_string(gallery.size());
    std::string log;
    auto stored = Build(&log);
    ASSERT_TRUE(stored);
    EXPECT_NE(log.find("read from the store for " + n + ", rebuilt for 0 "), std::string::npos) << log;
    Exec("DELETE FROM biometric_derived");
    auto rebuilt = Build(&log);
    ASSERT_TRUE(rebuilt);
    EXPECT_NE(log.find("read from the store for 0, rebuilt for " + n + " (" + n + " without a stored form"),
              std::string::npos)
        << log;
    ExpectSameSearches(*stored, *rebuilt, probes);
    // The rebuilt forms were written back: the next start-up reads them all.
    EXPECT_NE(log.find(n + " of " + n + " rebuilt coarse forms written back to the store"), std::string::npos) << log;
    EXPECT_EQ(rebuilt->restored_coarse_forms(), gallery.size());
    ExpectStoredFormsAreTheBuiltCodes(gallery.size());
    auto again = Build(&log);
    ASSERT_TRUE(again);
    EXPECT_NE(log.find("read from the store for " + n + ", rebuilt for 0 "), std::string::npos) << log;
    EXPECT_EQ(log.find("written back"), std::string::npos) << log;
    ExpectSameSearches(*stored, *again, probes);
  }

  TempDir dir_;
  std::shared_ptr<const MasterKey> key_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoredCoarseTest, FingerRecordCarriesTheCurrentForm) {
  const finger::SyntheticFingers gen(17);
  auto r = FingerRecord(gen.Impression(0, 0), "right_index");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->derived.size(), 1u);
  EXPECT_EQ(r->derived[0].kind, kFingerCoarseKind);
  EXPECT_EQ(r->derived[0].version, finger::kCoarseFormVersion);
  auto t = FingerTemplateOf(*r);
  ASSERT_TRUE(t.ok());
  StoredCoarse why;
  auto c = StoredCoarseOf(*r, *t, &why);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(why, StoredCoarse::kUsable);
  // Built from the template as read back from the ISO record (what start-up would build).
  // The cylinders a gallery keeps (version 2: at most 16).
  EXPECT_EQ(c->codes, finger::GalleryCoarseTemplate(finger::MakeCoarseTemplate(*t)).codes);
  EXPECT_LE(c->size(), 16u);
  // A form of another template (other minutia count) is not taken.
  finger::FingerTemplate other = *t;
  other.minutiae.pop_back();
  EXPECT_FALSE(StoredCoarseOf(*r, other, &why).has_value());
  EXPECT_EQ(why, StoredCoarse::kUnreadable);
}

TEST_F(StoredCoarseTest, SyntheticStartupFromStoredFormsEqualsRebuild) {
  const finger::SyntheticFingers gen(2026);
  std::vector<finger::FingerTemplate> gallery, probes;
  for (int f = 0; f < 120; ++f) gallery.push_back(gen.Impression(f, 0));
  for (int f = 0; f < 120; f += 12) probes.push_back(gen.Impression(f, 1));
  CheckStartupEqualsRebuild(gallery, probes);
}

TEST_F(StoredCoarseTest, FvcStartupFromStoredFormsEqualsRebuild) {
  std::vector<finger::FingerTemplate> gallery, probes;
  for (const char* db : {"DB1_B", "DB2_B", "DB3_B", "DB4_B"}) {
    for (int f = 101; f <= 110; ++f) {
      for (int i = 1; i <= 2; ++i) {
        auto t = testing::FvcTemplate(db, f, i);
        if (!t) GTEST_SKIP() << "missing " << testing::FvcPath(db, f, i);
        (i == 1 ? gallery : probes).push_back(*t);
      }
    }
  }
  CheckStartupEqualsRebuild(gallery, probes);
}

TEST_F(StoredCoarseTest, StaleAndUnreadableFormsAreRebuilt) {
  const finger::SyntheticFingers gen(7);
  std::vector<finger::FingerTemplate> gallery, probes;
  for (int f = 0; f < 60; ++f) gallery.push_back(gen.Impression(f, 0));
  for (int f = 0; f < 60; f += 10) probes.push_back(gen.Impression(f, 1));
  Enroll(gallery);
  // One more whose form opens but does not parse.
  auto odd = FingerRecord(gen.Impression(60, 0), "");
  ASSERT_TRUE(odd.ok());
  odd->derived[0].payload = {1, 2, 3};
  Enrollment e;
  e.biometrics.push_back(*odd);
  ASSERT_TRUE(store_->Enroll(e, testing::AdminActor()).ok());
  std::string log;
  auto reference = Build(&log);
  ASSERT_TRUE(reference);
  EXPECT_NE(log.find("read from the store for 60, rebuilt for 1 (0 without a stored form, 0 of another version, 1 unreadable)"),
            std::string::npos)
      << log;
  // A code change that bumped the version: every form is stale.
  Exec("UPDATE biometric_derived SET version = version + 1");
  auto stale = Build(&log);
  ASSERT_TRUE(stale);
  EXPECT_NE(log.find("read from the store for 0, rebuilt for 61 (0 without a stored form, 61 of another version, 0 unreadable)"),
            std::string::npos)
      << log;
  ExpectSameSearches(*reference, *stale, probes);
  // Rebuilt, then written back in the current version: the next start-up reads every one.
  EXPECT_NE(log.find("61 of 61 rebuilt coarse forms written back"), std::string::npos) << log;
  ExpectStoredFormsAreTheBuiltCodes(61);
  auto restored = Build(&log);
  ASSERT_TRUE(restored);
  EXPECT_NE(log.find("read from the store for 61, rebuilt for 0 "), std::string::npos) << log;
  ExpectSameSearches(*reference, *restored, probes);
  // A version-1 form as the previous code wrote it (every cylinder, version byte 1) is stale, not
  // misread: its row says version 1 too.
  Exec("UPDATE biometric_derived SET version = 1");
  auto old_forms = Build(&log);
  ASSERT_TRUE(old_forms);
  EXPECT_NE(log.find("read from the store for 0, rebuilt for 61 (0 without a stored form, 61 of another version"),
            std::string::npos)
      << log;
  ExpectSameSearches(*reference, *old_forms, probes);
  // Sealed bytes altered: the form does not open and is rebuilt; the template still opens.
  Exec("UPDATE biometric_derived SET sealed = substr(sealed, 1, 40) || x'00' || substr(sealed, 42) WHERE rowid % 2 = 0");
  auto altered = Build(&log);
  ASSERT_TRUE(altered);
  EXPECT_EQ(log.find("read from the store for 61"), std::string::npos) << log;
  EXPECT_NE(log.find("0 without a stored form, 0 of another version"), std::string::npos) << log;
  EXPECT_EQ(log.find(" 1 unreadable)"), std::string::npos) << log;  // more than the one odd form
  ExpectSameSearches(*reference, *altered, probes);
  auto repaired = Build(&log);
  ASSERT_TRUE(repaired);
  EXPECT_NE(log.find("read from the store for 61, rebuilt for 0 "), std::string::npos) << log;
}

TEST_F(StoredCoarseTest, ReplaceDerivedWritesSealedFormsAndSkipsRecordsNotOfThePerson) {
  const finger::SyntheticFingers gen(12);
  auto r = FingerRecord(gen.Impression(0, 0), "right_index");
  ASSERT_TRUE(r.ok());
  const DerivedForm form = r->derived[0];
  r->derived.clear();
  Enrollment e;
  e.biometrics.push_back(*r);
  auto person = store_->Enroll(e, testing::AdminActor());
  ASSERT_TRUE(person.ok());
  std::string log;
  ASSERT_TRUE(Build(&log));
  EXPECT_NE(log.find("1 without a stored form"), std::string::npos) << log;
  EXPECT_NE(log.find("1 of 1 rebuilt coarse forms written back"), std::string::npos) << log;
  ExpectStoredFormsAreTheBuiltCodes(1);
  // Replacing again keeps one form per (record, kind); a record of another person, or none, is skipped.
  auto n = store_->ReplaceDerived({{*person, r->id, form}, {ProfileId::Random(), r->id, form}, {*person, Id::Random(), form}},
                                  testing::AdminActor());
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1u);
  ExpectStoredFormsAreTheBuiltCodes(1);
  auto audit = store_->VerifyAudit();
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok) << audit->problem;
  auto entries = store_->ReadAudit({});
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(std::count_if(entries->begin(), entries->end(), [](const AuditEntry& a) { return a.action == "biometric.derive"; }), 2);
}

TEST_F(StoredCoarseTest, FormsOfTheCurrentVersionThatDifferFromTheCodesAreAllDistrusted) {
  // As if the coarse codes had changed without a version bump: every stored form has a cell bit
  // cleared (still a well-formed form, so only comparing with the codes built now can tell).
  const finger::SyntheticFingers gen(8);
  std::vector<finger::FingerTemplate> probes;
  for (int f = 0; f < 40; ++f) {
    auto r = FingerRecord(gen.Impression(f, 0), "");
    ASSERT_TRUE(r.ok());
    auto t = FingerTemplateOf(*r);
    finger::CoarseTemplate c = finger::MakeCoarseTemplate(*t);
    for (size_t w = 0; w < c.codes.size(); w += finger::CoarseTemplate::kCodeWords) c.codes[w] &= c.codes[w] - 1;
    r->derived[0].payload = finger::SerializeCoarse(c, t->minutiae.size());
    Enrollment e;
    e.biometrics.push_back(*r);
    ASSERT_TRUE(store_->Enroll(e, testing::AdminActor()).ok());
    if (f % 8 == 0) probes.push_back(gen.Impression(f, 1));
  }
  std::string log;
  auto distrusted = Build(&log);
  ASSERT_TRUE(distrusted);
  EXPECT_NE(log.find("read from the store for 0, rebuilt for 40 (0 without a stored form, 40 of another version"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("bump kCoarseFormVersion"), std::string::npos) << log;
  Exec("DELETE FROM biometric_derived");
  auto reference = Build(&log);
  ASSERT_TRUE(reference);
  ExpectSameSearches(*distrusted, *reference, probes);
}

}  // namespace
}  // namespace idreg::match
