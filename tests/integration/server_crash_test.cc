// `idreg serve` killed with SIGKILL during a stream of border entries: after a restart every entry
// the server acknowledged with 2xx is in the store, whole (201: the new profile; 202: the review
// case it opened), and the audit chain verifies. Each entry carries a different synthetic finger (an ISO/IEC 19794-2 record), so the
// server runs the whole path: document check, quality, 1:N dedup, commit, gallery update.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "idreg/document/mrz.h"
#include "idreg/finger/iso19794_2.h"
#include "idreg/finger/synthetic.h"
#include "idreg/registry/store.h"
#include "idreg/service/api_keys.h"
#include "integration/test_support.h"

namespace idreg {
namespace {

using nlohmann::json;
using testing_support::ScratchDir;

char Digit(const std::string& field) { return static_cast<char>('0' + MrzCheckDigit(field)); }

// A valid TD3 zone whose document number encodes n, so every entry is a new document.
std::string Td3(int n) {
  char number[10];
  std::snprintf(number, sizeof number, "X%08d", n);
  std::string letters;  // names hold no digits: n in base 26
  for (int v = n; letters.empty() || v > 0; v /= 26) letters += static_cast<char>('A' + v % 26);
  std::string l1 = "P<UTOTRAVELLER<<" + letters;
  l1.resize(44, '<');
  std::string doc = std::string(number) + Digit(number);
  std::string birth = "8001019", expiry = "3001014";  // check digits computed below
  birth[6] = Digit(birth.substr(0, 6));
  expiry[6] = Digit(expiry.substr(0, 6));
  std::string personal = std::string(14, '<') + '0';
  std::string l2 = doc + "UTO" + birth + "M" + expiry + personal;
  l2 += Digit(doc + birth + expiry + personal);
  return l1 + "|" + l2;
}

TEST(ServerCrashTest, AcknowledgedBorderEntriesSurviveSigkill) {
  const char* bin = std::getenv("IDREG_BIN");
  if (!bin || !*bin) GTEST_SKIP() << "IDREG_BIN is not set (run through CTest)";
  ASSERT_TRUE(MrzCheckDigit("L898902C3") == 6) << "the zone generator relies on the 7-3-1 check digit";
  ScratchDir dir("idreg-server-crash");
  ASSERT_TRUE(dir.ok());
  auto key = MasterKey::Generate();
  ASSERT_TRUE(MasterKey::Create(dir / "master.key", *key).ok());
  std::string url = "sqlite:" + (dir / "idreg.db");
  std::string token;
  {
    StoreOptions o;
    o.master_key = key;
    o.create_if_missing = true;
    auto store = Store::Open(url, o);
    ASSERT_TRUE(store.ok());
    token = service::CreateApiKey(**store, "border_officer", "crash test", Actor{"t", "admin", "setup"})->token;
  }
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    std::string store_arg = "--store=" + url, key_arg = "--key-file=" + (dir / "master.key");
    ::execl(bin, bin, store_arg.c_str(), key_arg.c_str(), "serve", "--listen", "127.0.0.1:0", nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  std::string banner;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') banner += c;
  auto colon = banner.rfind(':', banner.find(" (store"));
  ASSERT_NE(colon, std::string::npos) << "no listening line: " << banner;
  int port = std::atoi(banner.c_str() + colon + 1);
  ASSERT_GT(port, 0) << banner;

  std::vector<std::string> acknowledged, reviews;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  std::mutex mu;
  // Prepared before the server is loaded with requests: one record per entry number.
  const finger::SyntheticFingers fingers(7);
  std::vector<std::string> records;
  for (int n = 0; n < 400; ++n) {
    auto iso = finger::TemplateToIso(fingers.Impression(static_cast<uint64_t>(n), 0));
    ASSERT_TRUE(iso.ok()) << iso.status().ToString();
    auto bytes = finger::WriteIso19794_2(*iso);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    records.push_back(Base64Encode(*bytes));
  }
  for (int t = 0; t < 3; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(10, 0);
      httplib::Headers h = {{"Authorization", "Bearer " + token}, {"X-Purpose", "border_control"}};
      for (int n = t; !stop && n < static_cast<int>(records.size()); n += 3) {
        json body = {{"mrz", Td3(n)}, {"port_of_entry", "crash gate"},
                     {"samples", {{{"modality", "finger"}, {"position", "right_index"}, {"data", records[n]}}}}};
        auto res = client.Post("/v1/border-entries", h, body.dump(), "application/json");
        if (!res) return;  // the server is gone
        // 201: a new profile committed; 202: a review case opened for an adjudicator (a synthetic
        // finger that resembles an earlier one). A finger too poor to enroll is a 422.
        if (res->status == 201) {
          std::lock_guard lock(mu);
          acknowledged.push_back(json::parse(res->body)["profile_id"]);
        } else if (res->status == 202) {
          std::lock_guard lock(mu);
          reviews.push_back(json::parse(res->body)["review_id"]);
        }
      }
    });
  }
  for (int waited = 0; waited < 600; ++waited) {
    {
      std::lock_guard lock(mu);
      if (acknowledged.size() >= 150) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  stop = true;
  for (auto& t : clients) t.join();
  ::close(out[0]);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(acknowledged.size(), 20u) << "too few entries before the kill to test anything";

  StoreOptions o;
  o.master_key = key;
  auto store = Store::Open(url, o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Actor auditor{"crash-test", "auditor", "verification"};
  for (const std::string& id : acknowledged) {
    auto p = (*store)->GetProfile(*Id::Parse(id), auditor);
    ASSERT_TRUE(p.ok()) << "acknowledged entry " << id << " lost: " << p.status().ToString();
    EXPECT_EQ(p->encounters.size(), 1u);
    EXPECT_EQ(p->biometrics.size(), 1u);
    EXPECT_EQ(p->documents.size(), 1u);
  }
  Actor adjudicator{"crash-test", "adjudicator", "adjudication"};
  for (const std::string& id : reviews) {
    auto c = (*store)->GetReviewCase(*Id::Parse(id), adjudicator);
    ASSERT_TRUE(c.ok()) << "acknowledged review case " << id << " lost: " << c.status().ToString();
  }
  auto v = (*store)->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  std::printf("%zu acknowledged border entries and %zu review cases verified after SIGKILL\n", acknowledged.size(),
              reviews.size());
}

}  // namespace
}  // namespace idreg
