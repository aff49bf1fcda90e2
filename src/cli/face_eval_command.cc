// `idreg eval face --dataset DIR [--no-detect] [--json] [--det FILE.svg] [--scores FILE]`:
// verification and rank-1 identification figures on a folder of identities (one sub-folder per
// person). Photos are detected, aligned and embedded; --no-detect takes each image as the crop.
// `idreg eval face --lfw DIR --pairs pairs.txt [--no-detect] [--json]`: the LFW View 2 protocol
// (10-fold accuracy, idreg/face/lfw_protocol.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/eval_commands.h"
#include "cli/face_commands.h"
#include "idreg/core/parallel_for.h"
#include "idreg/eval/det_plot.h"
#include "idreg/eval/error_rates.h"
#include "idreg/eval/score_file.h"
#include "idreg/face/lfw_protocol.h"
#include "idreg/face/parameters.h"

namespace idreg::cli {
namespace {

bool IsImageName(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".tif" || ext == ".tiff";
}

struct Sample {
  std::string name;  // identity/file
  std::string path;
  int identity = 0;
  std::optional<face::Descriptor> descriptor;
  double embed_ms = 0;
};

Result<std::vector<Sample>> ListDataset(const std::string& dir, size_t* identities) {
  std::vector<std::filesystem::path> people;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_directory()) people.push_back(e.path());
  if (ec) return Status::NotFound("cannot list the dataset directory " + dir + ": " + ec.message());
  std::sort(people.begin(), people.end());
  std::vector<Sample> out;
  *identities = 0;
  for (const auto& person : people) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(person, ec))
      if (e.is_regular_file() && IsImageName(e.path())) files.push_back(e.path());
    if (files.empty()) continue;
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      out.push_back({person.filename().string() + "/" + f.filename().string(), f.string(), static_cast<int>(*identities),
                     std::nullopt, 0});
    ++*identities;
  }
  if (*identities < 2 || out.size() < 3)
    return Status::InvalidArgument("the dataset " + dir + " needs at least two identity folders holding images");
  return out;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

