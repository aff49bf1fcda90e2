// The JSON form of a parsed MRZ, as `idreg mrz parse --json` prints it. Kept out of the document
// module so that it does not depend on a JSON library.
#ifndef IDREG_SRC_CLI_MRZ_JSON_H_
#define IDREG_SRC_CLI_MRZ_JSON_H_

#include <nlohmann/json.hpp>

#include "idreg/core/status.h"
#include "idreg/document/mrz.h"

namespace idreg::cli {

// Keys in a fixed, readable order: format, the fields, valid, checks (name -> holds), errors.
// optional_data_2 appears for TD1 only.
nlohmann::ordered_json MrzToJson(const Mrz& mrz);

// {"valid": false, "errors": [message]}: what scripts read when the zone could not be parsed.
nlohmann::ordered_json MrzFailureJson(const Status& status);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_MRZ_JSON_H_
