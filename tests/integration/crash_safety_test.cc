// Crash safety of the SQLite store: a writer process (crash_writer) enrolls deterministic
// profiles and reports each one once Enroll has returned; the test SIGKILLs it at a random
// moment (mid-transaction, mid-commit, mid-checkpoint or between a commit and its report),
// reopens the store and checks that every reported enrollment is there byte for byte, that
// nothing is half-written, and that the audit chain verifies with exactly the expected entries.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "idreg/registry/master_key.h"
#include "idreg/registry/store.h"
#include "integration/crash_enrollment.h"
#include "integration/test_support.h"

#ifndef IDREG_CRASH_WRITER
#define IDREG_CRASH_WRITER ""
#endif

namespace idreg {
namespace {

using SteadyClock = std::chrono::steady_clock;
using testing_support::ScratchDir;

// Committed enrollments to see per writer run before the kill. One enrollment (an fsync'd WAL
// commit of ~22 KiB) took 1.5-4.5 ms on a 2-core ext4 VM, so 2000 take 3-10 s, and verifying
// them (one audited, fsync'd read each) as long again. IDREG_CRASH_ENROLLMENTS overrides.
constexpr int64_t kEnrollmentsPerRun = 2000;
constexpr int64_t kEnrollmentsPerRunTwice = 1200;
// No line from the writer for this long means it hangs.
constexpr auto kWriterStall = std::chrono::seconds(30);

int64_t EnrollmentsPerRun(int64_t fallback) {
  const char* v = std::getenv("IDREG_CRASH_ENROLLMENTS");
  return v && std::atoll(v) > 0 ? std::atoll(v) : fallback;
}

struct Reported {
  int64_t counter = 0;
  std::string id;
};

// One crash_writer process with its stdout on a pipe.
class WriterProcess {
 public:
  ~WriterProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status;
      ::waitpid(pid_, &status, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }

  bool Start(const std::string& url, const std::string& key_file, int64_t first_counter) {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    pid_ = ::fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::string first = std::to_string(first_counter);
      const char* argv[] = {IDREG_CRASH_WRITER, url.c_str(), key_file.c_str(), first.c_str(), nullptr};
      ::execv(argv[0], const_cast<char* const*>(argv));
      ::_exit(127);
    }
    ::close(fds[1]);
    fd_ = fds[0];
    return true;
  }

  // Waits up to `timeout_ms` for output and appends the complete lines read. False at EOF.
  bool Poll(int timeout_ms, std::vector<Reported>& out) {
    pollfd p{fd_, POLLIN, 0};
    int n = ::poll(&p, 1, timeout_ms);
    if (n <= 0) return true;
    return ReadSome(out);
  }

  // SIGKILLs the writer, reaps it and collects the lines it wrote before dying. Returns the
  // wait status.
  int KillAndDrain(std::vector<Reported>& out) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    while (ReadSome(out)) {
    }
    return status;
  }

  const std::vector<std::string>& bad_lines() const { return bad_lines_; }
  // Bytes after the last newline: a line cut by the kill (a write of one short line to a pipe
  // is atomic, so this stays empty).
  const std::string& partial() const { return buf_; }

 private:
  bool ReadSome(std::vector<Reported>& out) {
    char chunk[8192];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = buf_.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::istringstream line(buf_.substr(start, nl - start));
      Reported r;
      if (line >> r.counter >> r.id && Id::Parse(r.id).ok()) {
        out.push_back(r);
      } else {
        bad_lines_.push_back(buf_.substr(start, nl - start));
      }
    }
    buf_.erase(0, start);
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
  std::vector<std::string> bad_lines_;
};

// What the store must hold, accumulated over writer runs and verifications.
struct Expectation {
  std::map<std::string, int64_t> reported;  // id -> counter, as the writer reported them
  std::set<int64_t> possible_unreported;    // per run: the counter after its last report
  std::map<std::string, int64_t> unreported;  // committed but never reported, once seen
  int64_t lists = 0;  // profile.list entries the test caused
  int64_t reads = 0;  // profile.read entries the test caused
};

struct RunStats {
  int64_t lines = 0;
  double seconds = 0;  // from the first report to the last before the kill decision
  int64_t kill_delay_us = 0;
  double rate() const { return lines > 1 && seconds > 0 ? static_cast<double>(lines - 1) / seconds : 0; }
};