void RunEval(Context& ctx, const std::string& dir, bool no_detect, bool json, const std::string& det_path,
             const std::string& scores_path, const std::string& align) {
  auto nets = FaceNetworksOrError();
  if (!nets.ok()) return ctx.Fail(nets.status());
  size_t identities = 0;
  auto listed = ListDataset(dir, &identities);
  if (!listed.ok()) return ctx.Fail(listed.status());
  std::vector<Sample> s = std::move(*listed);
  const face::AlignMode mode = align == "axis" ? face::AlignMode::kAxisAligned : face::AlignMode::kEyesLevelled;
  ParallelFor(s.size(), [&](size_t i) {
    const auto start = std::chrono::steady_clock::now();
    auto f = LoadFace(**nets, s[i].path, no_detect, /*check_quality=*/false, mode);
    s[i].embed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (f.ok()) s[i].descriptor = f->descriptor;
  });
  size_t failures = 0;
  std::vector<double> embed_ms;
  for (const Sample& x : s) {
    embed_ms.push_back(x.embed_ms);
    failures += !x.descriptor;
  }
  // Every pair once; a failure to enroll scores as the least similar (it cannot be matched).
  std::vector<double> genuine, impostor;
  std::vector<eval::ScoredPair> rows;
  std::vector<std::vector<float>> dist(s.size(), std::vector<float>(s.size(), 1e9f));
  for (size_t i = 0; i < s.size(); ++i) {
    for (size_t j = i + 1; j < s.size(); ++j) {
      const bool ok = s[i].descriptor && s[j].descriptor;
      const float d = ok ? face::DescriptorDistance(*s[i].descriptor, *s[j].descriptor) : 1e9f;
      dist[i][j] = dist[j][i] = d;
      const double score = ok ? 1.0 - d : -1.0;
      const bool same = s[i].identity == s[j].identity;
      (same ? genuine : impostor).push_back(score);
      rows.push_back({s[i].name, s[j].name, score, same});
    }
  }
  size_t rank1 = 0, searches = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    bool has_mate = false;
    for (size_t j = 0; j < s.size(); ++j) has_mate = has_mate || (j != i && s[j].identity == s[i].identity);
    if (!has_mate) continue;
    ++searches;
    if (!s[i].descriptor) continue;
    size_t best = i;
    for (size_t j = 0; j < s.size(); ++j)
      if (j != i && (best == i || dist[i][j] < dist[i][best])) best = j;
    rank1 += best != i && s[best].identity == s[i].identity && dist[i][best] < 1e8f;
  }
  const eval::ErrorRates r = eval::ComputeErrorRates(genuine, impostor);
  size_t genuine_rejected = 0, impostor_accepted = 0;
  for (double g : genuine) genuine_rejected += g < 1.0 - face::kMatchDistanceThreshold;
  for (double m : impostor) impostor_accepted += m >= 1.0 - face::kMatchDistanceThreshold;

  if (!scores_path.empty()) {
    Status st = eval::WriteScoresCsv(scores_path, rows);
    if (!st.ok()) return ctx.Fail(st);
  }
  if (!det_path.empty()) {
    eval::DetSeries series{std::filesystem::path(dir).filename().string(), eval::ComputeDet(genuine, impostor), r};
    std::ofstream out(det_path, std::ios::trunc);
    out << eval::RenderDetSvg({series}, "DET, face, " + series.label);
    if (!out) return ctx.Fail(Status::NotFound("cannot write the DET plot " + det_path));
  }
  const double rank1_rate = searches ? static_cast<double>(rank1) / searches : 0;
  const double fnmr_at_default = genuine.empty() ? 0 : static_cast<double>(genuine_rejected) / genuine.size();
  const double fmr_at_default = impostor.empty() ? 0 : static_cast<double>(impostor_accepted) / impostor.size();
  if (json) {
    *ctx.out << nlohmann::json{{"dataset", dir},
                               {"detect", !no_detect},
                               {"align", align},
                               {"identities", identities},
                               {"images", s.size()},
                               {"genuine", r.genuine},
                               {"impostor", r.impostor},
                               {"eer", r.eer},
                               {"eer_threshold_similarity", r.eer_threshold},
                               {"fnmr_at_fmr_1e-2", r.fmr100},
                               {"fnmr_at_fmr_1e-3", r.fmr1000},
                               {"default_distance_threshold", face::kMatchDistanceThreshold},
                               {"fnmr_at_default_threshold", fnmr_at_default},
                               {"fmr_at_default_threshold", fmr_at_default},
                               {"rank1", rank1_rate},
                               {"rank1_searches", searches},
                               {"failures_to_enroll", failures},
                               {"embed_ms_median", Median(embed_ms)},
                               {"threads", std::max(1u, std::thread::hardware_concurrency())}}
                    .dump(2)
             << "\n";
    return;
  }
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "dataset:             %s (%zu identities, %zu images, %s, align %s)\n"
                "pairs:               %zu genuine, %zu impostor\n"
                "EER:                 %.2f%% (similarity %.4f = distance %.4f)\n"
                "FNMR at FMR 1e-3:    %.2f%%\n"
                "at distance %.2f:     FNMR %.2f%%, FMR %.3f%%\n"
                "rank-1:              %.2f%% (%zu of %zu searches)\n"
                "failures to enroll:  %zu\nembedding:           %.1f ms median per image\n",
                dir.c_str(), identities, s.size(), no_detect ? "crops" : "detect", align.c_str(), r.genuine, r.impostor,
                r.eer * 100, r.eer_threshold, 1 - r.eer_threshold, r.fmr1000 * 100, face::kMatchDistanceThreshold,
                fnmr_at_default * 100, fmr_at_default * 100, rank1_rate * 100, rank1, searches, failures,
                Median(embed_ms));
  *ctx.out << buf;
}

