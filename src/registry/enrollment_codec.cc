#include "registry/enrollment_codec.h"

#include <bit>
#include <cstring>
#include <string_view>

namespace idreg {
namespace {

// 2 adds each biometric record's derived forms; 1 (no derived forms) is still read.
constexpr std::string_view kMagic = "IDRENR2";
constexpr std::string_view kMagicV1 = "IDRENR1";

class Writer {
 public:
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void Blob(const Bytes& b) {
    U32(static_cast<uint32_t>(b.size()));
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void IdField(const Id& id) { Str(id.empty() ? std::string() : id.ToString()); }
  void Bool(bool b) { out_.push_back(b ? 1 : 0); }
  void Raw(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  Bytes Take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(const Bytes& in) : in_(in) {}
  Status Need(size_t n, const char* what) {
    if (in_.size() - pos_ < n) return Status::Corruption(std::string("pending enrollment truncated in ") + what);
    return Status::Ok();
  }
  Result<uint32_t> U32(const char* what) {
    IDREG_RETURN_IF_ERROR(Need(4, what));
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{in_[pos_++]} << (8 * i);
    return v;
  }
  Result<uint64_t> U64(const char* what) {
    IDREG_RETURN_IF_ERROR(Need(8, what));
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{in_[pos_++]} << (8 * i);
    return v;
  }
  Result<std::string> Str(const char* what) {
    IDREG_ASSIGN_OR_RETURN(uint32_t n, U32(what));
    IDREG_RETURN_IF_ERROR(Need(n, what));
    std::string s(in_.begin() + static_cast<std::ptrdiff_t>(pos_), in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return s;
  }
  Result<Bytes> Blob(const char* what) {
    IDREG_ASSIGN_OR_RETURN(uint32_t n, U32(what));
    IDREG_RETURN_IF_ERROR(Need(n, what));
    Bytes b(in_.begin() + static_cast<std::ptrdiff_t>(pos_), in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return b;
  }
  Result<Id> IdField(const char* what) {
    IDREG_ASSIGN_OR_RETURN(std::string s, Str(what));
    if (s.empty()) return Id();
    auto id = Id::Parse(s);
    if (!id.ok()) return Status::Corruption(std::string("pending enrollment has a malformed id in ") + what);
    return *id;
  }
  Result<bool> Bool(const char* what) {
    IDREG_RETURN_IF_ERROR(Need(1, what));
    uint8_t b = in_[pos_++];
    if (b > 1) return Status::Corruption(std::string("pending enrollment has a bad flag in ") + what);
    return b == 1;
  }
  // A count no larger than the bytes left could hold, so a corrupt count cannot allocate much.
  Result<uint32_t> Count(const char* what) {
    IDREG_ASSIGN_OR_RETURN(uint32_t n, U32(what));
    if (n > in_.size() - pos_) return Status::Corruption(std::string("pending enrollment has a bad count of ") + what);
    return n;
  }
  // The format version: 1 or 2.
  Result<int> Magic() {
    IDREG_RETURN_IF_ERROR(Need(kMagic.size(), "header"));
    int version = 0;
    if (std::memcmp(in_.data() + pos_, kMagic.data(), kMagic.size()) == 0) version = 2;
    if (std::memcmp(in_.data() + pos_, kMagicV1.data(), kMagicV1.size()) == 0) version = 1;
    if (version == 0) {
      return Status::Corruption("pending enrollment: unknown format (expected " + std::string(kMagic) + " or " +
                                std::string(kMagicV1) + ")");
    }
    pos_ += kMagic.size();
    return version;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  const Bytes& in_;
  size_t pos_ = 0;
};

}  // namespace

Bytes EncodeEnrollment(const Enrollment& e) {
  Writer w;
  w.Raw(kMagic);
  w.U32(static_cast<uint32_t>(e.attributes.size()));
  for (const Attribute& a : e.attributes) {
    w.Str(a.name);
    w.Str(a.value);
    w.Bool(a.provenance.kind == Provenance::Kind::kDocument);
    w.Str(a.provenance.document_type);
    w.Str(a.provenance.issuing_state);
    w.Str(a.provenance.document_number);
    w.Str(a.provenance.source);
    w.Str(a.provenance.recorded_at);
  }
  w.U32(static_cast<uint32_t>(e.documents.size()));
  for (const Document& d : e.documents) {
    w.IdField(d.id);
    w.Str(d.document_type);
    w.Str(d.format);
    w.Str(d.issuing_state);
    w.Str(d.number);
    w.Str(d.expiry_date);
    w.Str(d.mrz);
    w.Bool(d.mrz_valid);
    w.Str(d.recorded_at);
  }
  w.IdField(e.encounter.id);
  w.Str(EncounterKindName(e.encounter.kind));
  w.Str(e.encounter.place);
  w.Str(e.encounter.officer);
  w.Str(e.encounter.occurred_at);
  w.U32(static_cast<uint32_t>(e.biometrics.size()));
  for (const BiometricRecord& r : e.biometrics) {
    w.IdField(r.id);
    w.IdField(r.encounter_id);
    w.Str(r.modality);
    w.Str(r.position);
    w.Str(r.format);
    w.U64(std::bit_cast<uint64_t>(r.quality));
    w.Blob(r.payload);
    w.Str(r.created_at);
    w.U32(static_cast<uint32_t>(r.derived.size()));
    for (const DerivedForm& d : r.derived) {
      w.Str(d.kind);
      w.U32(d.version);
      w.Blob(d.payload);
    }
  }
  w.U32(static_cast<uint32_t>(e.consents.size()));
  for (const Consent& c : e.consents) {
    w.IdField(c.id);
    w.Str(c.purpose);
    w.Bool(c.granted);
    w.Str(c.recorded_at);
  }
  return w.Take();
}

Result<Enrollment> DecodeEnrollment(const Bytes& data) {
  Reader r(data);
  Enrollment e;
  IDREG_ASSIGN_OR_RETURN(const int version, r.Magic());
  IDREG_ASSIGN_OR_RETURN(uint32_t na, r.Count("attributes"));
  for (uint32_t i = 0; i < na; ++i) {
    Attribute a;
    IDREG_ASSIGN_OR_RETURN(a.name, r.Str("attribute"));
    IDREG_ASSIGN_OR_RETURN(a.value, r.Str("attribute"));
    IDREG_ASSIGN_OR_RETURN(bool doc, r.Bool("attribute"));
    a.provenance.kind = doc ? Provenance::Kind::kDocument : Provenance::Kind::kDeclaration;
    IDREG_ASSIGN_OR_RETURN(a.provenance.document_type, r.Str("attribute"));
    IDREG_ASSIGN_OR_RETURN(a.provenance.issuing_state, r.Str("attribute"));
    IDREG_ASSIGN_OR_RETURN(a.provenance.document_number, r.Str("attribute"));
    IDREG_ASSIGN_OR_RETURN(a.provenance.source, r.Str("attribute"));
    IDREG_ASSIGN_OR_RETURN(a.provenance.recorded_at, r.Str("attribute"));
    e.attributes.push_back(std::move(a));
  }
  IDREG_ASSIGN_OR_RETURN(uint32_t nd, r.Count("documents"));
  for (uint32_t i = 0; i < nd; ++i) {
    Document d;
    IDREG_ASSIGN_OR_RETURN(d.id, r.IdField("document"));
    IDREG_ASSIGN_OR_RETURN(d.document_type, r.Str("document"));
    IDREG_ASSIGN_OR_RETURN(d.format, r.Str("document"));
    IDREG_ASSIGN_OR_RETURN(d.issuing_state, r.Str("document"));
    IDREG_ASSIGN_OR_RETURN(d.number, r.Str("document"));
    IDREG_ASSIGN_OR_RETURN(d.expiry_date, r.Str("document"));
    IDREG_ASSIGN_OR_RETURN(d.mrz, r.Str("document"));
    IDREG_ASSIGN_OR_RETURN(d.mrz_valid, r.Bool("document"));
    IDREG_ASSIGN_OR_RETURN(d.recorded_at, r.Str("document"));
    e.documents.push_back(std::move(d));
  }
  IDREG_ASSIGN_OR_RETURN(e.encounter.id, r.IdField("encounter"));
  IDREG_ASSIGN_OR_RETURN(std::string kind, r.Str("encounter"));
  auto k = ParseEncounterKind(kind);
  if (!k.ok()) return Status::Corruption("pending enrollment has an unknown encounter kind");
  e.encounter.kind = *k;
  IDREG_ASSIGN_OR_RETURN(e.encounter.place, r.Str("encounter"));
  IDREG_ASSIGN_OR_RETURN(e.encounter.officer, r.Str("encounter"));
  IDREG_ASSIGN_OR_RETURN(e.encounter.occurred_at, r.Str("encounter"));
  IDREG_ASSIGN_OR_RETURN(uint32_t nb, r.Count("biometrics"));
  for (uint32_t i = 0; i < nb; ++i) {
    BiometricRecord b;
    IDREG_ASSIGN_OR_RETURN(b.id, r.IdField("biometric"));
    IDREG_ASSIGN_OR_RETURN(b.encounter_id, r.IdField("biometric"));
    IDREG_ASSIGN_OR_RETURN(b.modality, r.Str("biometric"));
    IDREG_ASSIGN_OR_RETURN(b.position, r.Str("biometric"));
    IDREG_ASSIGN_OR_RETURN(b.format, r.Str("biometric"));
    IDREG_ASSIGN_OR_RETURN(uint64_t q, r.U64("biometric"));
    b.quality = std::bit_cast<double>(q);
    IDREG_ASSIGN_OR_RETURN(b.payload, r.Blob("biometric"));
    IDREG_ASSIGN_OR_RETURN(b.created_at, r.Str("biometric"));
    if (version >= 2) {
      IDREG_ASSIGN_OR_RETURN(uint32_t nf, r.Count("derived forms"));
      for (uint32_t f = 0; f < nf; ++f) {
        DerivedForm d;
        IDREG_ASSIGN_OR_RETURN(d.kind, r.Str("derived form"));
        IDREG_ASSIGN_OR_RETURN(d.version, r.U32("derived form"));
        IDREG_ASSIGN_OR_RETURN(d.payload, r.Blob("derived form"));
        b.derived.push_back(std::move(d));
      }
    }
    e.biometrics.push_back(std::move(b));
  }
  IDREG_ASSIGN_OR_RETURN(uint32_t nc, r.Count("consents"));
  for (uint32_t i = 0; i < nc; ++i) {
    Consent c;
    IDREG_ASSIGN_OR_RETURN(c.id, r.IdField("consent"));
    IDREG_ASSIGN_OR_RETURN(c.purpose, r.Str("consent"));
    IDREG_ASSIGN_OR_RETURN(c.granted, r.Bool("consent"));
    IDREG_ASSIGN_OR_RETURN(c.recorded_at, r.Str("consent"));
    e.consents.push_back(std::move(c));
  }
  if (!r.done()) return Status::Corruption("pending enrollment has trailing bytes");
  return e;
}

}  // namespace idreg
