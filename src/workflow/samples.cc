#include "idreg/workflow/samples.h"

#include <algorithm>
#include <mutex>

#include "idreg/dna/profile_io.h"
#include "idreg/face/image.h"
#include "idreg/face/pipeline.h"
#include "idreg/finger/extractor.h"
#include "idreg/finger/iso19794_2.h"
#include "idreg/image/decode.h"
#include "idreg/match/records.h"
#include "idreg/voice/audio.h"

namespace idreg {
namespace {

Result<finger::FingerTemplate> FingerFrom(const Bytes& data) {
  if (data.size() >= 4 && std::equal(data.begin(), data.begin() + 4, "FMR")) {
    IDREG_ASSIGN_OR_RETURN(auto rec, finger::ParseIso19794_2(data));
    return finger::IsoToTemplate(rec);
  }
  IDREG_ASSIGN_OR_RETURN(auto image, DecodeImage(data));
  return finger::ExtractMinutiae(image);
}

// Loaded once per process on first use; a failure is remembered too (and retried: the models may
// be installed while a server runs).
template <typename T, typename Load>
Result<std::shared_ptr<const T>> Cached(Load load) {
  static std::mutex mu;
  static std::shared_ptr<const T> loaded;
  std::lock_guard lock(mu);
  if (!loaded) {
    auto r = load();
    if (!r.ok()) return r.status();
    loaded = std::move(*r);
  }
  return loaded;
}

Result<std::shared_ptr<const face::FaceNetworks>> FaceNets(const SampleModels& m) {
  if (m.face) return m.face;
  return Cached<face::FaceNetworks>([] { return face::FaceNetworks::LoadDefault(); });
}

Result<std::shared_ptr<const voice::SpeakerModel>> VoiceModel(const SampleModels& m) {
  if (m.voice) return m.voice;
  return Cached<voice::SpeakerModel>([]() -> Result<std::shared_ptr<const voice::SpeakerModel>> {
    IDREG_ASSIGN_OR_RETURN(auto model, voice::GmmUbmModel::Load(voice::DefaultModelPath()));
    return std::shared_ptr<const voice::SpeakerModel>(std::make_shared<voice::GmmUbmModel>(std::move(model)));
  });
}

// The media type of a kept face image, from its first bytes ("" when not an image format).
std::string ImageType(const Bytes& d) {
  auto starts = [&](std::initializer_list<uint8_t> magic) {
    return d.size() >= magic.size() && std::equal(magic.begin(), magic.end(), d.begin());
  };
  if (starts({0x89, 'P', 'N', 'G'})) return "image/png";
  if (starts({0xFF, 0xD8, 0xFF})) return "image/jpeg";
  if (starts({'I', 'I', 42, 0}) || starts({'M', 'M', 0, 42})) return "image/tiff";
  if (starts({'B', 'M'})) return "image/bmp";
  return "";
}

// A face sample -> its template (and, for an image, the kept image record). The reason in words
// when it is refused.
Result<std::vector<BiometricRecord>> PrepareFace(const CapturedSample& s, const SampleModels& models,
                                                  std::vector<match::FaceProbeSample>& probes) {
  if (!s.position.empty() && s.position != "frontal" && s.position != "crop") {
    return Status::InvalidArgument("unknown face position '" + s.position + "' (expected frontal or crop)");
  }
  std::string label = s.source.empty() ? (s.position.empty() ? "frontal" : s.position) : s.source;
  if (match::LooksLikeFaceTemplate(s.data)) {
    IDREG_ASSIGN_OR_RETURN(match::FaceTemplate t, match::DecodeFaceTemplate(s.data));
    probes.push_back({t.descriptor, label});
    return std::vector<BiometricRecord>{match::FaceRecord(t, "frontal", 100)};
  }
  IDREG_ASSIGN_OR_RETURN(auto nets, FaceNets(models));
  IDREG_ASSIGN_OR_RETURN(face::RgbImage image, face::DecodeRgbImage(s.data));
  face::AnalyzedFace f;
  if (s.position == "crop") {
    f = face::AnalyzeCrop(*nets, image);
    if (!f.quality.acceptable()) {
      std::string why;
      for (const std::string& r : f.quality.rejections) why += (why.empty() ? "" : "; ") + r;
      return Status::InvalidArgument("face rejected: " + why);
    }
  } else {
    IDREG_ASSIGN_OR_RETURN(f, face::EnrollmentFace(*nets, image, /*check_quality=*/true));
  }
  match::FaceTemplate t;
  t.descriptor = f.descriptor;
  t.alignment = face::kDefaultAlignMode == face::AlignMode::kEyesLevelled ? 1 : 0;
  // Quality 0-100: the detector's confidence (1 for a given crop).
  const double q = 100.0 * f.quality.detector_score;
  std::vector<BiometricRecord> records{match::FaceRecord(t, "frontal", q)};
  if (std::string type = ImageType(s.data); !type.empty()) {
    BiometricRecord image_record;
    image_record.id = Id::Random();
    image_record.modality = "face";
    image_record.position = s.position == "crop" ? "crop" : "frontal";
    image_record.format = type;
    image_record.quality = std::clamp(q, 0.0, 100.0);
    image_record.payload = s.data;
    records.push_back(std::move(image_record));
  }
  probes.push_back({t.descriptor, label});
  return records;
}

Result<BiometricRecord> PrepareVoice(const CapturedSample& s, const SampleModels& models,
                                     std::vector<voice::VoiceTemplate>& probes) {
  IDREG_ASSIGN_OR_RETURN(auto model, VoiceModel(models));
  voice::VoiceTemplate t;
  static constexpr char kVoiceMagic[] = "IDRGVTPL";
  if (s.data.size() >= 8 && std::equal(s.data.begin(), s.data.begin() + 8, kVoiceMagic)) {
    IDREG_ASSIGN_OR_RETURN(t, voice::DecodeTemplate(s.data));
    if (t.model_id != model->id()) {
      return Status::InvalidArgument("the template was made with voice model " + t.model_id +
                                     ", the installed model is " + model->id());
    }
  } else {
    IDREG_ASSIGN_OR_RETURN(voice::Audio audio, voice::DecodeAudio(s.data));
    // The voice module's quality checks (speech duration, clipping, level) run inside Enroll.
    IDREG_ASSIGN_OR_RETURN(t, voice::Enroll(*model, {audio}));
  }
  BiometricRecord r = match::VoiceRecord(t);
  probes.push_back(std::move(t));
  return r;
}

}  // namespace

PreparedSamples PrepareSamples(const std::vector<CapturedSample>& samples, const SampleQuality& quality,
                               SampleUse use) {
  return PrepareSamples(samples, quality, SampleModels{}, use);
}

PreparedSamples PrepareSamples(const std::vector<CapturedSample>& samples, const SampleQuality& quality,
                               const SampleModels& models, SampleUse use) {
  PreparedSamples out;
  for (const CapturedSample& s : samples) {
    auto reject = [&](std::string reason) { out.rejected.push_back({s.modality, s.position, s.source, std::move(reason)}); };
    if (s.modality == "finger") {
      if (!s.position.empty() && !match::IsFingerPosition(s.position)) {
        reject("unknown finger position '" + s.position + "' (expected e.g. right_index)");
        continue;
      }
      auto t = FingerFrom(s.data);
      if (!t.ok()) {
        reject(t.status().message());
        continue;
      }
      // ISO records may not report an image quality (0): then only the minutiae count decides.
      if (t->quality != 0 && t->quality < quality.finger_min_quality) {
        reject("image quality " + std::to_string(t->quality) + " is below " + std::to_string(quality.finger_min_quality));
        continue;
      }
      if (static_cast<int>(t->minutiae.size()) < quality.finger_min_minutiae) {
        reject(std::to_string(t->minutiae.size()) + " minutiae found, " + std::to_string(quality.finger_min_minutiae) +
               " needed");
        continue;
      }
      auto rec = match::FingerRecord(*t, s.position, use == SampleUse::kStore);
      if (!rec.ok()) {
        reject(rec.status().message());
        continue;
      }
      out.records.push_back(std::move(*rec));
      out.probes.fingers.push_back({std::move(*t), s.position});
    } else if (s.modality == "dna") {
      auto p = dna::ParseOneProfile(std::string_view(reinterpret_cast<const char*>(s.data.data()), s.data.size()));
      if (!p.ok()) {
        reject(p.status().message());
        continue;
      }
      if (static_cast<int>(p->loci.size()) < quality.dna_min_loci) {
        reject(std::to_string(p->loci.size()) + " loci typed, " + std::to_string(quality.dna_min_loci) + " needed");
        continue;
      }
      out.records.push_back(match::DnaRecord(*p));
      out.probes.dna.push_back(std::move(*p));
    } else if (s.modality == "face") {
      auto records = PrepareFace(s, models, out.probes.faces);
      if (!records.ok()) {
        reject(records.status().message());
        continue;
      }
      for (auto& r : *records) out.records.push_back(std::move(r));
    } else if (s.modality == "voice") {
      auto record = PrepareVoice(s, models, out.probes.voices);
      if (!record.ok()) {
        reject(record.status().message());
        continue;
      }
      out.records.push_back(std::move(*record));
    } else {
      reject("modality '" + s.modality + "' is not supported by this build");
    }
  }
  return out;
}

std::string DescribeIssues(const std::vector<SampleIssue>& issues) {
  std::string out;
  for (const SampleIssue& i : issues) {
    if (!out.empty()) out += "; ";
    out += i.modality + (i.position.empty() ? "" : " " + i.position) + (i.source.empty() ? "" : " (" + i.source + ")") +
           ": " + i.reason;
  }
  return out;
}

}  // namespace idreg
