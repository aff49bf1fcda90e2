// Shared fixtures for the store test suite: a temporary folder and a store opened in it. The
// suite is parameterised by backend URL so a second backend (PostgreSQL) reuses every test.
#ifndef IDREG_TESTS_REGISTRY_STORE_TEST_UTIL_H_
#define IDREG_TESTS_REGISTRY_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <sqlite3.h>

#include "idreg/core/id.h"
#include "idreg/registry/store.h"

namespace idreg::testing {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("idreg-test-" + Id::Random().ToString());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The SQLite store in `file`, opened (or created) under `key`; a failure to open is a test failure
// and gives null.
inline std::unique_ptr<Store> OpenSqliteStore(const std::filesystem::path& file, std::shared_ptr<const MasterKey> key,
                                              bool create = true) {
  StoreOptions o;
  o.master_key = std::move(key);
  o.create_if_missing = create;
  auto s = Store::Open("sqlite:" + file.string(), o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

// Runs SQL on a SQLite store file behind the store's back: tests that age, damage or inspect rows
// the way an old version, a crash or an intruder would leave them.
inline void ExecSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << sql;
  sqlite3_free(err);
  sqlite3_close(db);
}

inline std::string ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// True when `needle` occurs in any file in `dir` (raw bytes).
inline bool AnyFileContains(const std::filesystem::path& dir, const std::string& needle) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file() && ReadFileBytes(e.path()).find(needle) != std::string::npos) return true;
  }
  return false;
}

inline Actor TestActor(std::string purpose = "testing") { return Actor{"tester", "officer", std::move(purpose)}; }

inline Enrollment SampleEnrollment(const std::string& surname, const Bytes& payload) {
  Enrollment e;
  Provenance doc{Provenance::Kind::kDocument, "P", "UTO", "L898902C3", "MRZ", ""};
  e.attributes = {{"surname", surname, doc}, {"given_names", "ANNA MARIA", doc}, {"birth_date", "1974-08-12", doc},
                  {"nationality", "UTO", doc}};
  Provenance said;
  said.source = "consular form C-12";
  e.attributes.push_back({"address", "1 Main Street, Toronto", said});
  Document d;
  d.document_type = "P";
  d.format = "TD3";
  d.issuing_state = "UTO";
  d.number = "L898902C3";
  d.expiry_date = "2032-04-15";
  d.mrz = "P<UTO...";
  d.mrz_valid = true;
  e.documents.push_back(d);
  e.encounter.kind = EncounterKind::kBorderEntry;
  e.encounter.place = "LHR T5";
  e.encounter.officer = "officer 7";
  BiometricRecord face;
  face.modality = "face";
  face.position = "frontal";
  face.format = "image/png";
  face.quality = 87.5;
  face.payload = payload;
  e.biometrics.push_back(face);
  BiometricRecord finger = face;
  finger.modality = "finger";
  finger.position = "right_index";
  finger.payload = Bytes(payload.rbegin(), payload.rend());
  e.biometrics.push_back(finger);
  e.consents.push_back({Id(), "border_control", true, ""});
  return e;
}

}  // namespace idreg::testing

#endif  // IDREG_TESTS_REGISTRY_STORE_TEST_UTIL_H_
