#include "idreg/match/calibration.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace idreg::match {
namespace {

double Feature(const Calibration& c, double raw) {
  return c.transform == "log" ? std::log(std::max(raw, 0.0) + c.epsilon) : raw;
}

double Softplus(double z) { return z > 30 ? z : z < -30 ? std::exp(z) : std::log1p(std::exp(z)); }
double Sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

// Weighted logistic regression of y (genuine 1) on one feature by Newton's method (IRLS); a tiny
// ridge on the slope keeps it finite when the sets do not overlap. Returns the weighted
// cross-entropy in nats per class.
double FitOne(Calibration& c, const std::vector<double>& genuine, const std::vector<double>& impostor) {
  const double wg = 0.5 / static_cast<double>(genuine.size());
  const double wi = 0.5 / static_cast<double>(impostor.size());
  std::vector<double> xg, xi;
  for (double s : genuine) xg.push_back(Feature(c, s));
  for (double s : impostor) xi.push_back(Feature(c, s));
  // Standardise the feature so that the ridge and the start point do not depend on its units.
  double mean = 0, var = 0;
  for (double x : xg) mean += wg * x;
  for (double x : xi) mean += wi * x;
  for (double x : xg) var += wg * (x - mean) * (x - mean);
  for (double x : xi) var += wi * (x - mean) * (x - mean);
  const double sd = var > 0 ? std::sqrt(var) : 1;
  constexpr double kRidge = 1e-4;
  double a = 0, b = 0;  // in standardised units
  auto loss = [&](double a0, double b0) {
    double l = 0;
    for (double x : xg) l += wg * Softplus(-(a0 + b0 * (x - mean) / sd));
    for (double x : xi) l += wi * Softplus(a0 + b0 * (x - mean) / sd);
    return l + 0.5 * kRidge * b0 * b0;
  };
  for (int iter = 0; iter < 100; ++iter) {
    double ga = 0, gb = kRidge * b, haa = 0, hab = 0, hbb = kRidge;
    auto accumulate = [&](const std::vector<double>& xs, double w, double y) {
      for (double x : xs) {
        const double z = (x - mean) / sd;
        const double p = Sigmoid(a + b * z);
        const double r = w * (p - y), h = w * p * (1 - p);
        ga += r;
        gb += r * z;
        haa += h;
        hab += h * z;
        hbb += h * z * z;
      }
    };
    accumulate(xg, wg, 1);
    accumulate(xi, wi, 0);
    const double det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
    // Damped Newton: halve the step until the loss does not rise.
    const double before = loss(a, b);
    double step = 1;
    while (step > 1e-6 && loss(a - step * da, b - step * db) > before + 1e-15) step /= 2;
    a -= step * da;
    b -= step * db;
    if (std::abs(step * da) < 1e-10 && std::abs(step * db) < 1e-10) break;
  }
  c.b = b / sd;
  c.a = a - b * mean / sd;
  return loss(a, b);
}

}  // namespace

double Calibration::Llr(double raw) const {
  double llr = method == "log10-lr" ? raw * std::log(10.0) : a + b * Feature(*this, raw);
  return std::clamp(llr, llr_min, llr_max);
}

Result<Calibration> FitLogistic(std::string modality, const std::vector<double>& genuine,
                                const std::vector<double>& impostor) {
  if (genuine.empty() || impostor.empty()) {
    return Status::InvalidArgument("calibration needs genuine and impostor scores (got " +
                                   std::to_string(genuine.size()) + " genuine, " + std::to_string(impostor.size()) +
                                   " impostor)");
  }
  for (const auto* set : {&genuine, &impostor}) {
    for (double s : *set) {
      if (!std::isfinite(s)) return Status::InvalidArgument("calibration: a score is not a finite number");
    }
  }
  Calibration best;
  double best_loss = 0;
  for (const char* transform : {"identity", "log"}) {
    Calibration c;
    c.modality = modality;
    c.transform = transform;
    const double l = FitOne(c, genuine, impostor);
    if (transform == std::string("identity") || l < best_loss) {
      best = c;
      best_loss = l;
    }
  }
  best.genuine = genuine.size();
  best.impostor = impostor.size();
  best.llr_min = -std::log(static_cast<double>(genuine.size()) + 1);
  best.llr_max = std::log(static_cast<double>(impostor.size()) + 1);
  return best;
}

