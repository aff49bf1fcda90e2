// `idreg voice enroll|match|identify|train-ubm`: speaker templates from recordings, 1:1 and 1:N
// comparison, and the seeded training of the background model.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "idreg/voice/dataset.h"
#include "idreg/voice/gallery.h"
#include "idreg/voice/speaker_model.h"
#include "idreg/voice/voice_template.h"

namespace idreg::cli {
namespace {

Result<voice::GmmUbmModel> LoadModel(const std::string& path) {
  return voice::GmmUbmModel::Load(path.empty() ? voice::DefaultModelPath() : std::filesystem::path(path));
}

// A template file (*.vtpl) is read as is; anything else is a recording to enroll.
Result<voice::VoiceTemplate> LoadOrEnroll(const voice::SpeakerModel& model, const std::string& path) {
  if (std::filesystem::path(path).extension() == ".vtpl") {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound("cannot read " + path);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto t = voice::DecodeTemplate(bytes);
    if (!t.ok()) return Status(t.status().code(), path + ": " + t.status().message());
    if (t->model_id != model.id())
      return Status::InvalidArgument(path + " was made with voice model " + t->model_id +
                                     ", the installed model is " + model.id());
    return t;
  }
  IDREG_ASSIGN_OR_RETURN(voice::Audio audio, voice::ReadAudioFile(path));
  auto t = voice::Enroll(model, {audio});
  if (!t.ok()) return Status(t.status().code(), path + ": " + t.status().message());
  return t;
}

void Enroll(Context& ctx, const std::vector<std::string>& files, const std::string& out, bool json,
            const std::string& model_path) {
  auto model = LoadModel(model_path);
  if (!model.ok()) return ctx.Fail(model.status());
  std::vector<voice::Audio> recordings;
  for (const std::string& f : files) {
    auto a = voice::ReadAudioFile(f);
    if (!a.ok()) return ctx.Fail(a.status());
    recordings.push_back(std::move(*a));
  }
  auto t = voice::Enroll(*model, recordings);
  if (!t.ok()) return ctx.Fail(t.status(), kExitInvalid);
  if (!out.empty()) {
    const std::vector<uint8_t> bytes = voice::EncodeTemplate(*t);
    std::ofstream o(out, std::ios::binary | std::ios::trunc);
    o.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!o) return ctx.Fail(Status::NotFound("cannot write " + out));
  }
  if (json) {
    *ctx.out << nlohmann::json{{"recordings", files.size()},
                               {"speech_seconds", t->speech_seconds},
                               {"model", t->model_id},
                               {"embedding_dim", t->embedding.size()},
                               {"template", out.empty() ? nlohmann::json(nullptr) : nlohmann::json(out)}}
                    .dump(2)
             << "\n";
    return;
  }
  *ctx.out << "enrolled " << files.size() << " recording(s): " << t->speech_seconds << " s of speech, model "
           << t->model_id << (out.empty() ? "" : ", template written to " + out) << "\n";
}

void Match(Context& ctx, const std::string& a, const std::string& b, bool json, const std::string& model_path) {
  auto model = LoadModel(model_path);
  if (!model.ok()) return ctx.Fail(model.status());
  auto ta = LoadOrEnroll(*model, a);
  if (!ta.ok()) return ctx.Fail(ta.status(), kExitInvalid);
  auto tb = LoadOrEnroll(*model, b);
  if (!tb.ok()) return ctx.Fail(tb.status(), kExitInvalid);
  const float score = voice::SNormScore(*ta, *tb);
  const bool match = score >= voice::DecisionThreshold();
  if (json) {
    *ctx.out << nlohmann::json{{"score", score},
                               {"cosine", voice::CosineScore(*ta, *tb)},
                               {"threshold", voice::DecisionThreshold()},
                               {"match", match}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "score " << score << " (" << (match ? "match" : "no match") << " at threshold "
             << voice::DecisionThreshold() << ")\n";
  }
}

void Identify(Context& ctx, const std::string& probe, const std::string& gallery_dir, size_t top, bool json,
              const std::string& model_path) {
  auto model = LoadModel(model_path);
  if (!model.ok()) return ctx.Fail(model.status());
  auto t = LoadOrEnroll(*model, probe);
  if (!t.ok()) return ctx.Fail(t.status(), kExitInvalid);
  auto gallery = voice::VoiceGallery::LoadDir(gallery_dir);
  if (!gallery.ok()) return ctx.Fail(gallery.status());
  const auto candidates = gallery->Search(*t, top);
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : candidates)
      list.push_back({{"id", c.id}, {"score", c.score}, {"match", c.score >= voice::DecisionThreshold()}});
    *ctx.out << nlohmann::json{{"gallery", gallery->size()}, {"threshold", voice::DecisionThreshold()},
                               {"candidates", list}}
                    .dump(2)
             << "\n";
    return;
  }
  for (const auto& c : candidates)
    *ctx.out << c.id << "  " << c.score << (c.score >= voice::DecisionThreshold() ? "  match" : "") << "\n";
}

