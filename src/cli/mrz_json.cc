#include "cli/mrz_json.h"

namespace idreg::cli {

nlohmann::ordered_json MrzToJson(const Mrz& mrz) {
  nlohmann::ordered_json j;
  j["format"] = std::string(MrzFormatName(mrz.format));
  j["document_type"] = mrz.document_type;
  j["issuing_state"] = mrz.issuing_state;
  j["document_number"] = mrz.document_number;
  j["nationality"] = mrz.nationality;
  j["birth_date"] = mrz.birth_date;
  j["sex"] = mrz.sex;
  j["expiry_date"] = mrz.expiry_date;
  j["surname"] = mrz.surname;
  j["given_names"] = mrz.given_names;
  j["optional_data"] = mrz.optional_data;
  if (mrz.format == MrzFormat::kTD1) j["optional_data_2"] = mrz.optional_data_2;
  j["lines"] = mrz.lines;
  j["valid"] = mrz.valid();
  nlohmann::ordered_json checks = nlohmann::ordered_json::object();
  for (const MrzCheck& c : mrz.checks) checks[c.name] = c.valid;
  j["checks"] = std::move(checks);
  j["errors"] = mrz.errors;
  return j;
}

nlohmann::ordered_json MrzFailureJson(const Status& status) {
  nlohmann::ordered_json j;
  j["valid"] = false;
  j["errors"] = nlohmann::ordered_json::array({status.message()});
  return j;
}

}  // namespace idreg::cli
