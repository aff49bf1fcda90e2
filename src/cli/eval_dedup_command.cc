// `idreg eval dedup`: the multimodal dedup evaluation of issue 6 on real data. An identity pairs
// one FVC2002 finger (8 impressions) with one NIST 1036 genotype and, with --faces, one face
// identity of a folder of face crops (bbt-crops: 8 identities x 5 crops), by a seeded shuffle.
// With faces the identities are as many as the face identities (8); each round re-draws the
// pairing (seed + round) and runs two folds: half the identities enrolled (impression 1, crop 1,
// the full genotype), then every further impression/crop of every identity searched with a
// degraded second DNA typing (a random subset of loci, allele dropout); in the second fold the
// halves swap, so every identity is searched once as mated and once as non-mated. Searches of
// enrolled identities are mated (FNIR), of the others non-mated (FPIR). Each modality alone, the
// pairs and all together are decided with the same policy thresholds for the gallery size.
//
// Faces are embedded as the engine embeds `--face crop=FILE` (face::AnalyzeCrop, the module's
// quality checks), the way data/calibration/face.json was fitted.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <optional>
#include <random>

#include "cli/identification_commands.h"
#include "idreg/core/parallel_for.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/profile_io.h"
#include "idreg/face/image.h"
#include "idreg/face/pipeline.h"
#include "idreg/finger/extractor.h"
#include "idreg/image/decode.h"
#include "idreg/match/face_gallery.h"

namespace idreg::cli {
namespace {

namespace fs = std::filesystem;

struct EvalArgs {
  std::string fingerprints, genotypes, faces, calibration_dir, policy;
  std::vector<std::string> dbs{"DB1_B", "DB2_B", "DB3_B", "DB4_B"};
  unsigned seed = 2026;
  int rounds = 0;  // 0: 5 with faces, 1 without
  double dropout = 0.1;
  int min_loci = 6, max_loci = 16;
  bool json = false;
};

Result<std::string> Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Extracted by idreg from the image, like the scores the finger calibration was fitted on.
Result<finger::FingerTemplate> Extract(const std::string& path) {
  IDREG_ASSIGN_OR_RETURN(std::string bytes, Slurp(path));
  auto image = DecodeImage(Bytes(bytes.begin(), bytes.end()));
  if (!image.ok()) return image.status().WithContext(path);
  auto t = finger::ExtractMinutiae(*image);
  if (!t.ok()) return t.status().WithContext(path);
  return t;
}

// A face crop as the engine takes `--face crop=FILE`: landmarks, alignment, embedding, quality.
Result<face::Descriptor> EmbedCrop(const face::FaceNetworks& nets, const std::string& path) {
  IDREG_ASSIGN_OR_RETURN(face::RgbImage image, face::ReadRgbImageFile(path));
  const face::AnalyzedFace f = face::AnalyzeCrop(nets, image);
  if (!f.quality.acceptable()) return Status::InvalidArgument(path + ": face rejected: " + f.quality.rejections.front());
  return f.descriptor;
}

// A second typing of the same person: a random subset of loci, each heterozygote losing one
// allele with probability `dropout` (a weak sample).
dna::StrProfile Degrade(const dna::StrProfile& p, std::mt19937& rng, const EvalArgs& a) {
  dna::StrProfile out = p;
  std::shuffle(out.loci.begin(), out.loci.end(), rng);
  const int keep = a.min_loci + static_cast<int>(rng() % static_cast<unsigned>(a.max_loci - a.min_loci + 1));
  if (static_cast<int>(out.loci.size()) > keep) out.loci.resize(static_cast<size_t>(keep));
  std::uniform_real_distribution<double> u(0, 1);
  for (auto& l : out.loci) {
    if (l.alleles.size() == 2 && u(rng) < a.dropout) l.alleles.erase(l.alleles.begin() + (rng() % 2));
  }
  std::sort(out.loci.begin(), out.loci.end(), [](const auto& x, const auto& y) { return x.locus < y.locus; });
  return out;
}

struct Tally {
  size_t mated = 0, mated_hit = 0, nonmated = 0, false_match = 0, mated_review = 0, nonmated_review = 0;
};

// The face identities of a folder: one sub-folder per person, images sorted by name.
Result<std::vector<std::vector<std::string>>> ListFaces(const std::string& dir) {
  std::vector<std::vector<std::string>> out;
  std::error_code ec;
  std::vector<fs::path> people;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory()) people.push_back(e.path());
  }
  if (ec) return Status::NotFound("cannot list " + dir + ": " + ec.message());
  std::sort(people.begin(), people.end());
  for (const fs::path& p : people) {
    std::vector<std::string> images;
    for (const auto& e : fs::directory_iterator(p)) {
      const std::string ext = e.path().extension().string();
      if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") images.push_back(e.path().string());
    }
    std::sort(images.begin(), images.end());
    if (images.size() >= 2) out.push_back(std::move(images));
  }
  if (out.size() < 2) return Status::InvalidArgument(dir + ": fewer than 2 face identities with >= 2 images");
  return out;
}