// Starts a writer at `first_counter`, lets it report at least `min_lines` enrollments, waits a
// random fraction of a few enrollments' time and SIGKILLs it. Adds what it reported to `exp`.
void RunAndKill(const std::string& url, const std::string& key_file, int64_t first_counter, int64_t min_lines,
                std::mt19937_64& rng, Expectation& exp, RunStats& stats) {
  WriterProcess writer;
  ASSERT_TRUE(writer.Start(url, key_file, first_counter));
  std::vector<Reported> lines;
  const int64_t target = min_lines + static_cast<int64_t>(rng() % 200);
  SteadyClock::time_point first_at{}, last_at{}, last_progress = SteadyClock::now();
  while (static_cast<int64_t>(lines.size()) < target) {
    size_t before = lines.size();
    bool open = writer.Poll(200, lines);
    ASSERT_TRUE(open) << "the writer exited before it was killed, after " << lines.size()
                      << " enrollments (its stderr says why)";
    auto now = SteadyClock::now();
    if (lines.size() != before) {
      if (before == 0) first_at = now;
      last_at = now;
      last_progress = now;
    }
    ASSERT_LT(now - last_progress, kWriterStall) << "the writer stalled after " << lines.size() << " enrollments";
  }
  stats.lines = static_cast<int64_t>(lines.size());
  stats.seconds = std::chrono::duration<double>(last_at - first_at).count();
  // Anywhere within two enrollments' time: inside Enroll, inside COMMIT's fsync, inside an
  // automatic checkpoint, or between a commit and its report.
  const double per_enrollment_us = stats.rate() > 0 ? 1e6 / stats.rate() : 2000;
  stats.kill_delay_us = static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * per_enrollment_us + 1));
  std::this_thread::sleep_for(std::chrono::microseconds(stats.kill_delay_us));
  int status = writer.KillAndDrain(lines);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer was not killed by SIGKILL (status " << status << ")";
  EXPECT_TRUE(writer.bad_lines().empty()) << "malformed report: " << writer.bad_lines().front();
  EXPECT_TRUE(writer.partial().empty()) << "a report was cut: '" << writer.partial() << "'";
  for (size_t i = 0; i < lines.size(); ++i) {
    ASSERT_EQ(lines[i].counter, first_counter + static_cast<int64_t>(i)) << "reports out of order";
    ASSERT_TRUE(exp.reported.emplace(lines[i].id, lines[i].counter).second) << "id reported twice: " << lines[i].id;
  }
  exp.possible_unreported.insert(first_counter + static_cast<int64_t>(lines.size()));
}

// "" when `p` is exactly EnrollmentFor(counter) as the store returns it; else what differs.
std::string Mismatch(const Profile& p, int64_t counter) {
  const Enrollment want = crashtest::EnrollmentFor(counter);
  std::ostringstream why;
  if (p.attributes.size() != want.attributes.size()) {
    why << p.attributes.size() << " attributes, want " << want.attributes.size();
    return why.str();
  }
  for (size_t i = 0; i < want.attributes.size(); ++i) {
    const Attribute& a = p.attributes[i];
    const Attribute& w = want.attributes[i];
    if (a.name != w.name || a.value != w.value || a.provenance.kind != w.provenance.kind ||
        a.provenance.document_type != w.provenance.document_type ||
        a.provenance.issuing_state != w.provenance.issuing_state ||
        a.provenance.document_number != w.provenance.document_number || a.provenance.source != w.provenance.source) {
      why << "attribute " << i << " is " << a.name << "=" << a.value << ", want " << w.name << "=" << w.value;
      return why.str();
    }
  }
  if (!p.documents.empty() || !p.consents.empty()) return "unexpected documents or consents";
  if (p.encounters.size() != 1) {
    why << p.encounters.size() << " encounters, want 1";
    return why.str();
  }
  const Encounter& e = p.encounters[0];
  if (e.kind != want.encounter.kind || e.place != want.encounter.place || e.officer != want.encounter.officer) {
    return "encounter differs: " + e.place + " / " + e.officer;
  }
  if (p.biometrics.size() != want.biometrics.size()) {
    why << p.biometrics.size() << " biometrics, want " << want.biometrics.size();
    return why.str();
  }
  for (const BiometricRecord& w : want.biometrics) {
    const BiometricRecord* got = nullptr;
    for (const auto& b : p.biometrics) {
      if (b.modality == w.modality) got = &b;
    }
    if (!got) return "no " + w.modality + " record";
    if (got->position != w.position || got->format != w.format || got->quality != w.quality) {
      return w.modality + " record metadata differs";
    }
    if (got->encounter_id != e.id) return w.modality + " record is not linked to the encounter";
    if (got->payload != w.payload) {
      why << w.modality << " payload differs (" << got->payload.size() << " bytes, want " << w.payload.size() << ")";
      return why.str();
    }
  }
  return "";
}

