#include "idreg/face/lfw_protocol.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace idreg::face {
namespace {

constexpr int kMaxFolds = 100;
constexpr int kMaxPairsPerClass = 100000;
constexpr int kMaxImage = 9999;  // %04d

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool ParseInt(std::string_view s, int lo, int hi, int* out) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

// A person's folder name: no path separators, no "." / "..", printable ASCII.
bool ValidName(std::string_view s) {
  if (s.empty() || s.size() > 200 || s == "." || s == "..") return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127 && c != '/' && c != '\\'; });
}

Status LineError(size_t line, const std::string& what) {
  return Status::InvalidArgument("LFW pairs file, line " + std::to_string(line) + ": " + what);
}

// Best threshold on the given pairs: maximises correct decisions (same: d <= t); ties keep the
// smallest such threshold, placed midway between neighbouring distances.
double TrainThreshold(const std::vector<std::pair<double, bool>>& train) {
  std::vector<std::pair<double, bool>> s;
  for (const auto& p : train)
    if (std::isfinite(p.first)) s.push_back(p);
  std::sort(s.begin(), s.end());
  long different_total = 0;
  for (const auto& p : train) different_total += !p.second;
  // Threshold below everything: all "different".
  long correct = different_total, best = correct;
  double best_t = s.empty() ? 0 : s.front().first - 1e-6;
  for (size_t i = 0; i < s.size(); ++i) {
    correct += s[i].second ? 1 : -1;  // pair i becomes "same"
    if (i + 1 < s.size() && s[i + 1].first == s[i].first) continue;
    if (correct > best) {
      best = correct;
      best_t = i + 1 < s.size() ? (s[i].first + s[i + 1].first) / 2 : s[i].first + 1e-6;
    }
  }
  return best_t;
}

}  // namespace

Result<LfwProtocol> ParseLfwPairs(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  // Trailing empty lines are allowed.
  while (!lines.empty() && Fields(lines.back()).empty()) lines.pop_back();
  if (lines.empty()) return Status::InvalidArgument("LFW pairs file is empty");
  LfwProtocol p;
  const auto header = Fields(lines[0]);
  if (header.size() != 2 || !ParseInt(header[0], 1, kMaxFolds, &p.folds) ||
      !ParseInt(header[1], 1, kMaxPairsPerClass, &p.pairs_per_class))
    return LineError(1, "expected \"FOLDS PAIRS\" (two positive numbers, e.g. 10 300)");
  const size_t expected = static_cast<size_t>(p.folds) * p.pairs_per_class * 2;
  if (lines.size() - 1 < expected)
    return Status::InvalidArgument("LFW pairs file ends after line " + std::to_string(lines.size()) + ": the header " +
                                   "announces " + std::to_string(expected) + " pair lines, found " +
                                   std::to_string(lines.size() - 1));
  if (lines.size() - 1 > expected)
    return LineError(expected + 2, "more pair lines than the header's " + std::to_string(p.folds) + " x 2 x " +
                                       std::to_string(p.pairs_per_class));
  p.pairs.reserve(expected);
  for (size_t i = 0; i < expected; ++i) {
    const size_t line_no = i + 2;
    const auto f = Fields(lines[i + 1]);
    LfwPair pair;
    pair.fold = static_cast<int>(i / (2 * p.pairs_per_class));
    pair.same = i % (2 * p.pairs_per_class) < static_cast<size_t>(p.pairs_per_class);
    if (pair.same) {
      if (f.size() != 3) return LineError(line_no, "a same-person pair needs 3 fields (name n1 n2), found " + std::to_string(f.size()));
      pair.name_a = pair.name_b = std::string(f[0]);
      if (!ParseInt(f[1], 1, kMaxImage, &pair.image_a) || !ParseInt(f[2], 1, kMaxImage, &pair.image_b))
        return LineError(line_no, "image numbers must be whole numbers from 1 to 9999");
    } else {
      if (f.size() != 4)
        return LineError(line_no, "a different-person pair needs 4 fields (name1 n1 name2 n2), found " + std::to_string(f.size()));
      pair.name_a = std::string(f[0]);
      pair.name_b = std::string(f[2]);
      if (!ParseInt(f[1], 1, kMaxImage, &pair.image_a) || !ParseInt(f[3], 1, kMaxImage, &pair.image_b))
        return LineError(line_no, "image numbers must be whole numbers from 1 to 9999");
    }
    if (!ValidName(pair.name_a) || !ValidName(pair.name_b))
      return LineError(line_no, "a person's name must be a plain folder name");
    p.pairs.push_back(std::move(pair));
  }
  return p;
}

std::string LfwImagePath(const std::string& dir, const std::string& name, int image) {
  char num[16];
  std::snprintf(num, sizeof num, "_%04d.jpg", image);
  return dir + "/" + name + "/" + name + num;
}

LfwResult EvaluateLfw(const LfwProtocol& protocol, std::span<const double> distances) {
  LfwResult r;
  const double inf = std::numeric_limits<double>::infinity();
  auto dist = [&](size_t i) { return std::isnan(distances[i]) ? inf : distances[i]; };
  for (int fold = 0; fold < protocol.folds; ++fold) {
    std::vector<std::pair<double, bool>> train;
    for (size_t i = 0; i < protocol.pairs.size(); ++i)
      if (protocol.pairs[i].fold != fold) train.push_back({dist(i), protocol.pairs[i].same});
    LfwFold f;
    f.threshold = TrainThreshold(train);
    size_t correct = 0, total = 0;
    for (size_t i = 0; i < protocol.pairs.size(); ++i) {
      if (protocol.pairs[i].fold != fold) continue;
      ++total;
      correct += (dist(i) <= f.threshold) == protocol.pairs[i].same;
    }
    f.accuracy = total ? static_cast<double>(correct) / total : 0;
    r.folds.push_back(f);
  }
  const double n = static_cast<double>(r.folds.size());
  for (const LfwFold& f : r.folds) r.mean_accuracy += f.accuracy / n;
  double var = 0;
  for (const LfwFold& f : r.folds) var += (f.accuracy - r.mean_accuracy) * (f.accuracy - r.mean_accuracy);
  r.standard_error = n > 1 ? std::sqrt(var / (n - 1)) / std::sqrt(n) : 0;
  return r;
}

}  // namespace idreg::face
