// `idreg face detect|embed|match|identify`: faces, landmarks and quality of a photo, its 128-d
// descriptor, a 1:1 decision and a 1:N search of a directory.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/face_commands.h"
#include "idreg/face/parameters.h"

namespace idreg::cli {
namespace {

nlohmann::json QualityJson(const face::FaceQuality& q) {
  return {{"face_side_px", q.face_side_px},   {"detector_score", q.detector_score},
          {"sharpness", q.sharpness},         {"yaw_ratio", q.yaw_ratio},
          {"roll_deg", q.roll_deg},           {"pitch_ratio", q.pitch_ratio},
          {"mean_luma", q.mean_luma},         {"clipped_fraction", q.clipped_fraction},
          {"acceptable", q.acceptable()},     {"rejections", q.rejections}};
}

nlohmann::json FaceJson(const face::AnalyzedFace& f) {
  nlohmann::json lm = nlohmann::json::array();
  for (const face::Point& p : f.landmarks) lm.push_back({p.x, p.y});
  const face::Box& b = f.detection.box;
  return {{"box", {{"x", b.x}, {"y", b.y}, {"width", b.width}, {"height", b.height}}},
          {"score", f.detection.score},
          {"landmarks", lm},
          {"quality", QualityJson(f.quality)}};
}

void Detect(Context& ctx, const std::string& path, bool json) {
  auto nets = FaceNetworksOrError();
  if (!nets.ok()) return ctx.Fail(nets.status());
  auto img = face::ReadRgbImageFile(path);
  if (!img.ok()) return ctx.Fail(img.status());
  const std::vector<face::AnalyzedFace> faces = face::AnalyzeFaces(**nets, *img);
  if (json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& f : faces) arr.push_back(FaceJson(f));
    *ctx.out << nlohmann::json{{"width", img->width}, {"height", img->height}, {"faces", arr}}.dump(2) << "\n";
    return;
  }
  *ctx.out << faces.size() << " face(s) in " << img->width << "x" << img->height << " " << path << "\n";
  for (const auto& f : faces) {
    const face::Box& b = f.detection.box;
    char buf[256];
    std::snprintf(buf, sizeof buf, "  box %.0f,%.0f %.0fx%.0f  score %.2f  sharpness %.0f  yaw %.2f  roll %.1f  %s",
                  b.x, b.y, b.width, b.height, f.detection.score, f.quality.sharpness, f.quality.yaw_ratio,
                  f.quality.roll_deg, f.quality.acceptable() ? "ok" : "rejected:");
    *ctx.out << buf;
    for (const auto& r : f.quality.rejections) *ctx.out << " " << r << ";";
    *ctx.out << "\n";
  }
}

void Embed(Context& ctx, const std::string& path, bool json, bool no_detect) {
  auto nets = FaceNetworksOrError();
  if (!nets.ok()) return ctx.Fail(nets.status());
  auto f = LoadFace(**nets, path, no_detect, /*check_quality=*/true);
  // Exit 1 when the face was found but refused by the quality gate; 2 when the input is unusable
  // (not an image, truncated, no face).
  if (!f.ok())
    return ctx.Fail(f.status(),
                    f.status().message().find(": face rejected: ") != std::string::npos ? kExitInvalid : kExitUnusable);
  if (json) {
    nlohmann::json j = FaceJson(*f);
    j["descriptor"] = std::vector<float>(f->descriptor.begin(), f->descriptor.end());
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  for (size_t i = 0; i < f->descriptor.size(); ++i) *ctx.out << (i ? " " : "") << f->descriptor[i];
  *ctx.out << "\n";
}

void Match(Context& ctx, const std::string& a, const std::string& b, bool json, bool no_detect) {
  auto nets = FaceNetworksOrError();
  if (!nets.ok()) return ctx.Fail(nets.status());
  auto fa = LoadFace(**nets, a, no_detect, true);
  if (!fa.ok()) return ctx.Fail(fa.status());
  auto fb = LoadFace(**nets, b, no_detect, true);
  if (!fb.ok()) return ctx.Fail(fb.status());
  const float d = face::DescriptorDistance(fa->descriptor, fb->descriptor);
  const bool match = d <= face::kMatchDistanceThreshold;
  if (json) {
    *ctx.out << nlohmann::json{{"distance", d},
                               {"similarity", 1 - d},
                               {"threshold", face::kMatchDistanceThreshold},
                               {"match", match}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "distance " << d << " (" << (match ? "match" : "no match") << " at threshold "
             << face::kMatchDistanceThreshold << ")\n";
  }
}

void Identify(Context& ctx, const std::string& probe_path, const std::string& gallery, size_t top, bool json,
              bool no_detect) {
  auto nets = FaceNetworksOrError();
  if (!nets.ok()) return ctx.Fail(nets.status());
  auto probe = LoadFace(**nets, probe_path, no_detect, true);
  if (!probe.ok()) return ctx.Fail(probe.status());
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(gallery, ec)) {
    if (e.is_regular_file()) paths.push_back(e.path().string());
  }
  if (ec) return ctx.Fail(Status::NotFound("cannot list the gallery " + gallery + ": " + ec.message()));
  std::sort(paths.begin(), paths.end());
  std::vector<float> dist(paths.size(), -1);
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < paths.size();) {
        auto f = LoadFace(**nets, paths[i], no_detect, false);
        if (f.ok()) dist[i] = face::DescriptorDistance(probe->descriptor, f->descriptor);
      }
    });
  }
  for (std::thread& t : pool) t.join();
  std::vector<size_t> order;
  for (size_t i = 0; i < paths.size(); ++i)
    if (dist[i] >= 0) order.push_back(i);
  const size_t skipped = paths.size() - order.size();
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return dist[x] < dist[y]; });
  order.resize(std::min(order.size(), top));
  if (json) {
    nlohmann::json c = nlohmann::json::array();
    for (size_t i : order)
      c.push_back({{"reference", paths[i]}, {"distance", dist[i]}, {"match", dist[i] <= face::kMatchDistanceThreshold}});
    *ctx.out << nlohmann::json{{"candidates", c}, {"gallery_size", paths.size() - skipped}, {"unusable", skipped}}.dump(2)
             << "\n";
    return;
  }
  for (size_t i : order)
    *ctx.out << dist[i] << "  " << paths[i] << (dist[i] <= face::kMatchDistanceThreshold ? "  match" : "") << "\n";
  *ctx.out << (paths.size() - skipped) << " references searched";
  if (skipped) *ctx.out << ", " << skipped << " without a usable face skipped";
  *ctx.out << "\n";
}

}  // namespace

