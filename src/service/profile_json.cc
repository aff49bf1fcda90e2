#include "idreg/service/profile_json.h"

namespace idreg::service {

using nlohmann::json;

std::string PayloadFingerprint(const Bytes& payload) {
  auto d = Sha256(payload.data(), payload.size());
  return "sha256:" + HexEncode(d.data(), 8);
}

json ProfileToJson(const Profile& p) {
  json j;
  j["id"] = p.id.ToString();
  j["created_at"] = p.created_at;
  j["updated_at"] = p.updated_at;
  j["attributes"] = json::array();
  for (const auto& a : p.attributes) {
    json prov;
    prov["kind"] = a.provenance.kind == Provenance::Kind::kDocument ? "document" : "declaration";
    if (a.provenance.kind == Provenance::Kind::kDocument) {
      prov["document_type"] = a.provenance.document_type;
      prov["issuing_state"] = a.provenance.issuing_state;
      prov["document_number"] = a.provenance.document_number;
    }
    prov["source"] = a.provenance.source;
    prov["recorded_at"] = a.provenance.recorded_at;
    j["attributes"].push_back({{"name", a.name}, {"value", a.value}, {"provenance", prov}});
  }
  j["documents"] = json::array();
  for (const auto& d : p.documents) {
    j["documents"].push_back({{"id", d.id.ToString()}, {"document_type", d.document_type}, {"format", d.format},
                              {"issuing_state", d.issuing_state}, {"number", d.number},
                              {"expiry_date", d.expiry_date}, {"mrz", d.mrz}, {"mrz_valid", d.mrz_valid},
                              {"recorded_at", d.recorded_at}});
  }
  j["encounters"] = json::array();
  for (const auto& e : p.encounters) {
    j["encounters"].push_back({{"id", e.id.ToString()}, {"kind", EncounterKindName(e.kind)}, {"place", e.place},
                               {"officer", e.officer}, {"occurred_at", e.occurred_at}});
  }
  j["biometrics"] = json::array();
  for (const auto& b : p.biometrics) {
    j["biometrics"].push_back({{"id", b.id.ToString()}, {"modality", b.modality}, {"position", b.position},
                               {"format", b.format}, {"quality", b.quality},
                               {"encounter_id", b.encounter_id.empty() ? "" : b.encounter_id.ToString()},
                               {"payload_bytes", b.payload.size()},
                               {"payload_fingerprint", PayloadFingerprint(b.payload)},
                               {"created_at", b.created_at}});
  }
  j["consents"] = json::array();
  for (const auto& c : p.consents) {
    j["consents"].push_back({{"id", c.id.ToString()}, {"purpose", c.purpose}, {"granted", c.granted},
                             {"recorded_at", c.recorded_at}});
  }
  return j;
}

json SummaryToJson(const ProfileSummary& s) {
  return {{"id", s.id.ToString()},        {"surname", s.surname},       {"given_names", s.given_names},
          {"birth_date", s.birth_date},   {"nationality", s.nationality}, {"created_at", s.created_at},
          {"biometrics", s.biometric_count}};
}

json AuditEntryToJson(const AuditEntry& e) {
  return {{"seq", e.seq},         {"at", e.at},         {"actor", e.actor},   {"role", e.role},
          {"purpose", e.purpose}, {"action", e.action}, {"object", e.object}, {"detail", e.detail},
          {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

}  // namespace idreg::service
