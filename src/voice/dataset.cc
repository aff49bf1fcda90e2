#include "idreg/voice/dataset.h"

#include <algorithm>
#include <atomic>
#include <ostream>
#include <thread>

#include "voice/parameters.h"

namespace idreg::voice {
namespace {

bool IsAudioFile(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".wav" || ext == ".flac" || ext == ".ogg" || ext == ".gsm";
}

constexpr size_t kFramesPerSecond = size_t(params::kSampleRate / params::kFrameShift);

}  // namespace

Result<std::vector<SpeakerFolder>> ListSpeakerFolders(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<SpeakerFolder> out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_directory()) continue;
    SpeakerFolder s{entry.path().filename().string(), {}};
    for (auto it = fs::recursive_directory_iterator(entry.path(), fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && IsAudioFile(it->path())) s.files.push_back(it->path());
    }
    std::sort(s.files.begin(), s.files.end());
    if (!s.files.empty()) out.push_back(std::move(s));
  }
  if (ec) return Status::NotFound("cannot list " + dir.string() + ": " + ec.message());
  if (out.empty())
    return Status::InvalidArgument(dir.string() + " has no speaker folders with audio files (.wav .flac .ogg .gsm)");
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.speaker < b.speaker; });
  return out;
}

std::vector<SpeakerSpeech> LoadSpeech(const std::vector<SpeakerFolder>& speakers, double max_seconds,
                                      int threads) {
  std::vector<SpeakerSpeech> out(speakers.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < speakers.size();) {
        SpeakerSpeech& s = out[i];
        s.speaker = speakers[i].speaker;
        s.speech.dim = params::kFeatureDim;
        for (const auto& file : speakers[i].files) {
          if (max_seconds > 0 && double(s.speech.frames()) >= max_seconds * kFramesPerSecond) break;
          ++s.files;
          auto audio = ReadAudioFile(file);
          if (!audio.ok()) {
            ++s.unusable;
            continue;
          }
          SpeechFeatures f = ExtractSpeech(*audio);
          // Prompts are short, so the length and noise rules of a single sample do not apply here.
          if (f.features.frames() == 0 || f.clipped_fraction > params::kMaxClippedFraction) {
            ++s.unusable;
            continue;
          }
          s.speech.Append(f.features);
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  return out;
}

std::vector<FeatureMatrix> CutSegments(const FeatureMatrix& speech, size_t first_frame, double seconds,
                                       size_t max_segments) {
  std::vector<FeatureMatrix> out;
  const size_t len = std::max<size_t>(1, size_t(seconds * kFramesPerSecond));
  const size_t n = speech.frames();
  if (first_frame >= n) return out;
  const size_t available = (n - first_frame) / len;
  const size_t take = std::min(available, max_segments);
  for (size_t k = 0; k < take; ++k) {
    const size_t seg = take == available ? k : k * available / take;  // evenly spaced
    const size_t begin = first_frame + seg * len;
    FeatureMatrix m;
    m.dim = speech.dim;
    m.data.assign(speech.row(begin), speech.row(begin) + len * size_t(speech.dim));
    ApplyCmvn(m);
    out.push_back(std::move(m));
  }
  return out;
}

Result<GmmUbmModel> TrainGmmUbm(const std::filesystem::path& dir, const GmmTrainOptions& options,
                                std::ostream* log) {
  IDREG_ASSIGN_OR_RETURN(std::vector<SpeakerFolder> folders, ListSpeakerFolders(dir));
  size_t n_files = 0;
  for (const auto& f : folders) n_files += f.files.size();
  if (log) *log << "train-ubm: " << folders.size() << " speakers, " << n_files << " files\n";
  const std::vector<SpeakerSpeech> speech = LoadSpeech(folders, 0, options.threads);
  // Each speaker contributes at most an equal share of the frame budget, so that one speaker with
  // hours of prompts does not become the background.
  const size_t per_speaker = params::kMaxTrainFrames / std::max<size_t>(1, speech.size());
  FeatureMatrix data;
  data.dim = params::kFeatureDim;
  BackgroundSegments background;
  for (size_t k = 0; k < params::kCohortDurations.size(); ++k)
    background.cohorts.emplace_back(float(params::kCohortDurations[k]), std::vector<FeatureMatrix>{});
  std::vector<std::string> ids;
  for (const SpeakerSpeech& s : speech) {
    if (log)
      *log << "  " << s.speaker << ": " << s.files << " files, " << s.unusable << " unusable, "
           << s.speech.frames() / kFramesPerSecond << " s of speech\n";
    if (s.speech.frames() == 0) continue;
    ids.push_back(s.speaker);
    // Normalise per 10 s segment (the tail shorter than that joins as its own segment).
    const size_t seg = size_t(params::kCohortSegmentSeconds * kFramesPerSecond);
    const size_t limit = std::min(s.speech.frames(), std::max(per_speaker, seg));
    for (size_t b = 0; b < limit; b += seg) {
      const size_t e = std::min(limit, b + seg);
      if (e - b < kFramesPerSecond) break;
      FeatureMatrix m;
      m.dim = s.speech.dim;
      m.data.assign(s.speech.row(b), s.speech.row(b) + (e - b) * size_t(m.dim));
      ApplyCmvn(m);
      data.Append(m);
    }
    for (auto& m : CutSegments(s.speech, 0, params::kCohortSegmentSeconds, params::kCohortSegmentsPerSpeaker))
      background.centring.push_back(std::move(m));
    // Cohorts of every duration a probe may have, for duration-matched s-norm.
    for (size_t k = 0; k < params::kCohortDurations.size(); ++k)
      for (auto& m : CutSegments(s.speech, 0, params::kCohortDurations[k], params::kCohortSegmentsPerDuration[k]))
        background.cohorts[k].second.push_back(std::move(m));
    // Session segments for NAP: every speaker's speech in short pieces, so that what varies between
    // pieces of one voice (the words, the session) can be projected out.
    auto pieces = CutSegments(s.speech, 0, params::kNapSegmentSeconds, params::kNapSegmentsPerSpeaker);
    for (auto& m : pieces) {
      background.sessions.push_back(std::move(m));
      background.session_speaker.push_back(int(ids.size() - 1));
    }
  }
  const float relevance = options.relevance > 0 ? options.relevance : params::kRelevanceFactor;
  const int nap_rank = options.nap_rank >= 0 ? options.nap_rank : params::kNapRank;
  if (log) *log << "train-ubm: " << background.sessions.size() << " session segments for NAP rank " << nap_rank
                << ", relevance " << relevance << "\n";
  // One background model per band, each from the same frames and segments (that band's columns) and
  // the same seed.
  std::vector<GmmUbmBand> bands;
  for (size_t k = 0; k < size_t(params::kBands); ++k) {
    if (log)
      *log << "train-ubm: band " << k << " (" << params::kBandLowHz[k] << "-" << params::kBandHighHz[k] << " Hz): "
           << data.frames() / kFramesPerSecond << " s of speech, " << options.components << " components, seed "
           << options.seed << "\n";
    IDREG_ASSIGN_OR_RETURN(DiagGmm ubm, TrainDiagGmm(BandFeatures(data, k), options));
    BackgroundSegments band;
    for (const FeatureMatrix& m : background.centring) band.centring.push_back(BandFeatures(m, k));
    for (const FeatureMatrix& m : background.sessions) band.sessions.push_back(BandFeatures(m, k));
    band.session_speaker = background.session_speaker;
    bands.push_back(GmmUbmBand::Create(std::move(ubm), relevance, band, nap_rank, options.threads));
  }
  if (log) {
    *log << "train-ubm: cohorts of";
    for (const auto& [seconds, segments] : background.cohorts) *log << " " << segments.size() << " x " << seconds << " s";
    *log << "\n";
  }
  return GmmUbmModel::Create(std::move(bands), std::move(ids), background, options.threads);
}

}  // namespace idreg::voice