void TrainUbm(Context& ctx, const std::string& data, const std::string& out, const voice::GmmTrainOptions& o) {
  auto model = voice::TrainGmmUbm(data, o, ctx.err);
  if (!model.ok()) return ctx.Fail(model.status());
  const std::vector<uint8_t> bytes = model->Serialize();
  std::error_code ec;
  if (auto parent = std::filesystem::path(out).parent_path(); !parent.empty())
    std::filesystem::create_directories(parent, ec);
  // Written beside the target and renamed, so an interrupted run leaves no half model.
  const std::string tmp = out + ".tmp";
  {
    std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
    o.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!o) return ctx.Fail(Status::NotFound("cannot write " + tmp));
  }
  std::filesystem::rename(tmp, out, ec);
  if (ec) return ctx.Fail(Status::NotFound("cannot rename " + tmp + " to " + out + ": " + ec.message()));
  *ctx.out << "voice model " << model->id() << " (" << model->ubm().components << " components, "
           << model->training_speakers().size() << " speakers, " << model->cohort().size() / model->embedding_dim()
           << " cohort segments) written to " << out << "\n";
}

}  // namespace

void AddVoiceCommands(CLI::App& app, Context& ctx) {
  auto* voice = app.add_subcommand("voice", "Speaker recognition: enroll recordings, 1:1 and 1:N matching");
  voice->require_subcommand(1);
  struct Options {
    std::vector<std::string> files;
    std::string a, b, out, gallery, model, data;
    bool json = false;
    size_t top = 10;
    voice::GmmTrainOptions train;
  };
  auto opt = std::make_shared<Options>();
  const std::string model_help = "Background model file; default $IDREG_MODELS_DIR/voice/ubm.bin";

  auto* enroll = voice->add_subcommand("enroll", "Make a voice template from recordings of one speaker");
  enroll->add_option("recordings", opt->files, "WAV, FLAC or OGG files (8-48 kHz, mono or stereo)")->required();
  enroll->add_option("--out", opt->out, "Write the template (*.vtpl)");
  enroll->add_flag("--json", opt->json, "Print JSON");
  enroll->add_option("--model", opt->model, model_help);
  enroll->callback([&ctx, opt] { Enroll(ctx, opt->files, opt->out, opt->json, opt->model); });

  auto* match = voice->add_subcommand("match", "Same speaker? Two recordings or templates (*.vtpl)");
  match->add_option("a", opt->a, "First recording or template")->required();
  match->add_option("b", opt->b, "Second recording or template")->required();
  match->add_flag("--json", opt->json, "Print JSON");
  match->add_option("--model", opt->model, model_help);
  match->callback([&ctx, opt] { Match(ctx, opt->a, opt->b, opt->json, opt->model); });

  auto* identify = voice->add_subcommand("identify", "Search a directory of voice templates for a speaker");
  identify->add_option("probe", opt->a, "Recording or template")->required();
  identify->add_option("--gallery", opt->gallery, "Directory of *.vtpl templates (id = file name)")->required();
  identify->add_option("--top", opt->top, "Candidates to list (default 10)");
  identify->add_flag("--json", opt->json, "Print JSON");
  identify->add_option("--model", opt->model, model_help);
  identify->callback([&ctx, opt] { Identify(ctx, opt->a, opt->gallery, opt->top, opt->json, opt->model); });

  auto* train = voice->add_subcommand("train-ubm", "Train the background model (seeded, reproducible)");
  train->add_option("--data", opt->data, "Directory with one folder of recordings per speaker")->required();
  train->add_option("--out", opt->out, "Model file to write")->required();
  train->add_option("--components", opt->train.components, "Gaussian components (default 128)");
  train->add_option("--iterations", opt->train.em_iterations, "EM iterations (default 10)");
  train->add_option("--seed", opt->train.seed, "Random seed of the k-means initialisation (default 1)");
  train->add_option("--threads", opt->train.threads, "Threads (default 2)");
  train->add_option("--relevance", opt->train.relevance, "MAP relevance factor (default 16)");
  train->add_option("--nap-rank", opt->train.nap_rank,
                    "Within-speaker directions projected out of embeddings (NAP; default in parameters.h, 0: none)");
  train->callback([&ctx, opt] { TrainUbm(ctx, opt->data, opt->out, opt->train); });
}

}  // namespace idreg::cli
