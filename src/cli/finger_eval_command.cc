// `idreg eval finger --dataset DIR [--protocol fvc|all] [--json] [--det FILE.svg] [--scores FILE]`:
// FVC-style verification figures for one database of images named FFF_I.<ext>.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "cli/eval_commands.h"
#include "cli/finger_commands.h"
#include "idreg/core/parallel_for.h"
#include "idreg/eval/det_plot.h"
#include "idreg/eval/error_rates.h"
#include "idreg/eval/score_file.h"
#include "idreg/finger/extractor.h"
#include "idreg/finger/matcher.h"
#include "idreg/image/decode.h"

namespace idreg::cli {
namespace {

struct Sample {
  std::string name;  // file name
  int finger = 0;
  int impression = 0;
  std::optional<finger::FingerTemplate> tmpl;
  double extract_ms = 0;
};

Result<std::vector<Sample>> ListDataset(const std::string& dir) {
  static const std::regex kName(R"(^(\d+)_(\d+)\.(tif|tiff|png|bmp|jpg|jpeg)$)", std::regex::icase);
  std::vector<Sample> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::smatch m;
    if (!entry.is_regular_file() || !std::regex_match(name, m, kName)) continue;
    out.push_back({name, std::stoi(m[1]), std::stoi(m[2]), std::nullopt, 0});
  }
  if (ec) return Status::NotFound("cannot list the dataset directory " + dir + ": " + ec.message());
  if (out.size() < 2)
    return Status::InvalidArgument("the dataset " + dir + " holds fewer than two images named FFF_I.<ext>");
  std::sort(out.begin(), out.end(), [](const Sample& a, const Sample& b) {
    return std::tie(a.finger, a.impression, a.name) < std::tie(b.finger, b.impression, b.name);
  });
  return out;
}

struct PairIndex {
  size_t a, b;
  bool genuine;
};

std::vector<PairIndex> MakePairs(const std::vector<Sample>& s, bool all) {
  std::map<int, int> first_impression;
  for (const Sample& x : s) {
    if (!first_impression.count(x.finger)) first_impression[x.finger] = x.impression;
  }
  std::vector<PairIndex> pairs;
  for (size_t i = 0; i < s.size(); ++i) {
    for (size_t j = i + 1; j < s.size(); ++j) {
      if (s[i].finger == s[j].finger) {
        pairs.push_back({i, j, true});
      } else if (all || (s[i].impression == first_impression[s[i].finger] &&
                         s[j].impression == first_impression[s[j].finger])) {
        pairs.push_back({i, j, false});
      }
    }
  }
  return pairs;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

struct Options {
  std::string dataset, protocol = "all", det, scores;
  bool json = false;
  double ppi = 0;
  bool identify = false;
  std::vector<double> shortlist_percents{10, 20, 40};
};

void RunEval(Context& ctx, const Options& opt) {
  const std::string& dir = opt.dataset;
  const std::string& protocol = opt.protocol;
  const bool json = opt.json;
  const std::string& det_path = opt.det;
  const std::string& scores_path = opt.scores;
  const double ppi = opt.ppi;
  auto listed = ListDataset(dir);
  if (!listed.ok()) return ctx.Fail(listed.status());
  std::vector<Sample> samples = std::move(*listed);
  ParallelFor(samples.size(), [&](size_t i) {
    const auto start = std::chrono::steady_clock::now();
    auto t = LoadFingerTemplate((std::filesystem::path(dir) / samples[i].name).string(), ppi);
    samples[i].extract_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (t.ok()) samples[i].tmpl = std::move(*t);
  });
  std::vector<finger::SearchTemplate> search(samples.size());
  size_t failures = 0;
  std::vector<double> extract_ms;
  for (size_t i = 0; i < samples.size(); ++i) {
    extract_ms.push_back(samples[i].extract_ms);
    if (samples[i].tmpl)
      search[i] = finger::SearchTemplate(*samples[i].tmpl);
    else
      ++failures;
  }
  const std::vector<PairIndex> pairs = MakePairs(samples, protocol == "all");
  std::vector<double> scores(pairs.size(), 0);
  const auto start = std::chrono::steady_clock::now();
  ParallelFor(pairs.size(), [&](size_t p) {
    const PairIndex& pi = pairs[p];
    if (!samples[pi.a].tmpl || !samples[pi.b].tmpl) return;  // a failure to extract is a non-match
    scores[p] = finger::FingerProbe(search[pi.a]).Match(search[pi.b]);
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> genuine, impostor;
  std::vector<eval::ScoredPair> rows;
  for (size_t p = 0; p < pairs.size(); ++p) {
    (pairs[p].genuine ? genuine : impostor).push_back(scores[p]);
    rows.push_back({samples[pairs[p].a].name, samples[pairs[p].b].name, scores[p], pairs[p].genuine});
  }
  const eval::ErrorRates r = eval::ComputeErrorRates(genuine, impostor);

  // Does the quality score predict failures? The share of genuine non-matches at the EER threshold
  // that involve an image of the worst-scored decile.
  std::vector<int> qualities;
  for (const Sample& s : samples) qualities.push_back(s.tmpl ? s.tmpl->quality : -1);
  std::vector<int> sorted_q(qualities);
  std::sort(sorted_q.begin(), sorted_q.end());
  const int decile = sorted_q[sorted_q.size() / 10];
  size_t genuine_failures = 0, in_worst_decile = 0;
  for (size_t p = 0; p < pairs.size(); ++p) {
    if (!pairs[p].genuine || scores[p] >= r.eer_threshold) continue;
    ++genuine_failures;
    in_worst_decile += qualities[pairs[p].a] <= decile || qualities[pairs[p].b] <= decile;
  }
  const double compare_per_s = seconds > 0 ? pairs.size() / seconds : 0;
  nlohmann::json identification;
  if (opt.identify) {
    std::vector<const finger::FingerTemplate*> templates;
    std::vector<int> fingers;
    for (const Sample& x : samples) {
      templates.push_back(x.tmpl ? &*x.tmpl : nullptr);
      fingers.push_back(x.finger);
    }
    identification = EvalFingerIdentification(templates, fingers, opt.shortlist_percents);
  }

  if (!scores_path.empty()) {
    Status s = eval::WriteScoresCsv(scores_path, rows);
    if (!s.ok()) return ctx.Fail(s);
  }
  if (!det_path.empty()) {
    eval::DetSeries series{std::filesystem::path(dir).filename().string(),
                           eval::ComputeDet(genuine, impostor), r};
    std::ofstream out(det_path, std::ios::trunc);
    out << eval::RenderDetSvg({series}, "DET, fingerprint, " + series.label + ", protocol " + protocol);
    if (!out) return ctx.Fail(Status::NotFound("cannot write the DET plot " + det_path));
  }
  if (json) {
    nlohmann::json j = {{"dataset", dir},
                        {"protocol", protocol},
                        {"images", samples.size()},
                        {"genuine", r.genuine},
                        {"impostor", r.impostor},
                        {"eer", r.eer},
                        {"eer_threshold", r.eer_threshold},
                        {"fmr100", r.fmr100},
                        {"fmr1000", r.fmr1000},
                        {"zero_fmr", r.zero_fmr},
                        {"failures_to_extract", failures},
                        {"extract_ms_median", Median(extract_ms)},
                        {"compare_per_s", compare_per_s},
                        {"threads", std::max(1u, std::thread::hardware_concurrency())},
                        {"genuine_failures_at_eer", genuine_failures},
                        {"genuine_failures_in_worst_quality_decile", in_worst_decile}};
    if (opt.identify) j["identification"] = identification;
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "dataset:             %s (%zu images, protocol %s)\n"
                "pairs:               %zu genuine, %zu impostor\n"
                "EER:                 %.2f%% (threshold %.4f)\n"
                "FMR100:              %.2f%%\nFMR1000:             %.2f%%\nZeroFMR:             %.2f%%\n"
                "failures to extract: %zu\nextraction:          %.1f ms median per image\n"
                "comparisons:         %.0f per second (%u threads)\n"
                "quality:             %zu of %zu genuine failures at the EER involve the worst decile\n",
                dir.c_str(), samples.size(), protocol.c_str(), r.genuine, r.impostor, r.eer * 100,
                r.eer_threshold, r.fmr100 * 100, r.fmr1000 * 100, r.zero_fmr * 100, failures,
                Median(extract_ms), compare_per_s, std::max(1u, std::thread::hardware_concurrency()),
                in_worst_decile, genuine_failures);
  *ctx.out << buf;
  if (opt.identify) {
    std::snprintf(buf, sizeof buf, "rank-1 (1:N, %zu):    %.2f%% exhaustive\n",
                  identification["probes"].get<size_t>(), identification["rank1_exhaustive"].get<double>() * 100);
    *ctx.out << buf;
    for (const auto& s : identification["shortlists"]) {
      std::snprintf(buf, sizeof buf, "                     %.2f%% with a %zu-template coarse shortlist (%.0f%%)\n",
                    s["rank1"].get<double>() * 100, s["shortlist"].get<size_t>(), s["percent"].get<double>());
      *ctx.out << buf;
    }
  }
}

}  // namespace

void AddEvalFinger(CLI::App& eval, Context& ctx) {
  auto* cmd =
      eval.add_subcommand("finger", "Fingerprint verification accuracy on one database (FFF_I.<ext> images)");
  auto opt = std::make_shared<Options>();
  cmd->add_option("--dataset", opt->dataset, "Directory of images named FFF_I.<ext> (finger, impression)")
      ->required();
  cmd->add_option("--protocol", opt->protocol,
                  "fvc: impostors are first impressions only; all: every cross-finger pair")
      ->check(CLI::IsMember({"fvc", "all"}));
  cmd->add_flag("--json", opt->json, "Print one JSON object");
  cmd->add_option("--det", opt->det, "Write the DET curve as SVG");
  cmd->add_option("--scores", opt->scores,
                  "Write every compared pair as CSV (probe,reference,score,genuine)");
  cmd->add_option("--ppi", opt->ppi, "Resolution of images that do not state it (default 500)");
  cmd->add_flag("--identify", opt->identify,
               "Also 1:N: each image searched against the others, exhaustively and with coarse shortlists");
  cmd->add_option("--shortlist", opt->shortlist_percents,
                  "Coarse shortlist sizes for --identify, in percent of the gallery (default 10 20 40)")
      ->check(CLI::Range(0.1, 100.0));
  cmd->callback([&ctx, opt] { RunEval(ctx, *opt); });
}

}  // namespace idreg::cli
