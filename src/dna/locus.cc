#include "idreg/dna/locus.h"

#include <array>
#include <cctype>
#include <string>

namespace idreg::dna {
namespace {

struct LocusInfo {
  std::string_view name;
  bool codis_core;
};

// The order is fixed: a LocusId is an index here (and a bit in masks). CODIS 20 first, then the
// other autosomal loci of the NIST 1036 set.
constexpr std::array<LocusInfo, kLocusCount> kLoci = {{
    {"CSF1PO", true},   {"D3S1358", true},  {"D5S818", true},   {"D7S820", true},   {"D8S1179", true},
    {"D13S317", true},  {"D16S539", true},  {"D18S51", true},   {"D21S11", true},   {"FGA", true},
    {"TH01", true},     {"TPOX", true},     {"vWA", true},      {"D1S1656", true},  {"D2S441", true},
    {"D2S1338", true},  {"D10S1248", true}, {"D12S391", true},  {"D19S433", true},  {"D22S1045", true},
    {"D6S1043", false}, {"F13A01", false},  {"F13B", false},    {"FESFPS", false},  {"LPL", false},
    {"Penta_C", false}, {"Penta_D", false}, {"Penta_E", false}, {"SE33", false},
}};

// Upper case, without spaces, '_', '-' and '.'.
std::string Key(std::string_view name) {
  std::string k;
  for (char c : name) {
    if (c == ' ' || c == '_' || c == '-' || c == '.') continue;
    k.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return k;
}

}  // namespace

std::string_view LocusName(LocusId locus) { return locus < kLocusCount ? kLoci[locus].name : "?"; }

bool IsCodisCore(LocusId locus) { return locus < kLocusCount && kLoci[locus].codis_core; }

Result<LocusId> FindLocus(std::string_view name) {
  std::string key = Key(name);
  // Common variant spellings: TH01 is often written THO1, F13A01 as F13A1, Penta as PentaE.
  if (key == "THO1") key = "TH01";
  if (key == "F13A1") key = "F13A01";
  for (size_t i = 0; i < kLoci.size(); ++i) {
    if (Key(kLoci[i].name) == key && !key.empty()) return static_cast<LocusId>(i);
  }
  std::string shown(name.substr(0, 40));
  for (char& c : shown) {
    if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return Status::NotFound("unknown locus '" + shown + "'");
}

bool IsNonAutosomalMarker(std::string_view name) {
  std::string key = Key(name);
  return key == "YINDEL" || key == "AMELOGENIN" || key == "AMEL" || key.rfind("DYS", 0) == 0;
}

}  // namespace idreg::dna
