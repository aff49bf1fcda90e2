// Frequency tables: the two CSV layouts (see the header), their checks, and lookup by name.
#include "idreg/dna/allele_frequencies.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "dna/csv_text.h"
#include "idreg/dna/parameters.h"

namespace idreg::dna {
namespace {

using internal::At;
using internal::CsvLine;
using internal::Shown;

std::string NameKey(std::string_view name) {
  std::string k;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) k.push_back(static_cast<char>(std::tolower(c)));
  }
  return k;
}

Result<double> ParseNumber(std::string_view cell, size_t line, size_t column, const char* what) {
  double v = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(v) || v < 0) {
    return Status::InvalidArgument(At(line, column) + ": " + what + " '" + Shown(cell) +
                                   "' is not a non-negative number");
  }
  return v;
}

// Every locus present sums to 1 and has a positive number of alleles typed.
Status CheckSums(const PopulationFrequencies& pop) {
  bool any = false;
  for (size_t l = 0; l < pop.loci.size(); ++l) {
    const LocusFrequencies& f = pop.loci[l];
    if (!f.present) continue;
    any = true;
    double sum = 0;
    for (const auto& [allele, freq] : f.frequency) sum += freq;
    std::string where = "population " + pop.name + ", locus " + std::string(LocusName(static_cast<LocusId>(l)));
    if (std::fabs(sum - 1) > kFrequencySumTolerance) {
      return Status::InvalidArgument(where + ": frequencies sum to " + std::to_string(sum) + ", not 1");
    }
    if (!(f.alleles_typed > 0)) return Status::InvalidArgument(where + ": no number of alleles typed (N)");
  }
  if (!any) return Status::InvalidArgument("population " + pop.name + ": no locus");
  return Status::Ok();
}

Result<std::vector<PopulationFrequencies>> ParseLong(const std::vector<CsvLine>& lines) {
  std::vector<PopulationFrequencies> pops;
  for (size_t n = 1; n < lines.size(); ++n) {
    const CsvLine& line = lines[n];
    if (internal::IsBlank(line)) continue;
    if (line.cells.size() != 6) {
      return Status::InvalidArgument("line " + std::to_string(line.number) + ": expected 6 columns, got " +
                                     std::to_string(line.cells.size()));
    }
    if (line.cells[0].empty()) return Status::InvalidArgument(At(line.number, 1) + ": empty population");
    if (internal::IsBlank(line)) continue;
    if (IsNonAutosomalMarker(line.cells[1])) continue;
    Result<LocusId> locus = FindLocus(line.cells[1]);
    if (!locus.ok()) return Status::InvalidArgument(At(line.number, 2) + ": " + locus.status().message());
    Result<Allele> allele = ParseAllele(line.cells[2]);
    if (!allele.ok()) return Status::InvalidArgument(At(line.number, 3) + ": " + allele.status().message());
    IDREG_ASSIGN_OR_RETURN(double typed, ParseNumber(line.cells[4], line.number, 5, "n_alleles"));
    IDREG_ASSIGN_OR_RETURN(double freq, ParseNumber(line.cells[5], line.number, 6, "frequency"));
    if (freq > 1) return Status::InvalidArgument(At(line.number, 6) + ": frequency above 1");
    auto it = std::find_if(pops.begin(), pops.end(), [&](const auto& p) { return p.name == line.cells[0]; });
    if (it == pops.end()) {
      pops.emplace_back();
      pops.back().name = std::string(line.cells[0]);
      it = pops.end() - 1;
    }
    LocusFrequencies& f = it->loci[*locus];
    if (f.present && f.alleles_typed != typed) {
      return Status::InvalidArgument(At(line.number, 5) + ": n_alleles differs from earlier rows of " +
                                     it->name + " " + std::string(LocusName(*locus)));
    }
    f.present = true;
    f.alleles_typed = typed;
    if (!f.frequency.emplace(*allele, freq).second) {
      return Status::InvalidArgument("line " + std::to_string(line.number) + ": allele " + AlleleToString(*allele) +
                                     " of " + std::string(LocusName(*locus)) + " listed twice");
    }
  }
  return pops;
}

