// `idreg eval voice --dataset DIR [--segment-seconds 3] [--json] [--det FILE.svg] [--scores FILE]`:
// speaker verification and identification figures on one folder of recordings per speaker. Each
// speaker's speech (after VAD, files in name order) enrolls with its first --enroll-seconds; the
// rest is cut into probe segments; every probe is scored against every enrolled speaker.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/eval_commands.h"
#include "idreg/core/parallel_for.h"
#include "idreg/eval/det_plot.h"
#include "idreg/eval/error_rates.h"
#include "idreg/eval/score_file.h"
#include "idreg/voice/dataset.h"
#include "idreg/voice/speaker_model.h"
#include "idreg/voice/voice_template.h"

namespace idreg::cli {
namespace {

constexpr double kFramesPerSecond = 100;  // 10 ms frames

struct Options {
  std::string dataset, model, det, scores, scoring = "snorm";
  double segment_seconds = 3, enroll_seconds = 10;
  size_t max_probes = 40;
  bool json = false;
};

struct Probe {
  size_t speaker;
  size_t index;
  voice::FeatureMatrix features;
  voice::VoiceTemplate tmpl;
};

void RunEval(Context& ctx, const Options& o) {
  if (!(o.segment_seconds >= 0.5 && o.segment_seconds <= 60) || !(o.enroll_seconds >= 1 && o.enroll_seconds <= 600))
    return ctx.Fail(Status::InvalidArgument("--segment-seconds must be 0.5-60 and --enroll-seconds 1-600"));
  if (o.scoring != "snorm" && o.scoring != "cosine" && o.scoring != "llr")
    return ctx.Fail(Status::InvalidArgument("--scoring must be snorm, cosine or llr"));
  auto model = voice::GmmUbmModel::Load(o.model.empty() ? voice::DefaultModelPath() : std::filesystem::path(o.model));
  if (!model.ok()) return ctx.Fail(model.status());
  auto folders = voice::ListSpeakerFolders(o.dataset);
  if (!folders.ok()) return ctx.Fail(folders.status());
  const std::set<std::string> trained(model->training_speakers().begin(), model->training_speakers().end());
  std::vector<std::string> overlap;
  for (const auto& f : *folders)
    if (trained.count(f.speaker)) overlap.push_back(f.speaker);
  if (!overlap.empty()) {
    std::string list;
    for (const auto& s : overlap) list += (list.empty() ? "" : ", ") + s;
    return ctx.Fail(Status::InvalidArgument("the dataset shares speakers with the background model's training data (" +
                                            list + "); evaluate on other speakers"));
  }
  const auto start = std::chrono::steady_clock::now();
  // Enough speech for the enrollment and the probes (evenly spaced over the next 5 minutes at most).
  const auto speech = voice::LoadSpeech(*folders, o.enroll_seconds + 300, 2);

  std::vector<std::string> speakers, excluded;
  std::vector<voice::VoiceTemplate> refs;
  std::vector<std::vector<float>> ref_offsets;
  std::vector<Probe> probes;
  const size_t enroll_frames = size_t(o.enroll_seconds * kFramesPerSecond);
  size_t files = 0, unusable = 0;
  for (const auto& s : speech) {
    files += s.files;
    unusable += s.unusable;
    if (s.speech.frames() < enroll_frames + size_t(o.segment_seconds * kFramesPerSecond)) {
      excluded.push_back(s.speaker);
      continue;
    }
    voice::FeatureMatrix enroll;
    enroll.dim = s.speech.dim;
    enroll.data.assign(s.speech.row(0), s.speech.row(enroll_frames));
    voice::ApplyCmvn(enroll);
    auto t = voice::MakeTemplate(*model, enroll, o.enroll_seconds);
    if (!t.ok()) return ctx.Fail(t.status());
    const size_t id = speakers.size();
    speakers.push_back(s.speaker);
    refs.push_back(std::move(*t));
    if (o.scoring == "llr") ref_offsets.push_back(model->AdaptedOffsets(enroll));
    auto segs = voice::CutSegments(s.speech, enroll_frames, o.segment_seconds, o.max_probes);
    for (size_t k = 0; k < segs.size(); ++k) probes.push_back({id, k, std::move(segs[k]), {}});
  }
  if (speakers.size() < 2) return ctx.Fail(Status::InvalidArgument("fewer than two speakers have enough speech"));

  std::vector<std::vector<double>> scores(probes.size());
  std::vector<const std::vector<float>*> offset_ptrs;
  for (const auto& v : ref_offsets) offset_ptrs.push_back(&v);
  ParallelFor(probes.size(), [&](size_t i) {
    Probe& p = probes[i];
    if (o.scoring == "llr") {
      scores[i] = model->ExpectedLlr(offset_ptrs, p.features);
      return;
    }
    auto t = voice::MakeTemplate(*model, p.features, o.segment_seconds);
    if (!t.ok()) return;
    for (const auto& r : refs)
      scores[i].push_back(o.scoring == "snorm" ? voice::SNormScore(*t, r) : voice::CosineScore(*t, r));
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> genuine, impostor;
  std::vector<eval::ScoredPair> rows;
  size_t rank1_hits = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    const Probe& p = probes[i];
    if (scores[i].size() != refs.size()) return ctx.Fail(Status::Internal("a probe could not be scored"));
    const std::string name = speakers[p.speaker] + "#" + std::to_string(p.index);
    size_t best = 0;
    for (size_t r = 0; r < refs.size(); ++r) {
      const bool g = r == p.speaker;
      (g ? genuine : impostor).push_back(scores[i][r]);
      rows.push_back({name, speakers[r], scores[i][r], g});
      if (scores[i][r] > scores[i][best]) best = r;
    }
    rank1_hits += best == p.speaker;
  }
  const eval::ErrorRates r = eval::ComputeErrorRates(genuine, impostor);
  const double rank1 = probes.empty() ? 0 : double(rank1_hits) / double(probes.size());
  if (!o.scores.empty()) {
    Status s = eval::WriteScoresCsv(o.scores, rows);
    if (!s.ok()) return ctx.Fail(s);
  }
  char seg_label[64];
  std::snprintf(seg_label, sizeof seg_label, "%g s probes", o.segment_seconds);
  if (!o.det.empty()) {
    eval::DetSeries series{seg_label, eval::ComputeDet(genuine, impostor), r};
    std::ofstream out(o.det, std::ios::trunc);
    out << eval::RenderDetSvg({series}, std::string("DET, voice, ") + seg_label + ", " + o.scoring);
    if (!out) return ctx.Fail(Status::NotFound("cannot write the DET plot " + o.det));
  }
  if (o.json) {
    *ctx.out << nlohmann::json{{"dataset", o.dataset},
                               {"model", model->id()},
                               {"scoring", o.scoring},
                               {"segment_seconds", o.segment_seconds},
                               {"enroll_seconds", o.enroll_seconds},
                               {"speakers", speakers.size()},
                               {"speakers_excluded", excluded},
                               {"files", files},
                               {"files_unusable", unusable},
                               {"probes", probes.size()},
                               {"trials", genuine.size() + impostor.size()},
                               {"genuine", genuine.size()},
                               {"impostor", impostor.size()},
                               {"eer", r.eer},
                               {"eer_threshold", r.eer_threshold},
                               {"fnmr_at_fmr_1e-2", r.fmr100},
                               {"fnmr_at_fmr_1e-3", r.fmr1000},
                               {"rank1", rank1},
                               {"seconds", seconds}}
                    .dump(2)
             << "\n";
    return;
  }
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "dataset:   %s (%zu speakers, %zu excluded for lack of speech; %zu files, %zu unusable)\n"
                "protocol:  %.0f s enrollment, %s (%zu probes), scoring %s\n"
                "trials:    %zu genuine, %zu impostor\n"
                "EER:       %.2f%% (threshold %.3f)\nFNMR at FMR 1%%: %.2f%%\nFNMR at FMR 0.1%%: %.2f%%\n"
                "rank-1:    %.2f%%\ntime:      %.1f s\n",
                o.dataset.c_str(), speakers.size(), excluded.size(), files, unusable, o.enroll_seconds, seg_label,
                probes.size(), o.scoring.c_str(), r.genuine, r.impostor, r.eer * 100, r.eer_threshold,
                r.fmr100 * 100, r.fmr1000 * 100, rank1 * 100, seconds);
  *ctx.out << buf;
}

}  // namespace

void AddEvalVoice(CLI::App& eval, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = eval.add_subcommand("voice", "Speaker verification and identification (EER, FNMR at FMR 1%, rank-1)");
  cmd->add_option("--dataset", opt->dataset, "Directory with one folder of recordings per speaker")->required();
  cmd->add_option("--segment-seconds", opt->segment_seconds, "Probe length in seconds of speech (default 3)");
  cmd->add_option("--enroll-seconds", opt->enroll_seconds, "Enrollment length in seconds of speech (default 10)");
  cmd->add_option("--max-probes", opt->max_probes, "Probes per speaker, evenly spaced (default 40)");
  cmd->add_option("--scoring", opt->scoring, "snorm (default), cosine, or llr (GMM-UBM expected LLR)");
  cmd->add_option("--model", opt->model, "Background model file; default $IDREG_MODELS_DIR/voice/ubm.bin");
  cmd->add_flag("--json", opt->json, "Print JSON");
  cmd->add_option("--det", opt->det, "Write the DET curve as SVG");
  cmd->add_option("--scores", opt->scores, "Write every trial as CSV (probe,reference,score,genuine)");
  cmd->callback([&ctx, opt] { RunEval(ctx, *opt); });
}

}  // namespace idreg::cli
