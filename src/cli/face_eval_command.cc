// `idreg eval face --dataset DIR [--no-detect] [--json] [--det FILE.svg] [--scores FILE]`:
// verification and rank-1 identification figures on a folder of identities (one sub-folder per
// person). Photos are detected, aligned and embedded; --no-detect takes each image as the crop.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/eval_commands.h"
#include "cli/face_commands.h"
#include "idreg/core/parallel_for.h"
#include "idreg/eval/det_plot.h"
#include "idreg/eval/error_rates.h"
#include "idreg/eval/score_file.h"
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

}  // namespace

void AddEvalFace(CLI::App& eval, Context& ctx) {
  auto* cmd = eval.add_subcommand("face", "Face verification and rank-1 identification on a folder of identities");
  struct Options {
    std::string dataset, det, scores, align = "level";
    bool json = false, no_detect = false;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("--dataset", opt->dataset, "Directory with one folder of images per identity")->required();
  cmd->add_flag("--no-detect", opt->no_detect, "Images already are face crops (landmarks + alignment only)");
  cmd->add_flag("--json", opt->json, "Print one JSON object");
  cmd->add_option("--det", opt->det, "Write the DET curve as SVG");
  cmd->add_option("--scores", opt->scores,
                  "Write every compared pair as CSV (probe,reference,score,genuine; score = 1 - distance)");
  cmd->add_option("--align", opt->align, "level: eyes levelled by rotation (default); axis: face-api.js's square")
      ->check(CLI::IsMember({"level", "axis"}));
  cmd->callback([&ctx, opt] {
    RunEval(ctx, opt->dataset, opt->no_detect, opt->json, opt->det, opt->scores, opt->align);
  });
}

}  // namespace idreg::cli