Result<std::vector<PopulationFrequencies>> ParseWide(const std::vector<CsvLine>& lines) {
  constexpr std::string_view kSuffix = " ALLELE FREQUENCIES";
  std::string title(lines[0].cells[0]);
  std::string upper = title;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.size() <= kSuffix.size() || upper.compare(upper.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return Status::InvalidArgument("line 1: expected 'population,locus,allele,count,n_alleles,frequency' or a title "
                                   "'<POPULATION> ALLELE FREQUENCIES'");
  }
  PopulationFrequencies pop;
  pop.name = title.substr(0, title.size() - kSuffix.size());
  if (lines.size() < 2 || lines[1].cells.empty() || NameKey(lines[1].cells[0]) != "allele") {
    return Status::InvalidArgument("line 2: expected the header 'Allele,<locus>,...'");
  }
  // Column -> locus (-1: a marker skipped); the header ends at a repeated "Allele" or an empty cell.
  std::vector<int> columns;
  uint32_t seen = 0;
  for (size_t c = 1; c < lines[1].cells.size(); ++c) {
    std::string_view name = lines[1].cells[c];
    if (name.empty() || NameKey(name) == "allele") break;
    if (IsNonAutosomalMarker(name)) {
      columns.push_back(-1);
      continue;
    }
    Result<LocusId> locus = FindLocus(name);
    if (!locus.ok()) return Status::InvalidArgument(At(2, c + 1) + ": " + locus.status().message());
    if (seen & (1u << *locus)) return Status::InvalidArgument(At(2, c + 1) + ": duplicate locus " + Shown(name));
    seen |= 1u << *locus;
    columns.push_back(*locus);
  }
  bool have_n = false;
  for (size_t n = 2; n < lines.size(); ++n) {
    const CsvLine& line = lines[n];
    std::string_view head = line.cells[0];
    if (internal::IsBlank(line) || NameKey(head) == "allele" || NameKey(head).rfind("where", 0) == 0) continue;
    bool is_n = head == "N";
    Allele allele;
    if (!is_n) {
      Result<Allele> a = ParseAllele(head);
      if (!a.ok()) return Status::InvalidArgument(At(line.number, 1) + ": " + a.status().message());
      allele = *a;
    }
    for (size_t k = 0; k < columns.size() && k + 1 < line.cells.size(); ++k) {
      std::string_view cell = line.cells[k + 1];
      if (columns[k] < 0 || cell.empty()) continue;
      IDREG_ASSIGN_OR_RETURN(double v, ParseNumber(cell, line.number, k + 2, is_n ? "N" : "frequency"));
      LocusFrequencies& f = pop.loci[columns[k]];
      f.present = true;
      if (is_n) {
        f.alleles_typed = v;
      } else if (v > 1) {
        return Status::InvalidArgument(At(line.number, k + 2) + ": frequency above 1");
      } else if (v > 0 && !f.frequency.emplace(allele, v).second) {
        return Status::InvalidArgument("line " + std::to_string(line.number) + ": allele " + AlleleToString(allele) +
                                       " listed twice");
      }
    }
    // The table ends with its N row; what follows are notes and padding (one FBI file has a
    // stray '`' there).
    if (is_n) {
      have_n = true;
      break;
    }
  }
  if (!have_n) return Status::InvalidArgument("no 'N' row giving the number of alleles typed per locus");
  return std::vector<PopulationFrequencies>{std::move(pop)};
}

}  // namespace

double LocusFrequencies::Minimum() const {
  return alleles_typed > 0 ? std::min(1.0, kMinAlleleCountNumerator / alleles_typed) : 1.0;
}

double LocusFrequencies::Of(Allele a) const {
  auto it = frequency.find(a);
  return std::max(it == frequency.end() ? 0.0 : it->second, Minimum());
}

Result<FrequencyTables> FrequencyTables::Parse(std::string_view csv_text) {
  std::vector<CsvLine> lines = internal::SplitCsv(csv_text);
  if (lines.empty() || internal::IsBlank(lines[0])) return Status::InvalidArgument("empty frequency table");
  FrequencyTables tables;
  if (NameKey(lines[0].cells[0]) == "population") {
    IDREG_ASSIGN_OR_RETURN(tables.populations_, ParseLong(lines));
  } else {
    IDREG_ASSIGN_OR_RETURN(tables.populations_, ParseWide(lines));
  }
  if (tables.populations_.empty()) return Status::InvalidArgument("the frequency table holds no population");
  for (const PopulationFrequencies& p : tables.populations_) IDREG_RETURN_IF_ERROR(CheckSums(p));
  return tables;
}

FrequencyTables FrequencyTables::FromProfiles(const std::vector<StrProfile>& profiles, std::string name) {
  PopulationFrequencies pop;
  pop.name = std::move(name);
  std::array<std::map<Allele, double>, kLocusCount> counts;
  for (const StrProfile& p : profiles) {
    for (const LocusGenotype& g : p.loci) {
      if (g.mixed()) continue;
      for (Allele a : g.alleles) counts[g.locus][a] += g.homozygous() ? 2 : 1;
      pop.loci[g.locus].alleles_typed += 2;
    }
  }
  for (size_t l = 0; l < counts.size(); ++l) {
    LocusFrequencies& f = pop.loci[l];
    if (f.alleles_typed == 0) continue;
    f.present = true;
    for (const auto& [a, c] : counts[l]) f.frequency[a] = c / f.alleles_typed;
  }
  FrequencyTables t;
  t.populations_.push_back(std::move(pop));
  return t;
}

Result<const PopulationFrequencies*> FrequencyTables::Find(std::string_view population) const {
  std::string key = NameKey(population);
  if (key == "aa") key = "afam";  // the NIST genotype file's code for its African American group
  std::string names;
  for (const PopulationFrequencies& p : populations_) {
    if (NameKey(p.name) == key) return &p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  return Status::NotFound("no population '" + Shown(population) + "' in the table (it has: " + names + ")");
}

}  // namespace idreg::dna