void Run(Context& ctx, const EvalArgs& a) {
  auto loaded = match::LoadCalibrationDir(a.calibration_dir.empty() ? match::DefaultCalibrationDir() : a.calibration_dir);
  if (!loaded.ok()) return ctx.Fail(loaded.status());
  std::map<std::string, match::Calibration> cals = *loaded;
  if (!cals.count("finger")) return ctx.Fail(Status::NotFound("no finger calibration (data/calibration/finger.json)"));
  const bool with_faces = !a.faces.empty();
  if (with_faces && !cals.count("face")) return ctx.Fail(Status::NotFound("no face calibration (data/calibration/face.json)"));
  cals["dna"] = match::Log10LrCalibration("dna");
  match::DecisionPolicy policy;
  if (!a.policy.empty()) {
    auto text = Slurp(a.policy);
    if (!text.ok()) return ctx.Fail(text.status());
    auto p = match::ParsePolicyJson(*text);
    if (!p.ok()) return ctx.Fail(p.status().WithContext(a.policy));
    policy = *p;
  }
  auto gtext = Slurp(a.genotypes);
  if (!gtext.ok()) return ctx.Fail(gtext.status());
  auto people = dna::ParseNist1036Csv(*gtext);
  if (!people.ok()) return ctx.Fail(people.status().WithContext(a.genotypes));
  // Fingers: every FFF of the databases, impressions 1..8, extracted on every core.
  std::vector<std::string> paths;
  for (const std::string& db : a.dbs) {
    for (int f = 101; f <= 110; ++f) {
      for (int i = 1; i <= 8; ++i) {
        paths.push_back(a.fingerprints + "/" + db + "/" + std::to_string(f) + "_" + std::to_string(i) + ".tif");
      }
    }
  }
  std::vector<Result<finger::FingerTemplate>> extracted(paths.size(), Status::Internal("not extracted"));
  ParallelFor(paths.size(), [&](size_t i) { extracted[i] = Extract(paths[i]); });
  std::vector<std::vector<finger::FingerTemplate>> fingers;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!extracted[i].ok()) return ctx.Fail(extracted[i].status());
    if (i % 8 == 0) fingers.emplace_back();
    fingers.back().push_back(std::move(*extracted[i]));
  }
  // Faces, embedded once.
  // A crop the quality checks refuse stays out, as enrollment would leave it out: its searches
  // carry no face (enrolled crops all pass on bbt-crops; one probe crop does not).
  std::vector<std::vector<std::optional<face::Descriptor>>> faces;
  size_t face_rejected = 0;
  if (with_faces) {
    auto listed = ListFaces(a.faces);
    if (!listed.ok()) return ctx.Fail(listed.status());
    auto nets = face::FaceNetworks::LoadDefault();
    if (!nets.ok()) return ctx.Fail(nets.status());
    std::vector<std::pair<size_t, size_t>> where;
    for (size_t p = 0; p < listed->size(); ++p) {
      for (size_t i = 0; i < (*listed)[p].size(); ++i) where.emplace_back(p, i);
    }
    std::vector<Result<face::Descriptor>> embedded(where.size(), Status::Internal("not embedded"));
    ParallelFor(where.size(), [&](size_t j) { embedded[j] = EmbedCrop(**nets, (*listed)[where[j].first][where[j].second]); });
    faces.resize(listed->size());
    for (size_t j = 0; j < where.size(); ++j) {
      if (!embedded[j].ok() && embedded[j].status().code() != StatusCode::kInvalidArgument) {
        return ctx.Fail(embedded[j].status());
      }
      face_rejected += !embedded[j].ok();
      faces[where[j].first].push_back(embedded[j].ok() ? std::optional(*embedded[j]) : std::nullopt);
    }
  }
  const size_t identities = with_faces ? std::min(faces.size(), fingers.size()) : fingers.size();
  const int rounds = a.rounds > 0 ? a.rounds : (with_faces ? 5 : 1);
  // Probes per identity: the further impressions (and crops) beyond the enrolled first one.
  size_t probes_per = 7;
  if (with_faces) {
    for (const auto& f : faces) probes_per = std::min(probes_per, f.size() - 1);
  }
  std::vector<std::string> variants = {"finger", "dna", "finger+dna"};
  if (with_faces) variants = {"finger", "dna", "face", "finger+dna", "finger+face", "face+dna", "fused"};
  std::map<std::string, Tally> tallies;
  size_t dna_unusable = 0, searches = 0;
  size_t enrolled_size = 0;
  for (int round = 0; round < rounds; ++round) {
    std::mt19937 rng(a.seed + static_cast<unsigned>(round));
    std::vector<dna::StrProfile> dna = *people;
    std::shuffle(dna.begin(), dna.end(), rng);
    std::vector<size_t> finger_of(fingers.size()), face_of(faces.size());
    std::iota(finger_of.begin(), finger_of.end(), 0);
    std::iota(face_of.begin(), face_of.end(), 0);
    std::shuffle(finger_of.begin(), finger_of.end(), rng);
    std::shuffle(face_of.begin(), face_of.end(), rng);
    // Frequencies from the genotypes not used as identities (no one is counted in their own table).
    std::vector<dna::StrProfile> rest(dna.begin() + static_cast<std::ptrdiff_t>(identities), dna.end());
    auto freqs = std::make_shared<dna::PopulationFrequencies>(
        dna::FrequencyTables::FromProfiles(rest, "nist1036-rest").populations().front());
    const int folds = with_faces ? 2 : 1;
    for (int fold = 0; fold < folds; ++fold) {
      // Identities [0, half) are enrolled in fold 0, [half, n) in fold 1.
      const size_t half = identities / 2;
      auto enrolled = [&](size_t n) { return fold == 0 ? n < half : n >= half; };
      match::FingerGallery fg;
      match::DnaSampleGallery dg({{}, freqs});
      match::FaceGallery face_gallery;
      std::vector<ProfileId> ids(identities);
      size_t gallery_size = 0;
      for (size_t n = 0; n < identities; ++n) {
        ids[n] = ProfileId::Random();
        if (!enrolled(n)) continue;
        ++gallery_size;
        const match::SampleKey fk{ids[n], Id::Random(), "finger"}, dk{ids[n], Id::Random(), "profile"},
            vk{ids[n], Id::Random(), "frontal"};
        Status s = fg.Add(std::span(&fk, 1), {fingers[finger_of[n]][0]});
        if (s.ok()) s = dg.Add(std::span(&dk, 1), {dna[n]});
        if (s.ok() && with_faces && faces[face_of[n]][0]) s = face_gallery.Add(std::span(&vk, 1), {*faces[face_of[n]][0]});
        if (!s.ok()) return ctx.Fail(s);
      }
      enrolled_size = gallery_size;
      for (size_t n = 0; n < identities; ++n) {
        const bool mated = enrolled(n);
        for (size_t i = 1; i <= probes_per; ++i) {
          ++searches;
          std::vector<match::FingerProbeSample> fp{{fingers[finger_of[n]][i], ""}};
          std::vector<dna::StrProfile> dp{Degrade(dna[n], rng, a)};
          const bool dna_ok = static_cast<int>(dp[0].loci.size()) >= dna::kDefaultMinLoci;
          dna_unusable += !dna_ok;
          std::vector<match::FaceProbeSample> vp;
          if (with_faces && faces[face_of[n]][i]) vp.push_back({*faces[face_of[n]][i], "face"});
          auto flist = fg.Search(fp, policy.top_k, {});
          match::CandidateLists dlist(1), vlist(1);
          if (dna_ok) dlist = dg.Search(dp, policy.top_k, {});
          if (!vp.empty()) vlist = face_gallery.Search(vp, policy.top_k, {});
          std::vector<ProfileId> all;
          for (const auto* l : {&flist, &dlist, &vlist}) {
            for (const auto& c : (*l)[0]) all.push_back(c.profile);
          }
          auto fs = fg.Score(fp, all);
          flist[0].insert(flist[0].end(), fs[0].begin(), fs[0].end());
          if (dna_ok) {
            auto ds = dg.Score(dp, all);
            dlist[0].insert(dlist[0].end(), ds[0].begin(), ds[0].end());
          }
          if (!vp.empty()) {
            auto vs = face_gallery.Score(vp, all);
            vlist[0].insert(vlist[0].end(), vs[0].begin(), vs[0].end());
          }
          const match::ModalityScores fm{"finger", {"finger"}, flist}, dm{"dna", {"profile"}, dlist},
              vm{"face", {"face"}, vlist};
          for (const std::string& name : variants) {
            std::vector<match::ModalityScores> scores;
            const bool all_three = name == "fused";
            if (all_three || name.find("finger") != std::string::npos) scores.push_back(fm);
            if ((all_three || name.find("dna") != std::string::npos) && dna_ok) scores.push_back(dm);
            if ((all_three || name.find("face") != std::string::npos) && !vp.empty()) scores.push_back(vm);
            auto fused = match::Fuse(scores, cals, policy.fusion);
            if (!fused.ok()) return ctx.Fail(fused.status());
            const match::Decision d = match::Decide(policy, gallery_size, *fused);
            Tally& tl = tallies[name];
            if (mated) {
              ++tl.mated;
              tl.mated_hit += d.outcome == match::Outcome::kMatch && d.candidates[0].profile == ids[n];
              tl.mated_review += d.outcome == match::Outcome::kReview;
            } else {
              ++tl.nonmated;
              tl.false_match += d.outcome == match::Outcome::kMatch;
              tl.nonmated_review += d.outcome != match::Outcome::kNew;
            }
          }
        }
      }
    }
  }
  const match::Thresholds t = match::ThresholdsFor(policy, enrolled_size);
  nlohmann::json j{{"identities", identities},
                   {"enrolled", enrolled_size},
                   {"rounds", rounds},
                   {"folds", with_faces ? 2 : 1},
                   {"searches", searches},
                   {"seed", a.seed},
                   {"threshold_match_llr", t.match},
                   {"threshold_review_llr", t.review},
                   {"target_fpir", policy.target_fpir},
                   {"dna_probes_below_min_loci", dna_unusable},
                   {"face_crops_rejected_for_quality", face_rejected}};
  for (const auto& [name, cal] : cals) j["llr_max"][name] = cal.llr_max;
  for (const auto& [name, tl] : tallies) {
    j[name] = {{"mated_searches", tl.mated},
               {"fnir", tl.mated ? 1.0 - static_cast<double>(tl.mated_hit) / static_cast<double>(tl.mated) : 0.0},
               {"mated_review_rate", tl.mated ? static_cast<double>(tl.mated_review) / static_cast<double>(tl.mated) : 0.0},
               {"nonmated_searches", tl.nonmated},
               {"fpir", tl.nonmated ? static_cast<double>(tl.false_match) / static_cast<double>(tl.nonmated) : 0.0},
               {"nonmated_review_or_match_rate",
                tl.nonmated ? static_cast<double>(tl.nonmated_review) / static_cast<double>(tl.nonmated) : 0.0}};
  }
  if (a.json) {
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  *ctx.out << identities << " identities, " << enrolled_size << " enrolled per fold, " << rounds << " round(s); match at LLR >= "
           << t.match << " (target FPIR " << policy.target_fpir << ")\n";
  for (const std::string& name : variants) {
    const auto& r = j[name];
    *ctx.out << name << ": FNIR " << r["fnir"].get<double>() << " (" << r["mated_searches"] << " mated, review "
             << r["mated_review_rate"].get<double>() << "), FPIR " << r["fpir"].get<double>() << " ("
             << r["nonmated_searches"] << " non-mated, review or match " << r["nonmated_review_or_match_rate"].get<double>()
             << ")\n";
  }
}

}  // namespace