// Reopens the store and checks it against `exp`: every reported enrollment whole and exact, at
// most one more per kill (the one in flight, committed but not reported), whole too, and an audit
// chain that verifies with exactly one entry per enrollment and per read or listing of ours.
void VerifyStore(const std::string& url, const std::shared_ptr<const MasterKey>& key, Expectation& exp) {
  StoreOptions options;
  options.master_key = key;
  auto opened = Store::Open(url, options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  const Actor auditor{"crash-test", "auditor", "crash safety verification"};
  const int64_t earlier_lists = exp.lists, earlier_reads = exp.reads;

  // Before any read of ours, so that the count is only the writers' entries and our earlier ones.
  auto before = store.VerifyAudit();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_TRUE(before->ok) << "audit chain broken at entry " << before->first_bad_seq << ": " << before->problem;

  auto list = store.ListProfiles(auditor);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ++exp.lists;

  std::set<std::string> listed;
  int failures = 0;
  for (const ProfileSummary& s : *list) {
    const std::string id = s.id.ToString();
    listed.insert(id);
    EXPECT_EQ(s.biometric_count, crashtest::kBiometricsPerEnrollment) << "half-written profile " << id;
    auto p = store.GetProfile(s.id, auditor);
    ++exp.reads;
    ASSERT_TRUE(p.ok()) << "profile " << id << ": " << p.status().ToString();
    int64_t counter;
    if (auto it = exp.reported.find(id); it != exp.reported.end()) {
      counter = it->second;
    } else if (auto un = exp.unreported.find(id); un != exp.unreported.end()) {
      counter = un->second;
    } else {
      // Committed, then killed before it was reported: it must be the enrollment right after
      // one run's last report.
      auto attr = p->Attr("counter");
      ASSERT_TRUE(attr.has_value()) << "unreported profile " << id << " has no counter attribute";
      counter = std::atoll(attr->c_str());
      ASSERT_EQ(exp.possible_unreported.count(counter), 1u)
          << "profile " << id << " (counter " << counter << ") was neither reported nor in flight at a kill";
      exp.possible_unreported.erase(counter);
      exp.unreported[id] = counter;
    }
    std::string why = Mismatch(*p, counter);
    EXPECT_EQ(why, "") << "profile " << id << " (enrollment " << counter << ")";
    if (!why.empty() && ++failures >= 5) FAIL() << "stopping after 5 damaged profiles";
  }
  // An in-flight enrollment absent now can never appear later: no writer reuses its counter.
  exp.possible_unreported.clear();
  for (const auto& [id, counter] : exp.reported) {
    EXPECT_EQ(listed.count(id), 1u) << "reported enrollment " << counter << " (" << id << ") is missing";
  }
  const int64_t profiles = static_cast<int64_t>(exp.reported.size() + exp.unreported.size());
  EXPECT_EQ(static_cast<int64_t>(listed.size()), profiles);
  EXPECT_EQ(before->entries, profiles + earlier_lists + earlier_reads)
      << "one profile.create per committed enrollment, plus our earlier lists and reads";

  auto after = store.VerifyAudit();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_TRUE(after->ok) << "audit chain broken at entry " << after->first_bad_seq << ": " << after->problem;
  EXPECT_EQ(after->entries, profiles + exp.lists + exp.reads);

  auto entries = store.ReadAudit(AuditQuery{});
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  std::map<std::string, int64_t> actions;
  std::set<std::string> created;
  for (const AuditEntry& e : *entries) {
    ++actions[e.action];
    if (e.action == "profile.create") {
      EXPECT_TRUE(created.insert(e.object).second) << "two profile.create entries for " << e.object;
      EXPECT_EQ(listed.count(e.object), 1u) << "profile.create entry " << e.seq << " for a profile that is absent";
      EXPECT_EQ(e.actor, crashtest::WriterActor().name);
    }
  }
  EXPECT_EQ(actions["profile.create"], profiles);
  EXPECT_EQ(actions["profile.list"], exp.lists);
  EXPECT_EQ(actions["profile.read"], exp.reads);
  EXPECT_EQ(static_cast<int64_t>(entries->size()), after->entries);
}

class CrashSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(IDREG_CRASH_WRITER).empty() || ::access(IDREG_CRASH_WRITER, X_OK) != 0) {
      GTEST_SKIP() << "crash_writer is not built (IDREG_CRASH_WRITER='" << IDREG_CRASH_WRITER << "')";
    }
    ASSERT_TRUE(dir_.ok());
    key_ = MasterKey::Generate();
    key_file_ = dir_ / "master.key";
    ASSERT_TRUE(MasterKey::Create(key_file_, *key_).ok());
    url_ = "sqlite:" + (dir_ / "crash.db");
    uint64_t seed = std::random_device{}();
    if (const char* s = std::getenv("IDREG_CRASH_SEED")) seed = std::strtoull(s, nullptr, 10);
    rng_.seed(seed);
    RecordProperty("seed", std::to_string(seed));
    std::printf("crash test seed %llu (IDREG_CRASH_SEED to repeat)\n", static_cast<unsigned long long>(seed));
  }
  void TearDown() override {
    if (HasFailure()) dir_.Keep();
  }

  void Report(const char* what, const RunStats& s) {
    std::printf("%s: %lld enrollments reported in %.2f s (%.0f enrollments/s, 2 biometrics each), killed %lld us "
                "after the last one read\n",
                what, static_cast<long long>(s.lines), s.seconds, s.rate(), static_cast<long long>(s.kill_delay_us));
  }

  ScratchDir dir_{"idreg-crash"};
  std::shared_ptr<const MasterKey> key_;
  std::string key_file_;
  std::string url_;
  std::mt19937_64 rng_;
  Expectation exp_;
};

