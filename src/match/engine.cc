#include "idreg/match/engine.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <thread>

#include "idreg/match/records.h"

namespace idreg::match {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The candidates of every list, once each.
std::vector<ProfileId> Union(const std::vector<const CandidateLists*>& lists) {
  std::unordered_set<ProfileId, IdHash> seen;
  std::vector<ProfileId> out;
  for (const CandidateLists* l : lists) {
    for (const auto& per_probe : *l) {
      for (const Candidate& c : per_probe) {
        if (seen.insert(c.profile).second) out.push_back(c.profile);
      }
    }
  }
  return out;
}

void Append(CandidateLists& to, CandidateLists from) {
  for (size_t p = 0; p < to.size() && p < from.size(); ++p) {
    to[p].insert(to[p].end(), std::make_move_iterator(from[p].begin()), std::make_move_iterator(from[p].end()));
  }
}

std::vector<std::string> FaceLabels(const ProbeSet& probes) {
  std::vector<std::string> labels;
  for (size_t i = 0; i < probes.faces.size(); ++i) {
    labels.push_back(probes.faces[i].label.empty() ? "face#" + std::to_string(i + 1) : probes.faces[i].label);
  }
  return labels;
}

std::vector<std::string> FingerLabels(const ProbeSet& probes) {
  std::vector<std::string> labels;
  for (size_t i = 0; i < probes.fingers.size(); ++i) {
    labels.push_back(probes.fingers[i].position.empty() ? "finger#" + std::to_string(i + 1) : probes.fingers[i].position);
  }
  return labels;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  finger_ = std::make_unique<FingerGallery>(options_.finger);
  if (options_.dna_frequencies) {
    dna_ = std::make_unique<DnaSampleGallery>(DnaGalleryOptions{options_.dna_search, options_.dna_frequencies});
    if (!options_.calibrations.count("dna")) options_.calibrations["dna"] = Log10LrCalibration("dna");
  }
  face_ = std::make_unique<FaceGallery>(options_.face);
  voice_ = std::make_unique<VoiceSampleGallery>();
}

Status Engine::CheckProbes(const ProbeSet& probes, std::string_view what) const {
  const std::string w(what);
  if (probes.empty()) return Status::InvalidArgument(w + ": no usable sample to search with");
  if (!probes.dna.empty() && !dna_) {
    return Status::InvalidArgument(w + ": a DNA sample was given but no allele frequency table is configured");
  }
  const std::pair<const char*, bool> needed[] = {
      {"finger", !probes.fingers.empty()}, {"face", !probes.faces.empty()}, {"voice", !probes.voices.empty()}};
  for (const auto& [modality, used] : needed) {
    if (used && !options_.calibrations.count(modality)) {
      return Status::InvalidArgument(w + ": no " + modality + " calibration is configured (data/calibration/" +
                                     modality + ".json)");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Engine>> Engine::Build(Store& store, const Actor& actor, EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine(std::move(options)));
  std::vector<std::string> modalities{"finger", "face", "voice"};
  if (engine->dna_) modalities.push_back("dna");
  engine->building_ = true;
  for (const std::string& modality : modalities) {
    const auto start = Clock::now();
    std::vector<std::pair<ProfileId, BiometricRecord>> batch;
    size_t count = 0;
    Status failed;
    auto flush = [&]() -> Status {
      Status s = engine->AddRecords(batch);
      batch.clear();
      return s;
    };
    IDREG_RETURN_IF_ERROR(store.ForEachBiometric(modality, actor, [&](const ProfileId& id, const BiometricRecord& r) {
      batch.emplace_back(id, r);
      ++count;
      if (batch.size() == 1024) {
        failed = flush();
        if (engine->options_.progress) {
          std::fprintf(stderr, "\rloading %s gallery: %zu samples, %.0f/s   ", modality.c_str(), count,
                       static_cast<double>(count) / std::max(1e-9, Since(start)));
        }
      }
      return failed.ok();
    }));
    IDREG_RETURN_IF_ERROR(failed);
    IDREG_RETURN_IF_ERROR(flush());
    const double seconds = Since(start);
    engine->load_seconds_[modality] = seconds;
    if (engine->options_.progress && count >= 1024) std::fprintf(stderr, "\n");
    if (engine->options_.log) {
      char line[400];
      int n = std::snprintf(line, sizeof line, "%s gallery: %zu samples loaded in %.2f s (%.0f samples/s)", modality.c_str(),
                            count, seconds, static_cast<double>(count) / std::max(1e-9, seconds));
      if (modality == "finger" && count > 0) {
        const auto& c = engine->coarse_counts_;
        std::snprintf(line + n, sizeof line - static_cast<size_t>(n),
                      "; coarse codes read from the store for %zu, rebuilt for %zu (%zu without a stored form, %zu of "
                      "another version, %zu unreadable)%s",
                      c[0], c[1] + c[2] + c[3], c[1], c[2], c[3],
                      engine->coarse_distrusted_ ? " - stored forms differ from the codes built now although their "
                                                   "version is current: all rebuilt (bump kCoarseFormVersion)"
                                                 : "");
      }
      *engine->options_.log << line << "\n";
    }
  }
  // The rebuilt coarse forms go back to the store (in transactions of 4,096), so that the next
  // start-up reads them; a failure costs only that next start-up's time, so it is logged, not fatal.
  size_t restored = 0;
  Status restore;
  auto& rebuilt = engine->rebuilt_forms_;
  for (size_t i = 0; i < rebuilt.size() && restore.ok(); i += 4096) {
    const std::vector<Store::DerivedUpdate> chunk(rebuilt.begin() + static_cast<std::ptrdiff_t>(i),
                                                  rebuilt.begin() + static_cast<std::ptrdiff_t>(std::min(rebuilt.size(), i + 4096)));
    auto n = store.ReplaceDerived(chunk, actor);
    if (n.ok()) {
      restored += *n;
    } else {
      restore = n.status();
    }
  }
  if (engine->options_.log && !rebuilt.empty()) {
    *engine->options_.log << "finger gallery: " << restored << " of " << rebuilt.size()
                          << " rebuilt coarse forms written back to the store"
                          << (restore.ok() ? "" : " (stopped: " + restore.ToString() + ")") << "\n";
  }
  engine->restored_forms_ = restored;
  rebuilt = {};
  engine->building_ = false;
  if (engine->options_.log && engine->skipped_["voice"] > 0) {
    *engine->options_.log << "voice gallery: " << engine->skipped_["voice"]
                          << " templates of another speaker model left out (re-enroll those voices)\n";
  }
  return engine;
}

Status Engine::AddRecords(const std::vector<std::pair<ProfileId, BiometricRecord>>& records) {
  std::vector<SampleKey> finger_keys, dna_keys, face_keys, voice_keys;
  std::vector<finger::FingerTemplate> fingers;
  std::vector<std::optional<finger::CoarseTemplate>> coarse;
  std::vector<dna::StrProfile> profiles;
  std::vector<face::Descriptor> faces;
  std::vector<voice::VoiceTemplate> voices;
  std::vector<size_t> rebuild;  // fingers whose stored coarse form is unusable (during Build)
  for (const auto& [id, r] : records) {
    if (r.modality == "finger") {
      IDREG_ASSIGN_OR_RETURN(auto t, FingerTemplateOf(r));
      coarse.push_back(UsableCoarse(r, t));
      if (building_ && !coarse.back()) rebuild.push_back(fingers.size());
      finger_keys.push_back({id, r.id, r.position});
      fingers.push_back(std::move(t));
    } else if (r.modality == "dna" && dna_) {
      IDREG_ASSIGN_OR_RETURN(auto p, DnaProfileOf(r));
      dna_keys.push_back({id, r.id, r.position});
      profiles.push_back(std::move(p));
    } else if (IsFaceTemplateRecord(r)) {
      // Other face records are the kept images (for adjudicators and re-embedding): not searched.
      IDREG_ASSIGN_OR_RETURN(auto f, FaceTemplateOf(r));
      face_keys.push_back({id, r.id, r.position});
      faces.push_back(f.descriptor);
    } else if (r.modality == "voice" && r.format == kVoiceFormat) {
      // Other voice records (recordings kept by an importer) are not templates: not searched.
      IDREG_ASSIGN_OR_RETURN(auto v, VoiceTemplateOf(r));
      std::string model = !options_.voice_model_id.empty() ? options_.voice_model_id : voice_->model_id();
      if (model.empty() && !voices.empty()) model = voices.front().model_id;
      if (!model.empty() && v.model_id != model) {
        if (building_) {
          ++skipped_["voice"];
          continue;
        }
        return Status::InvalidArgument("voice record " + r.id.ToString() + " was made by voice model " + v.model_id +
                                       ", the engine searches model " + model);
      }
      voice_keys.push_back({id, r.id, r.position});
      voices.push_back(std::move(v));
    }
  }
  if (!rebuild.empty()) {
    // Built here (on every core, as the gallery would) so that they can be written back.
    std::vector<Bytes> forms(rebuild.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t j; (j = next.fetch_add(1)) < rebuild.size();) {
        FingerGalleryCoarse g = GalleryCoarseOf(fingers[rebuild[j]]);
        forms[j] = finger::SerializeCoarse(g.coarse, g.minutiae);
        coarse[rebuild[j]] = std::move(g.coarse);
      }
    };
    std::vector<std::thread> pool;
    const unsigned threads = std::max(1u, options_.finger.threads ? options_.finger.threads : std::thread::hardware_concurrency());
    for (unsigned t = 1; t < std::min<size_t>(threads, rebuild.size()); ++t) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
    std::lock_guard lock(coarse_mu_);
    for (size_t j = 0; j < rebuild.size(); ++j) {
      const SampleKey& key = finger_keys[rebuild[j]];
      rebuilt_forms_.push_back(
          {key.profile, key.sample, DerivedForm{std::string(kFingerCoarseKind), finger::kCoarseFormVersion, std::move(forms[j])}});
    }
  }
  if (!fingers.empty()) IDREG_RETURN_IF_ERROR(finger_->Add(finger_keys, std::move(fingers), std::move(coarse)));
  if (!profiles.empty()) IDREG_RETURN_IF_ERROR(dna_->Add(dna_keys, std::move(profiles)));
  if (!faces.empty()) IDREG_RETURN_IF_ERROR(face_->Add(face_keys, std::move(faces)));
  if (!voices.empty()) IDREG_RETURN_IF_ERROR(voice_->Add(voice_keys, std::move(voices)));
  std::unique_lock lock(mu_);
  for (const auto* keys : {&finger_keys, &dna_keys, &face_keys, &voice_keys}) {
    for (const auto& k : *keys) persons_.insert(k.profile);
  }
  return Status::Ok();
}

std::optional<finger::CoarseTemplate> Engine::UsableCoarse(const BiometricRecord& r, const finger::FingerTemplate& t) {
  match::StoredCoarse why;
  std::optional<finger::CoarseTemplate> stored = StoredCoarseOf(r, t, &why);
  std::lock_guard lock(coarse_mu_);
  if (stored && coarse_checks_left_ > 0) {
    // A form of the current version number is still checked against the codes built now, for the
    // first few: a change to the coarse codes that forgot to bump kCoarseFormVersion must cost
    // start-up time, never a wrong search.
    --coarse_checks_left_;
    const finger::CoarseTemplate built = GalleryCoarseOf(t).coarse;
    if (built.codes != stored->codes || built.directions != stored->directions) {
      coarse_distrusted_ = true;
      coarse_checks_left_ = 0;
    }
  }
  if (coarse_distrusted_ && stored) {
    stored.reset();
    why = match::StoredCoarse::kStale;
  }
  ++coarse_counts_[static_cast<size_t>(why)];
  return stored;
}

Status Engine::Add(const ProfileId& id, const std::vector<BiometricRecord>& records) {
  std::vector<std::pair<ProfileId, BiometricRecord>> batch;
  for (const auto& r : records) batch.emplace_back(id, r);
  return AddRecords(batch);
}

Status Engine::Remove(const ProfileId& id) {
  {
    std::shared_lock lock(mu_);
    if (!persons_.count(id)) return Status::NotFound("the identification engine holds no sample of profile " + id.ToString());
  }
  const ProfileId ids[] = {id};
  // A profile need not have every modality: NotFound from one gallery is expected.
  Status f = finger_->Remove(ids);
  if (!f.ok() && f.code() != StatusCode::kNotFound) return f;
  if (dna_) {
    Status d = dna_->Remove(ids);
    if (!d.ok() && d.code() != StatusCode::kNotFound) return d;
  }
  for (Status s : {face_->Remove(ids), voice_->Remove(ids)}) {
    if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
  }
  std::unique_lock lock(mu_);
  persons_.erase(id);
  return Status::Ok();
}

size_t Engine::persons() const {
  std::shared_lock lock(mu_);
  return persons_.size();
}

std::vector<GalleryStats> Engine::Stats() const {
  std::vector<GalleryStats> out;
  auto load = [&](const std::string& m) {
    auto it = load_seconds_.find(m);
    return it == load_seconds_.end() ? 0.0 : it->second;
  };
  out.push_back({"finger", finger_->samples(), finger_->profiles(), finger_->MemoryBytes(), load("finger")});
  if (dna_) out.push_back({"dna", dna_->samples(), dna_->profiles(), dna_->MemoryBytes(), load("dna")});
  out.push_back({"face", face_->samples(), face_->profiles(), face_->MemoryBytes(), load("face")});
  GalleryStats v{"voice", voice_->samples(), voice_->profiles(), voice_->MemoryBytes(), load("voice")};
  if (auto it = skipped_.find("voice"); it != skipped_.end()) v.skipped = it->second;
  out.push_back(v);
  return out;
}

Result<IdentifyResult> Engine::Identify(const ProbeSet& probes, const Selector& selector) const {
  IDREG_RETURN_IF_ERROR(CheckProbes(probes, "identify"));
  IdentifyResult result;
  const size_t k = options_.policy.top_k;
  // Pass 1: each modality's own top-k.
  CandidateLists finger_lists, dna_lists, face_lists, voice_lists;
  auto timed = [&](const std::string& modality, bool used, auto&& fn) {
    if (!used) return;
    const auto t = Clock::now();
    fn();
    result.seconds[modality] += Since(t);
  };
  timed("finger", !probes.fingers.empty(), [&] { finger_lists = finger_->Search(probes.fingers, k, selector); });
  timed("dna", !probes.dna.empty(), [&] { dna_lists = dna_->Search(probes.dna, k, selector); });
  timed("face", !probes.faces.empty(), [&] { face_lists = face_->Search(probes.faces, k, selector); });
  timed("voice", !probes.voices.empty(), [&] { voice_lists = voice_->Search(probes.voices, k, selector); });
  // Pass 2: the scores of every candidate in every modality, so that no candidate is judged on
  // one modality just because it missed another's top-k.
  const std::vector<ProfileId> all = Union({&finger_lists, &dna_lists, &face_lists, &voice_lists});
  std::vector<ModalityScores> scores;
  timed("finger", !probes.fingers.empty(), [&] {
    Append(finger_lists, finger_->Score(probes.fingers, all));
    scores.push_back({"finger", FingerLabels(probes), std::move(finger_lists)});
  });
  timed("dna", !probes.dna.empty(), [&] {
    Append(dna_lists, dna_->Score(probes.dna, all));
    scores.push_back({"dna", std::vector<std::string>(probes.dna.size(), "profile"), std::move(dna_lists)});
  });
  timed("face", !probes.faces.empty(), [&] {
    Append(face_lists, face_->Score(probes.faces, all));
    scores.push_back({"face", FaceLabels(probes), std::move(face_lists)});
  });
  timed("voice", !probes.voices.empty(), [&] {
    Append(voice_lists, voice_->Score(probes.voices, all));
    scores.push_back({"voice", std::vector<std::string>(probes.voices.size(), "speech"), std::move(voice_lists)});
  });
  const auto t = Clock::now();
  IDREG_ASSIGN_OR_RETURN(result.ranked, Fuse(scores, options_.calibrations, options_.policy.fusion));
  size_t searched = 0;
  {
    std::shared_lock lock(mu_);
    if (selector.everyone()) {
      searched = persons_.size();
    } else {
      for (const ProfileId& id : *selector.ids()) searched += persons_.count(id);
    }
  }
  result.decision = Decide(options_.policy, searched, result.ranked);
  result.fusion_seconds = Since(t);
  return result;
}

Result<FusedCandidate> Engine::Verify(const ProfileId& id, const ProbeSet& probes) const {
  IDREG_RETURN_IF_ERROR(CheckProbes(probes, "verify"));
  const ProfileId ids[] = {id};
  std::vector<ModalityScores> scores;
  if (!probes.fingers.empty()) scores.push_back({"finger", FingerLabels(probes), finger_->Score(probes.fingers, ids)});
  if (!probes.dna.empty()) {
    scores.push_back({"dna", std::vector<std::string>(probes.dna.size(), "profile"), dna_->Score(probes.dna, ids)});
  }
  if (!probes.faces.empty()) scores.push_back({"face", FaceLabels(probes), face_->Score(probes.faces, ids)});
  if (!probes.voices.empty()) {
    scores.push_back({"voice", std::vector<std::string>(probes.voices.size(), "speech"), voice_->Score(probes.voices, ids)});
  }
  IDREG_ASSIGN_OR_RETURN(auto fused, Fuse(scores, options_.calibrations, options_.policy.fusion));
  if (fused.empty()) {
    return Status::NotFound("profile " + id.ToString() + " has no sample comparable with the ones given");
  }
  return fused.front();
}

}  // namespace idreg::match
