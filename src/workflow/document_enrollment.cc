#include "idreg/workflow/document_enrollment.h"

namespace idreg {
namespace {

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '|';
    out += l;
  }
  return out;
}

}  // namespace

Document DocumentFromMrz(const Mrz& mrz) {
  Document d;
  d.document_type = mrz.document_type;
  d.format = std::string(MrzFormatName(mrz.format));
  d.issuing_state = mrz.issuing_state;
  d.number = mrz.document_number;
  d.expiry_date = mrz.expiry_date;
  d.mrz = JoinLines(mrz.lines);
  d.mrz_valid = mrz.valid();
  return d;
}

std::vector<Attribute> AttributesFromMrz(const Mrz& mrz) {
  Provenance p;
  p.kind = Provenance::Kind::kDocument;
  p.document_type = mrz.document_type;
  p.issuing_state = mrz.issuing_state;
  p.document_number = mrz.document_number;
  p.source = "MRZ";
  std::vector<Attribute> out;
  for (auto [name, value] : {std::pair{"surname", &mrz.surname}, std::pair{"given_names", &mrz.given_names},
                             std::pair{"birth_date", &mrz.birth_date}, std::pair{"sex", &mrz.sex},
                             std::pair{"nationality", &mrz.nationality}}) {
    if (!value->empty()) out.push_back({name, *value, p});
  }
  return out;
}

void AddMrzToEnrollment(const Mrz& mrz, Enrollment& e) {
  e.documents.push_back(DocumentFromMrz(mrz));
  auto attrs = AttributesFromMrz(mrz);
  e.attributes.insert(e.attributes.end(), attrs.begin(), attrs.end());
}

}  // namespace idreg