// Each distinct image of the protocol is embedded once; a pair with an image without a usable face
// is decided "different" (it counts against same pairs), as a deployed system would decide.
void RunLfw(Context& ctx, const std::string& dir, const std::string& pairs_path, bool no_detect, bool json,
            const std::string& align) {
  std::ifstream in(pairs_path, std::ios::binary);
  if (!in) return ctx.Fail(Status::NotFound("cannot read the LFW pairs file " + pairs_path));
  std::stringstream text;
  text << in.rdbuf();
  auto protocol = face::ParseLfwPairs(text.str());
  if (!protocol.ok()) return ctx.Fail(protocol.status());
  std::vector<std::string> paths;
  std::map<std::string, size_t> index;
  std::vector<std::pair<size_t, size_t>> pair_images;
  for (const face::LfwPair& p : protocol->pairs) {
    size_t ends[2];
    const std::pair<const std::string*, int> sides[2] = {{&p.name_a, p.image_a}, {&p.name_b, p.image_b}};
    for (int k = 0; k < 2; ++k) {
      const std::string path = face::LfwImagePath(dir, *sides[k].first, sides[k].second);
      auto [it, added] = index.emplace(path, paths.size());
      if (added) {
        if (!std::filesystem::is_regular_file(path))
          return ctx.Fail(Status::NotFound("the LFW folder " + dir + " has no image " + path +
                                           " (named by " + pairs_path + ")"));
        paths.push_back(path);
      }
      ends[k] = it->second;
    }
    pair_images.push_back({ends[0], ends[1]});
  }
  auto nets = FaceNetworksOrError();
  if (!nets.ok()) return ctx.Fail(nets.status());
  const face::AlignMode mode = align == "axis" ? face::AlignMode::kAxisAligned : face::AlignMode::kEyesLevelled;
  std::vector<std::optional<face::Descriptor>> desc(paths.size());
  ParallelFor(paths.size(), [&](size_t i) {
    auto f = LoadFace(**nets, paths[i], no_detect, /*check_quality=*/false, mode);
    if (f.ok()) desc[i] = f->descriptor;
  });
  size_t failures = 0;
  for (const auto& d : desc) failures += !d;
  std::vector<double> distances;
  for (const auto& [a, b] : pair_images)
    distances.push_back(desc[a] && desc[b] ? face::DescriptorDistance(*desc[a], *desc[b])
                                           : std::numeric_limits<double>::infinity());
  const face::LfwResult r = face::EvaluateLfw(*protocol, distances);
  if (json) {
    nlohmann::json folds = nlohmann::json::array();
    for (const face::LfwFold& f : r.folds) folds.push_back({{"accuracy", f.accuracy}, {"threshold_distance", f.threshold}});
    *ctx.out << nlohmann::json{{"lfw", dir},
                               {"pairs_file", pairs_path},
                               {"detect", !no_detect},
                               {"align", align},
                               {"folds", protocol->folds},
                               {"pairs", protocol->pairs.size()},
                               {"images", paths.size()},
                               {"failures_to_enroll", failures},
                               {"mean_accuracy", r.mean_accuracy},
                               {"standard_error", r.standard_error},
                               {"fold_results", folds}}
                    .dump(2)
             << "\n";
    return;
  }
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "LFW:                 %s (%d folds, %zu pairs, %zu images, %s, align %s)\n"
                "accuracy:            %.2f%% +- %.2f%% (mean over folds +- standard error)\n"
                "failures to enroll:  %zu images (their pairs decided \"different\")\n",
                dir.c_str(), protocol->folds, protocol->pairs.size(), paths.size(), no_detect ? "crops" : "detect",
                align.c_str(), r.mean_accuracy * 100, r.standard_error * 100, failures);
  *ctx.out << buf;
  for (size_t f = 0; f < r.folds.size(); ++f) {
    std::snprintf(buf, sizeof buf, "  fold %2zu: accuracy %.2f%% at distance <= %.4f\n", f + 1, r.folds[f].accuracy * 100,
                  r.folds[f].threshold);
    *ctx.out << buf;
  }
}

}  // namespace

void AddEvalFace(CLI::App& eval, Context& ctx) {
  auto* cmd = eval.add_subcommand("face", "Face verification and rank-1 identification on a folder of identities");
  struct Options {
    std::string dataset, det, scores, align = "level", lfw, pairs;
    bool json = false, no_detect = false;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("--dataset", opt->dataset, "Directory with one folder of images per identity");
  cmd->add_option("--lfw", opt->lfw, "LFW folder (NAME/NAME_0001.jpg): run the View 2 protocol of --pairs");
  cmd->add_option("--pairs", opt->pairs, "LFW View 2 pairs file (pairs.txt) for --lfw");
  cmd->add_flag("--no-detect", opt->no_detect, "Images already are face crops (landmarks + alignment only)");
  cmd->add_flag("--json", opt->json, "Print one JSON object");
  cmd->add_option("--det", opt->det, "Write the DET curve as SVG");
  cmd->add_option("--scores", opt->scores,
                  "Write every compared pair as CSV (probe,reference,score,genuine; score = 1 - distance)");
  cmd->add_option("--align", opt->align, "level: eyes levelled by rotation (default); axis: face-api.js's square")
      ->check(CLI::IsMember({"level", "axis"}));
  cmd->callback([&ctx, opt] {
    if (!opt->lfw.empty() || !opt->pairs.empty()) {
      if (opt->lfw.empty() || opt->pairs.empty() || !opt->dataset.empty())
        return ctx.Fail(Status::InvalidArgument("eval face: --lfw and --pairs go together, without --dataset"));
      return RunLfw(ctx, opt->lfw, opt->pairs, opt->no_detect, opt->json, opt->align);
    }
    if (opt->dataset.empty()) return ctx.Fail(Status::InvalidArgument("eval face: give --dataset DIR or --lfw DIR --pairs FILE"));
    RunEval(ctx, opt->dataset, opt->no_detect, opt->json, opt->det, opt->scores, opt->align);
  });
}

}  // namespace idreg::cli
