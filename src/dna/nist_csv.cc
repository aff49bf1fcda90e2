// The NIST 1036 genotype layout: "Sample,Pop,LOCUS,,LOCUS,,..." then one person per line.
#include <cctype>
#include <string>

#include "dna/csv_text.h"
#include "idreg/dna/profile_io.h"

namespace idreg::dna {
namespace {

using internal::At;
using internal::CsvLine;
using internal::Shown;

bool SameWord(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

Result<std::vector<LocusId>> ParseHeader(const CsvLine& header) {
  const auto& c = header.cells;
  if (c.size() < 4 || !SameWord(c[0], "Sample") || !SameWord(c[1], "Pop")) {
    return Status::InvalidArgument("line 1: expected the NIST 1036 header 'Sample,Pop,LOCUS,,LOCUS,,...'");
  }
  if (c.size() % 2 != 0) {
    return Status::InvalidArgument("line 1: expected two columns per locus, got " + std::to_string(c.size() - 2) +
                                   " locus columns");
  }
  std::vector<LocusId> loci;
  uint32_t seen = 0;
  for (size_t i = 2; i < c.size(); i += 2) {
    if (!c[i + 1].empty()) {
      return Status::InvalidArgument(At(1, i + 2) + ": expected an empty cell after locus '" + Shown(c[i]) +
                                     "', got '" + Shown(c[i + 1]) + "'");
    }
    Result<LocusId> locus = FindLocus(c[i]);
    if (!locus.ok()) return Status::InvalidArgument(At(1, i + 1) + ": " + locus.status().message());
    if (seen & (1u << *locus)) {
      return Status::InvalidArgument(At(1, i + 1) + ": duplicate locus " + std::string(LocusName(*locus)));
    }
    seen |= 1u << *locus;
    loci.push_back(*locus);
  }
  return loci;
}

}  // namespace

Result<std::vector<StrProfile>> ParseNist1036Csv(std::string_view text) {
  std::vector<CsvLine> lines = internal::SplitCsv(text);
  if (lines.empty()) return Status::InvalidArgument("empty genotype file");
  IDREG_ASSIGN_OR_RETURN(std::vector<LocusId> loci, ParseHeader(lines[0]));
  const size_t width = lines[0].cells.size();
  std::vector<StrProfile> people;
  for (size_t n = 1; n < lines.size(); ++n) {
    const CsvLine& line = lines[n];
    if (internal::IsBlank(line)) continue;
    if (line.cells.size() != width) {
      return Status::InvalidArgument("line " + std::to_string(line.number) + ": " +
                                     std::to_string(line.cells.size()) + " columns, the header has " +
                                     std::to_string(width));
    }
    StrProfile p;
    p.id = std::string(line.cells[0]);
    p.population = std::string(line.cells[1]);
    for (size_t k = 0; k < loci.size(); ++k) {
      size_t col = 2 + 2 * k;
      std::vector<Allele> alleles;
      for (size_t j = col; j < col + 2; ++j) {
        if (line.cells[j].empty()) continue;
        Result<Allele> a = ParseAllele(line.cells[j]);
        if (!a.ok()) {
          return Status::InvalidArgument(At(line.number, j + 1) + " (" + std::string(LocusName(loci[k])) +
                                         "): " + a.status().message());
        }
        alleles.push_back(*a);
      }
      if (!alleles.empty()) IDREG_RETURN_IF_ERROR(p.AddLocus(loci[k], std::move(alleles)));
    }
    if (p.loci.empty()) {
      return Status::InvalidArgument("line " + std::to_string(line.number) + ": sample '" + Shown(p.id) +
                                     "' has no typed locus");
    }
    people.push_back(std::move(p));
  }
  if (people.empty()) return Status::InvalidArgument("the genotype file holds no sample");
  return people;
}

}  // namespace idreg::dna