Result<std::shared_ptr<const face::FaceNetworks>> FaceNetworksOrError() {
  static const Result<std::shared_ptr<const face::FaceNetworks>> nets = face::FaceNetworks::LoadDefault();
  return nets;
}

Result<face::AnalyzedFace> LoadFace(const face::FaceNetworks& nets, const std::string& path, bool no_detect,
                                    bool check_quality, face::AlignMode mode) {
  IDREG_ASSIGN_OR_RETURN(face::RgbImage img, face::ReadRgbImageFile(path));
  if (no_detect) {
    face::AnalyzedFace f = face::AnalyzeCrop(nets, img, mode);
    return f;
  }
  std::vector<face::AnalyzedFace> faces = face::AnalyzeFaces(nets, img, mode);
  if (faces.empty()) return Status::NotFound(path + ": no face found");
  if (check_quality && !faces.front().quality.acceptable()) {
    std::string why;
    for (const std::string& r : faces.front().quality.rejections) {
      if (!why.empty()) why += "; ";
      why += r;
    }
    return Status::InvalidArgument(path + ": face rejected: " + why);
  }
  return std::move(faces.front());
}

void AddFaceCommands(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("face", "Faces: detection, landmarks, quality, 128-d descriptors, 1:1 and 1:N");
  cmd->require_subcommand(1);
  struct Options {
    std::string a, b, gallery;
    bool json = false, no_detect = false;
    size_t top = 10;
  };
  auto opt = std::make_shared<Options>();
  auto* detect = cmd->add_subcommand("detect", "Every face of a photo: box, score, 68 landmarks, quality");
  detect->add_option("image", opt->a, "JPEG, PNG, TIFF or BMP photo")->required();
  detect->add_flag("--json", opt->json, "Print JSON");
  detect->callback([&ctx, opt] { Detect(ctx, opt->a, opt->json); });

  auto* embed = cmd->add_subcommand("embed", "The 128-d descriptor of the largest face (quality-checked)");
  embed->add_option("image", opt->a, "Photo")->required();
  embed->add_flag("--json", opt->json, "Print JSON (descriptor, box, landmarks, quality)");
  embed->add_flag("--no-detect", opt->no_detect, "The image already is a face crop");
  embed->callback([&ctx, opt] { Embed(ctx, opt->a, opt->json, opt->no_detect); });

  auto* match = cmd->add_subcommand("match", "Distance of two faces and the decision at the default threshold");
  match->add_option("a", opt->a, "First photo")->required();
  match->add_option("b", opt->b, "Second photo")->required();
  match->add_flag("--json", opt->json, "Print JSON");
  match->add_flag("--no-detect", opt->no_detect, "The images already are face crops");
  match->callback([&ctx, opt] { Match(ctx, opt->a, opt->b, opt->json, opt->no_detect); });

  auto* identify = cmd->add_subcommand("identify", "Search a directory of photos for a probe face");
  identify->add_option("probe", opt->a, "Probe photo")->required();
  identify->add_option("--gallery", opt->gallery, "Directory of photos (searched recursively)")->required();
  identify->add_option("--top", opt->top, "Candidates to list (default 10)");
  identify->add_flag("--json", opt->json, "Print JSON");
  identify->add_flag("--no-detect", opt->no_detect, "The images already are face crops");
  identify->callback([&ctx, opt] { Identify(ctx, opt->a, opt->gallery, opt->top, opt->json, opt->no_detect); });
}

}  // namespace idreg::cli