Calibration Log10LrCalibration(std::string modality) {
  Calibration c;
  c.modality = std::move(modality);
  c.method = "log10-lr";
  c.transform = "identity";
  c.source = "the raw score is log10 LR (no fit)";
  return c;
}

std::string CalibrationToJson(const Calibration& c) {
  nlohmann::json j{{"format", kCalibrationFormat}, {"modality", c.modality}, {"method", c.method}};
  if (c.method == "logistic") {
    j["transform"] = c.transform;
    j["epsilon"] = c.epsilon;
    j["a"] = c.a;
    j["b"] = c.b;
    j["llr_min"] = c.llr_min;
    j["llr_max"] = c.llr_max;
    j["genuine"] = c.genuine;
    j["impostor"] = c.impostor;
  }
  j["source"] = c.source;
  return j.dump(2) + "\n";
}

Result<Calibration> ParseCalibrationJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("calibration: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("calibration: expected a JSON object");
  auto text_field = [&](const char* name, bool required, std::string& out) -> Status {
    auto it = j.find(name);
    if (it == j.end()) {
      return required ? Status::InvalidArgument(std::string("calibration: missing field '") + name + "'") : Status::Ok();
    }
    if (!it->is_string()) return Status::InvalidArgument(std::string("calibration: field '") + name + "' must be a string");
    out = it->get<std::string>();
    return Status::Ok();
  };
  auto number_field = [&](const char* name, double& out) -> Status {
    auto it = j.find(name);
    if (it == j.end()) return Status::InvalidArgument(std::string("calibration: missing field '") + name + "'");
    if (!it->is_number()) return Status::InvalidArgument(std::string("calibration: field '") + name + "' must be a number");
    out = it->get<double>();
    if (!std::isfinite(out)) return Status::InvalidArgument(std::string("calibration: field '") + name + "' is not finite");
    return Status::Ok();
  };
  std::string format;
  IDREG_RETURN_IF_ERROR(text_field("format", true, format));
  if (format != kCalibrationFormat) {
    return Status::InvalidArgument("calibration: format '" + format + "' is not " + std::string(kCalibrationFormat));
  }
  Calibration c;
  IDREG_RETURN_IF_ERROR(text_field("modality", true, c.modality));
  if (c.modality.empty()) return Status::InvalidArgument("calibration: field 'modality' is empty");
  IDREG_RETURN_IF_ERROR(text_field("method", true, c.method));
  IDREG_RETURN_IF_ERROR(text_field("source", false, c.source));
  if (c.method == "log10-lr") {
    Calibration fixed = Log10LrCalibration(c.modality);
    fixed.source = c.source;
    return fixed;
  }
  if (c.method != "logistic") {
    return Status::InvalidArgument("calibration: method '" + c.method + "' is not logistic or log10-lr");
  }
  IDREG_RETURN_IF_ERROR(text_field("transform", true, c.transform));
  if (c.transform != "identity" && c.transform != "log") {
    return Status::InvalidArgument("calibration: transform '" + c.transform + "' is not identity or log");
  }
  IDREG_RETURN_IF_ERROR(number_field("epsilon", c.epsilon));
  IDREG_RETURN_IF_ERROR(number_field("a", c.a));
  IDREG_RETURN_IF_ERROR(number_field("b", c.b));
  IDREG_RETURN_IF_ERROR(number_field("llr_min", c.llr_min));
  IDREG_RETURN_IF_ERROR(number_field("llr_max", c.llr_max));
  if (c.transform == "log" && !(c.epsilon > 0)) return Status::InvalidArgument("calibration: epsilon must be > 0");
  if (!(c.b >= 0)) return Status::InvalidArgument("calibration: slope 'b' must be >= 0 (higher scores, more likely mated)");
  if (!(c.llr_min <= c.llr_max)) return Status::InvalidArgument("calibration: llr_min is above llr_max");
  double g = 0, i = 0;
  IDREG_RETURN_IF_ERROR(number_field("genuine", g));
  IDREG_RETURN_IF_ERROR(number_field("impostor", i));
  if (g < 0 || i < 0 || g > 1e15 || i > 1e15) return Status::InvalidArgument("calibration: set sizes out of range");
  c.genuine = static_cast<size_t>(g);
  c.impostor = static_cast<size_t>(i);
  return c;
}

