// The JSON form of a profile (doc/dna-profile-json.md). nlohmann::json is used without
// exceptions on input; anything it might still throw is caught here, at the module edge.
#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "dna/csv_text.h"
#include "idreg/dna/profile_io.h"

namespace idreg::dna {
namespace {

using Json = nlohmann::ordered_json;
using internal::Shown;

Result<Allele> AlleleFromJson(const Json& v, std::string_view locus) {
  auto where = "loci." + std::string(locus) + ": ";
  if (v.is_string()) {
    Result<Allele> a = ParseAllele(v.get_ref<const std::string&>());
    if (!a.ok()) return Status::InvalidArgument(where + a.status().message());
    return a;
  }
  if (v.is_number()) {
    double x = v.get<double>();
    double tenths = std::round(x * 10);
    if (!std::isfinite(x) || x <= 0 || std::fabs(x * 10 - tenths) > 1e-6 || tenths > kMaxAlleleTenths) {
      return Status::InvalidArgument(where + "allele " + v.dump() + " is not a repeat number like 9 or 9.3");
    }
    return Allele{static_cast<uint16_t>(tenths)};
  }
  return Status::InvalidArgument(where + "an allele must be a string or a number, got " + v.type_name());
}

Result<StrProfile> FromJson(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("a DNA profile must be a JSON object");
  StrProfile p;
  bool have_loci = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "format") {
      if (!value.is_string() || value.get_ref<const std::string&>() != kDnaJsonFormat) {
        return Status::InvalidArgument("format: expected \"" + std::string(kDnaJsonFormat) + "\"");
      }
    } else if (key == "id" || key == "population") {
      if (!value.is_string()) return Status::InvalidArgument(key + ": expected a string");
      (key == "id" ? p.id : p.population) = value.get<std::string>();
    } else if (key == "loci") {
      if (!value.is_object()) return Status::InvalidArgument("loci: expected an object of locus: [alleles]");
      have_loci = true;
      for (const auto& [name, alleles] : value.items()) {
        Result<LocusId> locus = FindLocus(name);
        if (!locus.ok()) return Status::InvalidArgument("loci: " + locus.status().message());
        if (!alleles.is_array()) return Status::InvalidArgument("loci." + Shown(name) + ": expected an array");
        std::vector<Allele> list;
        for (const Json& a : alleles) {
          IDREG_ASSIGN_OR_RETURN(Allele allele, AlleleFromJson(a, LocusName(*locus)));
          list.push_back(allele);
        }
        if (list.empty()) return Status::InvalidArgument("loci." + Shown(name) + ": no allele");
        Status s = p.AddLocus(*locus, std::move(list));
        if (!s.ok()) return Status::InvalidArgument("loci: " + s.message());
      }
    } else {
      return Status::InvalidArgument("unknown field '" + Shown(key) + "' (expected format, id, population, loci)");
    }
  }
  if (!have_loci) return Status::InvalidArgument("no 'loci' field");
  if (p.loci.empty()) return Status::InvalidArgument("empty profile: no typed locus");
  return p;
}

}  // namespace

Result<StrProfile> ParseProfileJson(std::string_view text) {
  try {
    // Duplicate keys are an error (nlohmann would keep the last silently): one set per open object.
    std::vector<std::set<std::string>> open;
    std::string duplicate;
    auto cb = [&](int, Json::parse_event_t event, Json& parsed) {
      if (event == Json::parse_event_t::object_start) open.emplace_back();
      if (event == Json::parse_event_t::object_end && !open.empty()) open.pop_back();
      if (event == Json::parse_event_t::key && !open.empty() && parsed.is_string()) {
        if (!open.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
      }
      return true;
    };
    Json j = Json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::InvalidArgument("not valid JSON");
    if (!duplicate.empty()) return Status::InvalidArgument("duplicate field '" + Shown(duplicate) + "'");
    return FromJson(j);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("not a DNA profile: ") + e.what());
  }
}

std::string ProfileToJson(const StrProfile& profile, bool indent) {
  Json j;
  j["format"] = kDnaJsonFormat;
  if (!profile.id.empty()) j["id"] = profile.id;
  if (!profile.population.empty()) j["population"] = profile.population;
  Json loci = Json::object();
  for (const LocusGenotype& g : profile.loci) {
    Json alleles = Json::array();
    for (Allele a : g.alleles) alleles.push_back(AlleleToString(a));
    loci[std::string(LocusName(g.locus))] = alleles;
  }
  j["loci"] = loci;
  return j.dump(indent ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

Result<StrProfile> ParseOneProfile(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Status::InvalidArgument("empty profile file");
  if (text[first] == '{') return ParseProfileJson(text);
  IDREG_ASSIGN_OR_RETURN(std::vector<StrProfile> people, ParseNist1036Csv(text));
  if (people.size() != 1) {
    return Status::InvalidArgument("the CSV holds " + std::to_string(people.size()) +
                                   " samples; a profile file must hold exactly one");
  }
  return std::move(people[0]);
}

}  // namespace idreg::dna
