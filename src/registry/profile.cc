#include "idreg/registry/profile.h"

namespace idreg {

std::string_view EncounterKindName(EncounterKind k) {
  switch (k) {
    case EncounterKind::kEnrollment: return "enrollment";
    case EncounterKind::kBorderEntry: return "border_entry";
    case EncounterKind::kConsularRegistration: return "consular_registration";
  }
  return "enrollment";
}

Result<EncounterKind> ParseEncounterKind(std::string_view name) {
  for (auto k : {EncounterKind::kEnrollment, EncounterKind::kBorderEntry, EncounterKind::kConsularRegistration}) {
    if (EncounterKindName(k) == name) return k;
  }
  return Status::InvalidArgument("unknown encounter kind '" + std::string(name) +
                                 "': expected enrollment, border_entry or consular_registration");
}

std::optional<std::string> Profile::Attr(std::string_view name) const {
  for (auto a = attributes.rbegin(); a != attributes.rend(); ++a) {
    if (a->name == name) return a->value;
  }
  return std::nullopt;
}

}  // namespace idreg
