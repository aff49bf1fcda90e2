// Registry write and read costs, compared in the same run with what a user would otherwise
// write: plain SQLite inserts of the same rows with the same durability, no sealing, no audit.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>

#include "idreg/registry/sealer.h"
#include "idreg/registry/store.h"

namespace idreg {
namespace {

namespace fs = std::filesystem;

fs::path FreshDir(const char* name) {
  fs::path p = fs::temp_directory_path() / (std::string("idreg-bench-") + name + "-" + Id::Random().ToString());
  fs::create_directories(p);
  return p;
}

Bytes Payload(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed * 131 + i * 7);
  return b;
}

Enrollment MakeEnrollment(size_t payload_bytes, uint8_t seed) {
  Enrollment e;
  Provenance doc{Provenance::Kind::kDocument, "P", "UTO", "L898902C3", "MRZ", ""};
  for (const char* name : {"surname", "given_names", "birth_date", "sex", "nationality"}) {
    e.attributes.push_back({name, "VALUE-" + std::to_string(seed), doc});
  }
  e.documents.push_back({Id(), "P", "TD3", "UTO", "L898902C3", "2032-01-01", "P<UTO...", true, ""});
  e.encounter.kind = EncounterKind::kBorderEntry;
  e.encounter.place = "bench";
  for (const char* modality : {"face", "finger"}) {
    BiometricRecord r;
    r.modality = modality;
    r.format = "raw";
    r.quality = 50;
    r.payload = Payload(payload_bytes, seed);
    e.biometrics.push_back(r);
  }
  return e;
}

// idreg: one transaction per enrollment = person + key + document + 5 attributes + encounter +
// 2 sealed biometrics + audit entry and head, synced (WAL, synchronous=FULL).
void BM_IdregEnroll(benchmark::State& state) {
  fs::path dir = FreshDir("enroll");
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = Store::Open("sqlite:" + (dir / "idreg.db").string(), o);
  Actor actor{"bench", "admin", "benchmark"};
  uint8_t seed = 0;
  for (auto _ : state) {
    auto id = (*store)->Enroll(MakeEnrollment(static_cast<size_t>(state.range(0)), seed++), actor);
    if (!id.ok()) state.SkipWithError(id.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  store->reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_IdregEnroll)->Arg(2048)->Arg(65536)->Unit(benchmark::kMillisecond)->UseRealTime();

// The reference: the same rows in plain SQLite (same pragmas, one transaction each), payloads in
// the clear, no audit.
void BM_PlainSqliteInsert(benchmark::State& state) {
  fs::path dir = FreshDir("plain");
  sqlite3* db = nullptr;
  sqlite3_open((dir / "plain.db").c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE person (id TEXT PRIMARY KEY, created_at TEXT);"
               "CREATE TABLE document (id TEXT PRIMARY KEY, person_id TEXT, number TEXT);"
               "CREATE TABLE attribute (id TEXT PRIMARY KEY, person_id TEXT, name TEXT, value TEXT);"
               "CREATE TABLE encounter (id TEXT PRIMARY KEY, person_id TEXT, place TEXT);"
               "CREATE TABLE biometric (id TEXT PRIMARY KEY, person_id TEXT, modality TEXT, payload BLOB);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt *person, *doc, *attr, *enc, *bio;
  sqlite3_prepare_v2(db, "INSERT INTO person VALUES (?, 'now')", -1, &person, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO document VALUES (?, ?, 'L898902C3')", -1, &doc, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO attribute VALUES (?, ?, 'name', 'VALUE')", -1, &attr, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO encounter VALUES (?, ?, 'bench')", -1, &enc, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO biometric VALUES (?, ?, 'face', ?)", -1, &bio, nullptr);
  Bytes payload = Payload(static_cast<size_t>(state.range(0)), 1);
  auto run = [](sqlite3_stmt* st, const std::string& id, const std::string& pid, const Bytes* blob = nullptr) {
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    if (!pid.empty()) sqlite3_bind_text(st, 2, pid.c_str(), -1, SQLITE_TRANSIENT);
    if (blob) sqlite3_bind_blob(st, 3, blob->data(), static_cast<int>(blob->size()), SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
  };
  for (auto _ : state) {
    std::string pid = Id::Random().ToString();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    run(person, pid, "");
    run(doc, Id::Random().ToString(), pid);
    for (int i = 0; i < 5; ++i) run(attr, Id::Random().ToString(), pid);
    run(enc, Id::Random().ToString(), pid);
    for (int i = 0; i < 2; ++i) run(bio, Id::Random().ToString(), pid, &payload);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  state.SetItemsProcessed(state.iterations());
  for (auto* st : {person, doc, attr, enc, bio}) sqlite3_finalize(st);
  sqlite3_close(db);
  fs::remove_all(dir);
}
BENCHMARK(BM_PlainSqliteInsert)->Arg(2048)->Arg(65536)->Unit(benchmark::kMillisecond)->UseRealTime();

// Sealing alone: XChaCha20-Poly1305 of one payload under a data key.
void BM_SealPayload(benchmark::State& state) {
  DataKey key = DataKey::Random();
  ProfileId person = Id::Random();
  Id record = Id::Random();
  Bytes payload = Payload(static_cast<size_t>(state.range(0)), 3);
  for (auto _ : state) benchmark::DoNotOptimize(Sealer::Seal(key, person, record, payload));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SealPayload)->Arg(2048)->Arg(65536);

// Audited whole-profile read (a write transaction: the read and its audit entry commit together).
void BM_IdregGetProfile(benchmark::State& state) {
  fs::path dir = FreshDir("read");
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = Store::Open("sqlite:" + (dir / "idreg.db").string(), o);
  Actor actor{"bench", "admin", "benchmark"};
  std::vector<ProfileId> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(*(*store)->Enroll(MakeEnrollment(2048, uint8_t(i)), actor));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize((*store)->GetProfile(ids[i++ % ids.size()], actor));
  state.SetItemsProcessed(state.iterations());
  store->reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_IdregGetProfile)->Unit(benchmark::kMillisecond)->UseRealTime();

// Verifying the audit chain, per entry.
void BM_AuditVerify(benchmark::State& state) {
  fs::path dir = FreshDir("verify");
  StoreOptions o;
  o.master_key = MasterKey::Generate();
  o.create_if_missing = true;
  auto store = Store::Open("sqlite:" + (dir / "idreg.db").string(), o);
  Actor actor{"bench", "admin", "benchmark"};
  for (int i = 0; i < 500; ++i) (void)(*store)->Enroll(MakeEnrollment(256, uint8_t(i)), actor);
  for (auto _ : state) benchmark::DoNotOptimize((*store)->VerifyAudit());
  state.SetItemsProcessed(state.iterations() * 500);
  store->reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_AuditVerify)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace idreg

BENCHMARK_MAIN();