TEST_F(CrashSafetyTest, KilledWriterLeavesEveryReportedEnrollmentWholeAndTheAuditChainIntact) {
  RunStats stats;
  ASSERT_NO_FATAL_FAILURE(RunAndKill(url_, key_file_, 0, EnrollmentsPerRun(kEnrollmentsPerRun), rng_, exp_, stats));
  Report("writer", stats);
  ASSERT_NO_FATAL_FAILURE(VerifyStore(url_, key_, exp_));
  std::printf("verified %zu reported + %zu unreported profiles\n", exp_.reported.size(), exp_.unreported.size());
}

TEST_F(CrashSafetyTest, WriterKilledTwiceOnTheSameStore) {
  const int64_t per_run = EnrollmentsPerRun(kEnrollmentsPerRunTwice);
  RunStats first, second;
  ASSERT_NO_FATAL_FAILURE(RunAndKill(url_, key_file_, 0, per_run, rng_, exp_, first));
  Report("first writer", first);
  ASSERT_NO_FATAL_FAILURE(VerifyStore(url_, key_, exp_));
  // The second writer recovers the store the first left (hot WAL, stale -shm) and goes on.
  ASSERT_NO_FATAL_FAILURE(RunAndKill(url_, key_file_, 1000000, per_run, rng_, exp_, second));
  Report("second writer", second);
  ASSERT_NO_FATAL_FAILURE(VerifyStore(url_, key_, exp_));
  std::printf("verified %zu reported + %zu unreported profiles\n", exp_.reported.size(), exp_.unreported.size());
}

// Several processes writing one store at once (two officers' workstations, or the service and a
// batch import): every enrollment lands, and the audit chain stays one unbroken line.
TEST_F(CrashSafetyTest, ConcurrentWriterProcessesKeepOneIntactChain) {
  constexpr int kWriters = 3;
  constexpr int64_t kEach = 150;
  std::vector<testing_support::RunResult> results(kWriters);
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<ScratchDir>> captures;
  for (int w = 0; w < kWriters; ++w) {
    captures.push_back(std::make_unique<ScratchDir>("idreg-concurrent"));
    threads.emplace_back([&, w] {
      results[w] = testing_support::RunProgram(
          {IDREG_CRASH_WRITER, url_, key_file_, std::to_string(w * 1000000), std::to_string(kEach)}, dir_.path(),
          {}, captures[w]->path());
    });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < kWriters; ++w) {
    ASSERT_EQ(results[w].exit_code, 0) << "writer " << w << ": " << results[w].err;
    std::istringstream lines(results[w].out);
    int64_t counter;
    std::string id;
    int64_t n = 0;
    while (lines >> counter >> id) {
      ASSERT_TRUE(exp_.reported.emplace(id, counter).second) << "id reported twice: " << id;
      ++n;
    }
    EXPECT_EQ(n, kEach) << "writer " << w << " reported " << n << " enrollments";
  }
  ASSERT_NO_FATAL_FAILURE(VerifyStore(url_, key_, exp_));
}

}  // namespace
}  // namespace idreg