std::string DefaultCalibrationDir() {
  if (const char* env = std::getenv("IDREG_CALIBRATION_DIR"); env && *env) return env;
  return IDREG_DEFAULT_CALIBRATION_DIR;
}

Result<std::map<std::string, Calibration>> LoadCalibrationDir(const std::string& dir) {
  std::map<std::string, Calibration> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::ifstream f(e.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto c = ParseCalibrationJson(text);
    if (!c.ok()) return c.status().WithContext(e.path().string());
    out[c->modality] = *c;
  }
  return out;
}

namespace {

// One RFC 4180 record from `text` at `pos` (quoted fields may hold commas, quotes and newlines).
Status NextRecord(std::string_view text, size_t& pos, size_t line, std::vector<std::string>& fields) {
  fields.assign(1, "");
  bool quoted = false;
  while (pos < text.size()) {
    const char ch = text[pos++];
    if (quoted) {
      if (ch == '"') {
        if (pos < text.size() && text[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        fields.back() += ch;
      }
    } else if (ch == '"' && fields.back().empty()) {
      quoted = true;
    } else if (ch == ',') {
      fields.emplace_back();
    } else if (ch == '\n') {
      return Status::Ok();
    } else if (ch != '\r') {
      fields.back() += ch;
    }
  }
  if (quoted) return Status::InvalidArgument("scores: line " + std::to_string(line) + ": unterminated quote");
  return Status::Ok();
}

}  // namespace

Result<ScoreSets> ParseScoresCsv(std::string_view text) {
  size_t pos = 0, line = 1;
  std::vector<std::string> f;
  IDREG_RETURN_IF_ERROR(NextRecord(text, pos, line, f));
  if (f != std::vector<std::string>{"probe", "reference", "score", "genuine"}) {
    return Status::InvalidArgument("scores: line 1: expected the header probe,reference,score,genuine");
  }
  ScoreSets sets;
  while (pos < text.size()) {
    ++line;
    IDREG_RETURN_IF_ERROR(NextRecord(text, pos, line, f));
    if (f.size() == 1 && f[0].empty()) continue;  // a blank line (the file's end)
    const std::string where = "scores: line " + std::to_string(line) + ": ";
    if (f.size() != 4) return Status::InvalidArgument(where + "expected 4 columns, got " + std::to_string(f.size()));
    char* end = nullptr;
    errno = 0;
    const double score = std::strtod(f[2].c_str(), &end);
    if (f[2].empty() || *end != '\0' || !std::isfinite(score)) {
      return Status::InvalidArgument(where + "column 3 (score) is not a finite number: '" + f[2].substr(0, 40) + "'");
    }
    if (f[3] == "1") {
      sets.genuine.push_back(score);
    } else if (f[3] == "0") {
      sets.impostor.push_back(score);
    } else {
      return Status::InvalidArgument(where + "column 4 (genuine) must be 1 or 0, got '" + f[3].substr(0, 40) + "'");
    }
  }
  return sets;
}

}  // namespace idreg::match
