// `idreg eval dedup`: the multimodal dedup evaluation of issue 6 on real data. Identities pair one
// FVC2002 finger (8 impressions) with one NIST 1036 genotype, by a seeded shuffle. Half of the
// identities are enrolled (impression 1 + the full genotype); every other impression is searched
// with a degraded second DNA typing of the same person (a random subset of loci, allele dropout):
// searches of enrolled identities are mated (FNIR), of the others non-mated (FPIR). Decisions
// use the decision policy's thresholds for the gallery size, for each modality alone and fused.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <numeric>
#include <fstream>
#include <iterator>
#include <random>

#include "cli/identification_commands.h"
#include "idreg/dna/allele_frequencies.h"
#include "idreg/dna/profile_io.h"
#include "idreg/finger/extractor.h"
#include "idreg/image/decode.h"

namespace idreg::cli {
namespace {

struct EvalArgs {
  std::string fingerprints, genotypes, calibration_dir, policy;
  std::vector<std::string> dbs{"DB1_B", "DB2_B", "DB3_B", "DB4_B"};
  unsigned seed = 2026;
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

void Run(Context& ctx, const EvalArgs& a) {
  std::map<std::string, match::Calibration> cals;
  auto loaded = match::LoadCalibrationDir(a.calibration_dir.empty() ? match::DefaultCalibrationDir() : a.calibration_dir);
  if (!loaded.ok()) return ctx.Fail(loaded.status());
  cals = *loaded;
  if (!cals.count("finger")) return ctx.Fail(Status::NotFound("no finger calibration (data/calibration/finger.json)"));
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
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < paths.size();) extracted[i] = Extract(paths[i]);
    });
  }
  for (auto& t : pool) t.join();
  std::vector<std::vector<finger::FingerTemplate>> fingers;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!extracted[i].ok()) return ctx.Fail(extracted[i].status());
    if (i % 8 == 0) fingers.emplace_back();
    fingers.back().push_back(std::move(*extracted[i]));
  }
  std::mt19937 rng(a.seed);
  std::vector<dna::StrProfile> dna = *people;
  std::shuffle(dna.begin(), dna.end(), rng);
  std::vector<size_t> order(fingers.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t enrolled = order.size() / 2;
  // Frequencies from the genotypes not used as identities (no person is counted in their own table).
  std::vector<dna::StrProfile> rest(dna.begin() + static_cast<std::ptrdiff_t>(order.size()), dna.end());
  auto freqs = std::make_shared<dna::PopulationFrequencies>(
      dna::FrequencyTables::FromProfiles(rest, "nist1036-rest").populations().front());

  match::FingerGallery fg;
  match::DnaSampleGallery dg({{}, freqs});
  std::vector<ProfileId> ids(order.size());
  for (size_t n = 0; n < order.size(); ++n) ids[n] = ProfileId::Random();
  for (size_t n = 0; n < enrolled; ++n) {
    const match::SampleKey fk{ids[n], Id::Random(), "finger"}, dk{ids[n], Id::Random(), "profile"};
    Status s = fg.Add(std::span(&fk, 1), {fingers[order[n]][0]});
    if (s.ok()) s = dg.Add(std::span(&dk, 1), {dna[n]});
    if (!s.ok()) return ctx.Fail(s);
  }
  std::map<std::string, Tally> tallies;
  const match::Thresholds t = match::ThresholdsFor(policy, enrolled);
  size_t dna_unusable = 0;
  for (size_t n = 0; n < order.size(); ++n) {
    const bool mated = n < enrolled;
    for (int i = 1; i < 8; ++i) {
      std::vector<match::FingerProbeSample> fp{{fingers[order[n]][static_cast<size_t>(i)], ""}};
      std::vector<dna::StrProfile> dp{Degrade(dna[n], rng, a)};
      const bool dna_ok = static_cast<int>(dp[0].loci.size()) >= dna::kDefaultMinLoci;
      dna_unusable += !dna_ok;
      auto flist = fg.Search(fp, policy.top_k, {});
      match::CandidateLists dlist(1);
      if (dna_ok) dlist = dg.Search(dp, policy.top_k, {});
      std::vector<ProfileId> all;
      for (const auto* l : {&flist, &dlist}) {
        for (const auto& c : (*l)[0]) all.push_back(c.profile);
      }
      auto fs = fg.Score(fp, all);
      flist[0].insert(flist[0].end(), fs[0].begin(), fs[0].end());
      if (dna_ok) {
        auto ds = dg.Score(dp, all);
        dlist[0].insert(dlist[0].end(), ds[0].begin(), ds[0].end());
      }
      const match::ModalityScores fm{"finger", {"finger"}, flist}, dm{"dna", {"profile"}, dlist};
      std::vector<std::pair<std::string, std::vector<match::ModalityScores>>> variants{
          {"finger", {fm}}, {"dna", dna_ok ? std::vector<match::ModalityScores>{dm} : std::vector<match::ModalityScores>{}},
          {"fused", dna_ok ? std::vector<match::ModalityScores>{fm, dm} : std::vector<match::ModalityScores>{fm}}};
      for (auto& [name, scores] : variants) {
        auto fused = match::Fuse(scores, cals, policy.fusion);
        if (!fused.ok()) return ctx.Fail(fused.status());
        const match::Decision d = match::Decide(policy, enrolled, *fused);
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
  nlohmann::json j{{"identities", order.size()},
                   {"enrolled", enrolled},
                   {"seed", a.seed},
                   {"threshold_match_llr", t.match},
                   {"threshold_review_llr", t.review},
                   {"target_fpir", policy.target_fpir},
                   {"dna_probes_below_min_loci", dna_unusable}};
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
  *ctx.out << order.size() << " identities, " << enrolled << " enrolled; match at LLR >= " << t.match
           << " (target FPIR " << policy.target_fpir << ")\n";
  for (const char* name : {"finger", "dna", "fused"}) {
    const auto& r = j[name];
    *ctx.out << name << ": FNIR " << r["fnir"].get<double>() << " (" << r["mated_searches"] << " mated), FPIR "
             << r["fpir"].get<double>() << " (" << r["nonmated_searches"] << " non-mated)\n";
  }
}

}  // namespace

void AddEvalDedup(CLI::App& eval, Context& ctx) {
  auto a = std::make_shared<EvalArgs>();
  auto* cmd = eval.add_subcommand("dedup", "Multimodal dedup (FVC2002 fingers + NIST 1036 DNA): FPIR/FNIR alone and fused");
  cmd->add_option("--fingerprints", a->fingerprints, "The fvc2002 folder (DB1_B..DB4_B with FFF_I.tif)")->required();
  cmd->add_option("--genotypes", a->genotypes, "nist1036_genotypes_2017.csv")->required();
  cmd->add_option("--calibration-dir", a->calibration_dir, "Calibration folder (default data/calibration)");
  cmd->add_option("--policy", a->policy, "Decision policy file");
  cmd->add_option("--seed", a->seed, "Pairing and degradation seed (default 2026)");
  cmd->add_option("--dropout", a->dropout, "Allele dropout of the second DNA typing (default 0.1)");
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->callback([&ctx, a] { Run(ctx, *a); });
}

}  // namespace idreg::cli
