// load_populate: fills a store with N synthetic persons for the service load test (bench/load/run)
// and for start-up measurements: per person five attributes from a passport (provenance: MRZ),
// the passport, a border-entry encounter and one right-index fingerprint template (ISO/IEC
// 19794-2, impression 0 of synthetic finger i, so impression 1 is a mated probe). Writes the new
// profile ids, one per line, for the load generator to pick from.
//
//   load_populate --store sqlite:PATH --count N [--seed S] [--ids FILE]
// The master key is PATH.key (created when missing), as the idreg command expects.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "idreg/finger/iso19794_2.h"
#include "idreg/finger/synthetic.h"
#include "idreg/registry/store.h"

namespace idreg {
namespace {

struct Args {
  std::string store;
  size_t count = 0;
  uint64_t seed = 1;
  std::string ids;
};

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--store") a.store = v;
    else if (k == "--count") a.count = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--seed") a.seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--ids") a.ids = v;
    else return false;
  }
  return a.store.rfind("sqlite:", 0) == 0 && a.count > 0;
}

// A deterministic surname/given-name pair and birth date for person i.
Enrollment Person(size_t i, const Bytes& finger) {
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
  for (size_t i = 0; i < a.count; ++i) {
    Result<finger::IsoFingerRecord> iso = finger::TemplateToIso(fingers.Impression(i, 0));
    Result<Bytes> bytes = iso.ok() ? finger::WriteIso19794_2(*iso) : Result<Bytes>(iso.status());
    if (!bytes.ok()) {
      std::cerr << "load_populate: person " << i << ": " << bytes.status().ToString() << "\n";
      return 1;
    }
    Result<ProfileId> id = (*store)->Enroll(Person(i, *bytes), actor);
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
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "load_populate: " << a.count << " persons in " << s << " s\n";
  return 0;
}

}  // namespace
}  // namespace idreg

int main(int argc, char** argv) {
  idreg::Args a;
  if (!idreg::ParseArgs(argc, argv, a)) {
    std::cerr << "usage: load_populate --store sqlite:PATH --count N [--seed S] [--ids FILE]\n";
    return 2;
  }
  return idreg::Run(a);
}
