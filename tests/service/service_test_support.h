// The service on loopback for tests: a fresh store, one API key per role, the identification
// engine built from that store (the committed calibrations; DNA frequencies from ../shared/data
// when present), and an HTTP client.
#ifndef IDREG_TESTS_SERVICE_SERVICE_TEST_SUPPORT_H_
#define IDREG_TESTS_SERVICE_SERVICE_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "idreg/dna/allele_frequencies.h"
#include "idreg/match/engine.h"
#include "idreg/service/api_keys.h"
#include "idreg/service/policy.h"
#include "idreg/service/server.h"
#include "registry/store_test_util.h"

namespace idreg::service::testing {

inline const std::string kSharedData = std::string(IDREG_SHARED_DIR) + "/data/";
inline const std::string kCalibrationDir = std::string(IDREG_SOURCE_DIR) + "/data/calibration";

inline std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

class ServiceFixture : public ::testing::Test {
 protected:
  // Call from SetUp (after any GTEST_SKIP checks). `dna`: configure DNA search from the NIST table.
  void StartService(bool dna = false) {
    StoreOptions o;
    o.master_key = MasterKey::Generate();
    o.create_if_missing = true;
    master_ = o.master_key;
    store_ = std::move(*Store::Open("sqlite:" + (dir_.path() / "idreg.db").string(), o));
    Actor admin{"setup", "admin", "administration"};
    for (std::string_view role : kRoles) {
      keys_[std::string(role)] = CreateApiKey(*store_, std::string(role), "", admin)->token;
    }
    match::EngineOptions eo;
    auto cals = match::LoadCalibrationDir(kCalibrationDir);
    ASSERT_TRUE(cals.ok()) << cals.status().ToString();
    eo.calibrations = *cals;
    if (dna) {
      auto tables = dna::FrequencyTables::Parse(ReadAll(kSharedData + "dna/nist1036_allele_freqs_2017.csv"));
      ASSERT_TRUE(tables.ok()) << tables.status().ToString();
      auto pop = tables->Find("Cauc");
      ASSERT_TRUE(pop.ok());
      eo.dna_frequencies = std::make_shared<dna::PopulationFrequencies>(**pop);
    }
    auto engine = match::Engine::Build(*store_, admin, std::move(eo));
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    ServerOptions so;
    so.port = 0;
    so.threads = 4;
    so.max_body_bytes = 1 << 20;
    server_ = std::move(*Server::Create(*store_, *master_, *engine_, so));
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(120, 0);
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
  }

  httplib::Headers As(const std::string& role, const std::string& purpose) {
    httplib::Headers h;
    if (!role.empty()) h.emplace("Authorization", "Bearer " + keys_[role]);
    if (!purpose.empty()) h.emplace("X-Purpose", purpose);
    return h;
  }
  httplib::Result Post(const std::string& path, const std::string& body, const httplib::Headers& h) {
    return client_->Post(path.c_str(), h, body, "application/json");
  }
  // POSTs `body`, expects `status`, returns the parsed answer (null on a transport failure).
  nlohmann::json PostJson(const std::string& path, const nlohmann::json& body, const httplib::Headers& h,
                          int status) {
    auto res = Post(path, body.dump(), h);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << path << ": " << res->body;
    return nlohmann::json::parse(res->body, nullptr, false);
  }
  nlohmann::json GetJson(const std::string& path, const httplib::Headers& h, int status) {
    auto res = client_->Get(path.c_str(), h);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << path << ": " << res->body;
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  idreg::testing::TempDir dir_;
  std::shared_ptr<const MasterKey> master_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<match::Engine> engine_;
  std::map<std::string, std::string> keys_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace idreg::service::testing

#endif  // IDREG_TESTS_SERVICE_SERVICE_TEST_SUPPORT_H_
