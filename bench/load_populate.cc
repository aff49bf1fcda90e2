// load_populate: fills a store with N synthetic persons for the service load test (bench/load/run)
// and for start-up measurements: per person five attributes from a passport (provenance: MRZ),
// the passport, a border-entry encounter and one right-index fingerprint template (ISO/IEC
// 19794-2, impression 0 of synthetic finger i, so impression 1 is a mated probe). Writes the new
// profile ids, one per line, for the load generator to pick from. Each finger record carries its
// coarse search form (match/records.h, built on a second thread while the first one writes), as
// enrollment stores it, unless --coarse-forms 0 (a store as written before those forms existed).
//
// --distinct-fingers K gives person i the finger of person i % K (the same template bytes, its own
// record): a store of a million persons for start-up measurements (whose cost per finger does not
// depend on which finger it is) without building a million templates and coarse forms first.
//
//   load_populate --store sqlite:PATH --count N [--seed S] [--ids FILE] [--coarse-forms 0|1]
//                 [--distinct-fingers K]
// The master key is PATH.key (created when missing), as the idreg command expects.
#include <chrono>
#include <cstdio>
#include <future>
#include <vector>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "idreg/finger/iso19794_2.h"
#include "idreg/finger/synthetic.h"
#include "idreg/match/records.h"
#include "idreg/registry/store.h"

namespace idreg {
namespace {

struct Args {
  std::string store;
  size_t count = 0;
  uint64_t seed = 1;
  std::string ids;
  bool coarse_forms = true;
  size_t distinct = 0;  // 0: every person's own finger
};

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--store") a.store = v;
    else if (k == "--count") a.count = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--seed") a.seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--ids") a.ids = v;
    else if (k == "--coarse-forms") a.coarse_forms = v != "0";
    else if (k == "--distinct-fingers") a.distinct = std::strtoull(v.c_str(), nullptr, 10);
    else return false;
  }
  return a.store.rfind("sqlite:", 0) == 0 && a.count > 0;
}

// A deterministic surname/given-name pair and birth date for person i.
Enrollment Person(size_t i, const Bytes& finger, bool coarse_form) {
  static const char* kSurnames[] = {"ERIKSSON", "OKAFOR", "NAKAMURA", "GARCIA", "SILVA", "MÜLLER", "DUBOIS", "KOWALSKI"};
  static const char* kGiven[] = {"ANNA", "JOHN", "MARIA", "WEI", "FATIMA", "PIOTR", "LUCIA", "OMAR"};
  std::string number = "X" + std::to_string(10000000 + i);
  Provenance doc{Provenance::Kind::kDocument, "P", "UTO", number, "MRZ", ""};
  Enrollment e;
  char birth[16];
  std::snprintf(birth, sizeof birth, "19%02zu-%02zu-%02zu", 40 + i % 60, 1 + i % 12, 1 + i % 28);
  e.attributes = {{"surname", std::string(kSurnames[i % 8]) + std::to_string(i / 8), doc},
                  {"given_names", kGiven[(i / 8) % 8], doc},
                  {"birth_date", birth, doc},
                  {"sex", i % 2 ? "F" : "M", doc},
                  {"nationality", "UTO", doc}};
  e.documents.push_back({Id(), "P", "TD3", "UTO", number, "2034-01-01", "", true, ""});
  e.encounter.kind = EncounterKind::kBorderEntry;
  e.encounter.place = "load test";
  BiometricRecord r;
  r.modality = "finger";
  r.position = "right_index";
  r.format = "iso19794-2";
  r.quality = 60;
  r.payload = finger;
  if (coarse_form) {
    if (Status s = match::AttachFingerCoarseForm(r); !s.ok()) {
      std::cerr << "load_populate: person " << i << ": " << s.ToString() << "\n";
      std::exit(1);
    }
  }
  e.biometrics.push_back(std::move(r));
  return e;
}

int Run(const Args& a) {
  std::string path = a.store.substr(7);
  std::string key_path = path + ".key";
  std::shared_ptr<const MasterKey> key;
  if (Result<std::shared_ptr<const MasterKey>> k = MasterKey::Load(key_path); k.ok()) {
    key = *k;
  } else {
    key = MasterKey::Generate();
    if (Status s = MasterKey::Create(key_path, *key); !s.ok()) {
      std::cerr << "load_populate: " << s.ToString() << "\n";
      return 1;
    }
  }
  StoreOptions o;
  o.master_key = key;
  o.create_if_missing = true;
  Result<std::unique_ptr<Store>> store = Store::Open(a.store, o);
  if (!store.ok()) {
    std::cerr << "load_populate: " << store.status().ToString() << "\n";
    return 1;
  }
  std::ofstream ids;
  if (!a.ids.empty()) ids.open(a.ids);
  finger::SyntheticFingers fingers(a.seed);
  Actor actor{"load_populate", "admin", "load test"};
  auto start = std::chrono::steady_clock::now();
  // The persons of [from, to): templates, ISO records and coarse forms (the costly part).
  constexpr size_t kBatch = 500;
  // Whole batches of distinct persons, so that a batch past them finds every one cached.
  const size_t distinct = (a.distinct + kBatch - 1) / kBatch * kBatch;
  std::vector<Enrollment> cache;  // with --distinct-fingers: person k's enrollment, k < K
  auto make = [&](size_t from, size_t to) {
    std::vector<Enrollment> batch;
    for (size_t i = from; i < to; ++i) {
      if (distinct > 0 && i >= distinct) {
        Enrollment e = Person(i, {}, false);
        e.biometrics = cache[i % distinct].biometrics;
        batch.push_back(std::move(e));
        continue;
      }
      Result<finger::IsoFingerRecord> iso = finger::TemplateToIso(fingers.Impression(i, 0));
      Result<Bytes> bytes = iso.ok() ? finger::WriteIso19794_2(*iso) : Result<Bytes>(iso.status());
      if (!bytes.ok()) {
        std::cerr << "load_populate: person " << i << ": " << bytes.status().ToString() << "\n";
        std::exit(1);
      }
      batch.push_back(Person(i, *bytes, a.coarse_forms));
    }
    return batch;
  };
  std::future<std::vector<Enrollment>> next = std::async(std::launch::async, make, 0, std::min(kBatch, a.count));
  for (size_t from = 0; from < a.count; from += kBatch) {
    std::vector<Enrollment> batch = next.get();
    if (distinct > 0 && from < distinct) cache.insert(cache.end(), batch.begin(), batch.end());
    const size_t to = std::min(from + kBatch, a.count);
    if (to < a.count) next = std::async(std::launch::async, make, to, std::min(to + kBatch, a.count));
    for (size_t i = from; i < to; ++i) {
      Result<ProfileId> id = (*store)->Enroll(batch[i - from], actor);
      if (!id.ok()) {
        std::cerr << "load_populate: person " << i << ": " << id.status().ToString() << "\n";
        return 1;
      }
      if (ids.is_open()) ids << id->ToString() << "\n";
      if ((i + 1) % 10000 == 0) {
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cerr << "load_populate: " << (i + 1) << " persons, " << static_cast<int>((i + 1) / s) << "/s\n";
      }
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "load_populate: " << a.count << " persons in " << s << " s\n";
  return 0;
}

}  // namespace
}  // namespace idreg

int main(int argc, char** argv) {
  idreg::Args a;
  if (!idreg::ParseArgs(argc, argv, a)) {
    std::cerr << "usage: load_populate --store sqlite:PATH --count N [--seed S] [--ids FILE] [--coarse-forms 0|1] [--distinct-fingers K]\n";
    return 2;
  }
  return idreg::Run(a);
}
