// Builds interchange documents from a profile for `idreg export`: an ANSI/NIST-ITL transaction
// (Type-2 from the attributes, Type-10 faces, Type-14 finger images, Type-9 and Type-18 records
// as imported) or MOSIP CBEFF XML. Records a format cannot carry are listed, not dropped silently.
#ifndef IDREG_SRC_CLI_EXPORT_BUILD_H_
#define IDREG_SRC_CLI_EXPORT_BUILD_H_

#include <string>
#include <vector>

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/registry/profile.h"

namespace idreg::cli {

struct ExportResult {
  Bytes data;
  int exported = 0;
  std::vector<std::string> not_exported;  // "face/frontal idreg-face-v1: reason"
};

// `date` is YYYYMMDD for Type-1's DAT.
Result<ExportResult> BuildAn2kExport(const Profile& p, const std::string& date);
Result<ExportResult> BuildCbeffExport(const Profile& p);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_EXPORT_BUILD_H_
