#include "idreg/eval/score_file.h"

#include <cstdio>
#include <fstream>

namespace idreg::eval {
namespace {

std::string Field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string FormatScoresCsv(const std::vector<ScoredPair>& pairs) {
  std::string out = "probe,reference,score,genuine\n";
  char score[32];
  for (const ScoredPair& p : pairs) {
    std::snprintf(score, sizeof score, "%.9g", p.score);
    out += Field(p.probe) + "," + Field(p.reference) + "," + score + "," + (p.genuine ? "1" : "0") + "\n";
  }
  return out;
}

Status WriteScoresCsv(const std::string& path, const std::vector<ScoredPair>& pairs) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::NotFound("cannot write the score file " + path);
  out << FormatScoresCsv(pairs);
  out.close();
  if (!out) return Status::Unavailable("writing the score file " + path + " failed");
  return Status::Ok();
}

}  // namespace idreg::eval
