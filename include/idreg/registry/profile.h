// The digital profile: what the registry keeps about one person. Plain values; the store
// decides how they are persisted and sealed.
#ifndef IDREG_REGISTRY_PROFILE_H_
#define IDREG_REGISTRY_PROFILE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/id.h"
#include "idreg/core/result.h"

namespace idreg {

// Where an attribute's value came from: a document (its type, issuing state and number) or the
// person's own declaration (a consular form, an interview).
struct Provenance {
  enum class Kind { kDocument, kDeclaration };
  Kind kind = Kind::kDeclaration;
  std::string document_type;    // e.g. "P" (passport), with kDocument
  std::string issuing_state;    // e.g. "UTO", with kDocument
  std::string document_number;  // with kDocument
  std::string source;           // free text: "MRZ", "chip DG1", "consular form C-12"
  std::string recorded_at;      // ISO 8601, set by the store
};

struct Attribute {
  std::string name;  // "surname", "given_names", "birth_date", "sex", "nationality", ...
  std::string value;
  Provenance provenance;
};

struct Document {
  Id id;
  std::string document_type;  // "P", "I", "V", ...
  std::string format;         // "TD3", "TD1", ...
  std::string issuing_state;
  std::string number;
  std::string expiry_date;    // YYYY-MM-DD
  std::string mrz;            // the zone's lines joined by '|'
  bool mrz_valid = false;     // every check digit held when it was read
  std::string recorded_at;
};

enum class EncounterKind { kEnrollment, kBorderEntry, kConsularRegistration };
std::string_view EncounterKindName(EncounterKind k);  // "enrollment", "border_entry", ...
Result<EncounterKind> ParseEncounterKind(std::string_view name);

struct Encounter {
  Id id;
  EncounterKind kind = EncounterKind::kEnrollment;
  std::string place;        // e.g. "LHR T5 e-gate 12", "Consulate General, Toronto"
  std::string officer;
  std::string occurred_at;  // ISO 8601; the store fills it when empty
};

// A form derived from a biometric record's payload and kept beside it so that it need not be
// recomputed (the finger gallery's coarse codes: kind "finger-coarse"). Sealed like the payload,
// written in the same transaction, erased with it. `version` is the deriving code's format
// version: a reader compares it with its own and recomputes a stale form.
struct DerivedForm {
  std::string kind;
  uint32_t version = 0;
  Bytes payload;
};

// One biometric sample or template. The payload is plaintext in memory only: the store seals it
// before it touches disk and unseals it on an audited read.
struct BiometricRecord {
  Id id;
  Id encounter_id;           // the encounter that captured it (may be empty)
  std::string modality;      // "face", "finger", "voice", "dna"
  std::string position;      // finger position, "frontal", sample kind; may be empty
  std::string format;        // "image/png", "iso19794-2", "idreg-face-v1", ...
  double quality = 0;        // 0..100, the modality's own quality scale mapped there
  Bytes payload;
  std::string created_at;
  // Written with the record and read back by Store::ForEachBiometric (not by GetProfile); at
  // most one per kind.
  std::vector<DerivedForm> derived;
};

struct Consent {
  Id id;
  std::string purpose;  // e.g. "border_control", "research"
  bool granted = true;
  std::string recorded_at;
};

struct Profile {
  ProfileId id;
  std::string created_at;
  std::string updated_at;
  std::vector<Attribute> attributes;
  std::vector<Document> documents;
  std::vector<Encounter> encounters;
  std::vector<BiometricRecord> biometrics;
  std::vector<Consent> consents;

  // The current value of an attribute: the most recently recorded one with this name (attributes
  // are kept in recording order, so a later declaration, e.g. a new residence, supersedes).
  std::optional<std::string> Attr(std::string_view name) const;
};

// One line of a profile listing: enough to recognise the person, no biometric data.
struct ProfileSummary {
  ProfileId id;
  std::string surname;
  std::string given_names;
  std::string birth_date;
  std::string nationality;
  std::string created_at;
  int biometric_count = 0;
};

// Everything one enrollment writes, committed atomically.
struct Enrollment {
  std::vector<Attribute> attributes;
  std::vector<Document> documents;
  Encounter encounter;  // the enrollment encounter
  std::vector<BiometricRecord> biometrics;
  std::vector<Consent> consents;
};

}  // namespace idreg

#endif  // IDREG_REGISTRY_PROFILE_H_