void AddEvalDedup(CLI::App& eval, Context& ctx) {
  auto a = std::make_shared<EvalArgs>();
  auto* cmd = eval.add_subcommand(
      "dedup", "Multimodal dedup (FVC2002 fingers + NIST 1036 DNA [+ face crops]): FPIR/FNIR alone and fused");
  cmd->add_option("--fingerprints", a->fingerprints, "The fvc2002 folder (DB1_B..DB4_B with FFF_I.tif)")->required();
  cmd->add_option("--genotypes", a->genotypes, "nist1036_genotypes_2017.csv")->required();
  cmd->add_option("--faces", a->faces, "A folder of face crops, one sub-folder per person (e.g. bbt-crops)");
  cmd->add_option("--rounds", a->rounds, "Pairings drawn (seed, seed+1, ...); default 5 with --faces, else 1");
  cmd->add_option("--calibration-dir", a->calibration_dir, "Calibration folder (default data/calibration)");
  cmd->add_option("--policy", a->policy, "Decision policy file");
  cmd->add_option("--seed", a->seed, "Pairing and degradation seed (default 2026)");
  cmd->add_option("--dropout", a->dropout, "Allele dropout of the second DNA typing (default 0.1)");
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->callback([&ctx, a] { Run(ctx, *a); });
}

}  // namespace idreg::cli
