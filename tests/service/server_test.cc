// The service over real HTTP on loopback: routes against the OpenAPI document, every role
// allowed and refused, border entries, profile views, erasure, access reports and bad input.
#include "idreg/service/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "idreg/service/api_keys.h"
#include "idreg/service/policy.h"
#include "idreg/service/sd_jwt.h"
#include "registry/store_test_util.h"

namespace idreg::service {
namespace {

using nlohmann::json;

constexpr char kTd3[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10";
constexpr char kVisa[] = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|L8988901C4XXX4009078F9612109<<<<<<<<";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.master_key = MasterKey::Generate();
    o.create_if_missing = true;
    store_ = std::move(*Store::Open("sqlite:" + (dir_.path() / "idreg.db").string(), o));
    Actor admin{"setup", "admin", "administration"};
    for (std::string_view role : kRoles) keys_[std::string(role)] = CreateApiKey(*store_, std::string(role), "", admin)->token;
    ServerOptions so;
    so.port = 0;
    so.threads = 4;
    so.max_body_bytes = 1 << 20;
    server_ = std::move(*Server::Create(*store_, *o.master_key, so));
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(30, 0);
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
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
  json BorderEntry(const std::string& mrz, int expect_status) {
    json body = {{"mrz", mrz}, {"port_of_entry", "LHR T5"},
                 {"samples", {{{"modality", "face"}, {"format", "image/png"}, {"data", Base64Encode(ToBytes("FACEBYTES"))}}}}};
    auto res = Post("/v1/border-entries", body.dump(), As("border_officer", "border_control"));
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, expect_status) << res->body;
    return json::parse(res->body);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::map<std::string, std::string> keys_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, EveryDocumentedRouteAnswersAndNothingElseDoes) {
  auto res = client_->Get("/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json doc = json::parse(res->body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  int routes = 0;
  for (auto& [path, ops] : doc["paths"].items()) {
    std::string concrete = path;
    if (auto i = concrete.find("{id}"); i != std::string::npos) concrete.replace(i, 4, "00000000000000000000000000");
    for (auto& [method, op] : ops.items()) {
      ++routes;
      httplib::Result r = method == "get"      ? client_->Get(concrete.c_str())
                          : method == "delete" ? client_->Delete(concrete.c_str())
                                               : client_->Post(concrete.c_str(), "{}", "application/json");
      ASSERT_TRUE(r) << method << " " << path;
      // Unauthenticated calls to protected routes get 401, public ones their answer; never "no route".
      EXPECT_EQ(r->body.find("no route"), std::string::npos) << method << " " << path << ": " << r->body;
      EXPECT_EQ(r->status, op.contains("security") ? 401 : 200) << method << " " << path;
    }
  }
  EXPECT_GE(routes, 10);
  for (const char* undocumented : {"/v1/nothing", "/v1/profiles", "/admin"}) {
    auto r = client_->Get(undocumented);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << undocumented;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  }
}

TEST_F(ServerTest, BorderEntryEnrollsThenMatchesTheDocument) {
  json first = BorderEntry(kTd3, 201);
  EXPECT_EQ(first["decision"], "new");
  EXPECT_EQ(first["dedup"], "document");
  ASSERT_TRUE(first["profile_id"].is_string());
  EXPECT_EQ(first["warnings"][0], "document expired on 2012-04-15");
  json second = BorderEntry(kTd3, 200);
  EXPECT_EQ(second["decision"], "match");
  EXPECT_EQ(second["profile_id"], first["profile_id"]);
  std::string id = first["profile_id"];
  auto p = store_->GetProfile(*Id::Parse(id), Actor{"t", "admin", "test"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->encounters.size(), 2u);
  EXPECT_EQ(p->biometrics.size(), 2u);
  EXPECT_EQ(p->encounters[0].kind, EncounterKind::kBorderEntry);
  EXPECT_EQ(ToString(p->biometrics[0].payload), "FACEBYTES");
}

TEST_F(ServerTest, BadInputGetsProblemDetailsNeverA500) {
  auto h = As("border_officer", "border_control");
  struct Case {
    std::string body;
    int status;
    std::string detail;
  };
  std::string broken_digit = kTd3;
  broken_digit[54] = '5';  // the document number's check digit
  for (const Case& c : std::vector<Case>{
           {"{\"mrz\": ", 400, "malformed JSON"},
           {"[1,2]", 400, "must be an object"},
           {"{}", 400, "mrz is required"},
           {json{{"mrz", kTd3}}.dump(), 400, "port_of_entry"},
           {json{{"mrz", 7}, {"port_of_entry", "x"}}.dump(), 400, "mrz must be"},
           {json{{"mrz", "P<UTO"}, {"port_of_entry", "x"}}.dump(), 400, "mrz"},
           {json{{"mrz", broken_digit}, {"port_of_entry", "x"}}.dump(), 422, "fails its checks"},
           {json{{"mrz", kTd3}, {"port_of_entry", "x"}, {"samples", {{{"modality", "face"}, {"data", "***"}}}}}.dump(),
            400, "samples[0].data"},
           {json{{"mrz", kTd3}, {"port_of_entry", "x"}, {"samples", {{{"modality", "nose"}, {"data", "aGk="}}}}}.dump(),
            400, "nose"},
       }) {
    auto r = Post("/v1/border-entries", c.body, h);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.body << " -> " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_NE(r->body.find(c.detail), std::string::npos) << r->body;
  }
  auto big = Post("/v1/border-entries", std::string(2 << 20, ' '), h);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto bad_id = client_->Get("/v1/profiles/NOT-AN-ID", As("border_officer", "border_control"));
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400);
  auto unknown = client_->Get("/v1/profiles/00000000000000000000000000", As("border_officer", "border_control"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ServerTest, RolesAndPurposesFollowThePolicyTableAndRefusalsAreAudited) {
  std::string id = BorderEntry(kTd3, 201)["profile_id"];
  std::string path = "/v1/profiles/" + id;
  struct Case {
    std::string role, purpose;
    int status;
  };
  for (const Case& c : std::vector<Case>{{"border_officer", "border_control", 200},
                                         {"border_officer", "", 403},
                                         {"border_officer", "curiosity", 403},
                                         {"border_officer", "consular_service", 403},
                                         {"consular_officer", "consular_service", 200},
                                         {"adjudicator", "adjudication", 200},
                                         {"auditor", "audit", 403},
                                         {"admin", "administration", 200},
                                         {"", "border_control", 401}}) {
    auto r = client_->Get(path.c_str(), As(c.role, c.purpose));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.role << " for '" << c.purpose << "': " << r->body;
  }
  httplib::Headers forged = {{"Authorization", "Bearer " + keys_["admin"] + "x"}, {"X-Purpose", "administration"}};
  EXPECT_EQ(client_->Get(path.c_str(), forged)->status, 401);
  for (const auto& [role, expected] : std::map<std::string, int>{
           {"border_officer", 403}, {"consular_officer", 403}, {"adjudicator", 403}, {"auditor", 200}, {"admin", 200}}) {
    auto r = client_->Get("/v1/audit/verify", As(role, "audit"));
    EXPECT_EQ(r->status, expected) << role;
  }
  for (const auto& [role, expected] : std::map<std::string, int>{
           {"border_officer", 403}, {"consular_officer", 403}, {"adjudicator", 403}, {"auditor", 200}, {"admin", 403}}) {
    EXPECT_EQ(client_->Get("/v1/audit", As(role, "audit"))->status, expected) << role;
  }
  auto entries = store_->ReadAudit({});
  int denied = 0;
  for (const auto& e : *entries) denied += e.action == "access.denied";
  EXPECT_GE(denied, 13);
  EXPECT_TRUE(store_->VerifyAudit()->ok);
}

TEST_F(ServerTest, BiometricPayloadsOnlyForAdjudication) {
  std::string id = BorderEntry(kVisa, 201)["profile_id"];
  std::string path = "/v1/profiles/" + id + "?include=biometrics";
  auto officer = client_->Get(("/v1/profiles/" + id).c_str(), As("border_officer", "border_control"));
  ASSERT_EQ(officer->status, 200);
  json view = json::parse(officer->body);
  ASSERT_EQ(view["biometrics"].size(), 1u);
  EXPECT_FALSE(view["biometrics"][0].contains("data"));
  EXPECT_EQ(view["attributes"][0]["provenance"]["kind"], "document");
  EXPECT_EQ(client_->Get(path.c_str(), As("border_officer", "border_control"))->status, 403);
  auto adj = client_->Get(path.c_str(), As("adjudicator", "adjudication"));
  ASSERT_EQ(adj->status, 200);
  EXPECT_EQ(json::parse(adj->body)["biometrics"][0]["data"], Base64Encode(ToBytes("FACEBYTES")));
}

TEST_F(ServerTest, ErasureAccessReportAndMetrics) {
  std::string id = BorderEntry(kTd3, 201)["profile_id"];
  ASSERT_EQ(client_->Get(("/v1/profiles/" + id).c_str(), As("consular_officer", "consular_service"))->status, 200);
  auto report = client_->Get(("/v1/profiles/" + id + "/access-report").c_str(), As("auditor", "data_subject_request"));
  ASSERT_EQ(report->status, 200);
  json accesses = json::parse(report->body)["accesses"];
  bool consular_read = false;
  for (const auto& a : accesses) consular_read |= a["role"] == "consular_officer" && a["action"] == "profile.read";
  EXPECT_TRUE(consular_read) << report->body;
  auto encounters = client_->Get(("/v1/profiles/" + id + "/encounters").c_str(), As("border_officer", "border_control"));
  ASSERT_EQ(encounters->status, 200);
  EXPECT_EQ(json::parse(encounters->body)["encounters"][0]["kind"], "border_entry");

  EXPECT_EQ(client_->Delete(("/v1/profiles/" + id + "?reason=request%2042").c_str(), As("border_officer", "erasure"))->status, 403);
  EXPECT_EQ(client_->Delete(("/v1/profiles/" + id).c_str(), As("admin", "erasure"))->status, 400);
  EXPECT_EQ(client_->Delete(("/v1/profiles/" + id + "?reason=request%2042").c_str(), As("admin", "erasure"))->status, 200);
  EXPECT_EQ(client_->Get(("/v1/profiles/" + id).c_str(), As("admin", "administration"))->status, 404);

  auto metrics = client_->Get("/metrics");
  ASSERT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("idreg_http_requests_total{route=\"POST /v1/border-entries\",status=\"201\"} 1"),
            std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("idreg_http_request_duration_seconds_count"), std::string::npos);
}

TEST_F(ServerTest, CredentialsDiscloseOnlyChosenClaimsAndVerifyWithThePublishedKey) {
  std::string id = BorderEntry(kTd3, 201)["profile_id"];
  std::string path = "/v1/profiles/" + id + "/credentials";
  json req = {{"claims", {"age_over_18", "nationality", "family_name"}}};
  EXPECT_EQ(Post(path, req.dump(), As("border_officer", "border_control"))->status, 403);
  auto res = Post(path, req.dump(), As("consular_officer", "consular_service"));
  ASSERT_EQ(res->status, 201) << res->body;
  std::string token = json::parse(res->body)["credential"];
  auto keys = client_->Get("/v1/keys");
  ASSERT_EQ(keys->status, 200);
  json jwks = json::parse(keys->body);
  auto presented = PresentSdJwt(token, {"age_over_18"});
  ASSERT_TRUE(presented.ok());
  auto v = VerifySdJwt(*presented, jwks, 1 << 30);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->claims.size(), 1u);
  EXPECT_EQ(v->claims["age_over_18"], true);
  EXPECT_EQ(v->payload["sub"], id);
  auto unknown = Post(path, json{{"claims", {"shoe_size"}}}.dump(), As("consular_officer", "consular_service"));
  EXPECT_EQ(unknown->status, 422);
  EXPECT_NE(unknown->body.find("available"), std::string::npos);
}

TEST(PolicyTest, TableRefusalsSayWhy) {
  EXPECT_TRUE(Authorize("admin", "profile.erase", "erasure").ok());
  EXPECT_NE(Authorize("auditor", "profile.read", "audit").message().find("may not perform profile.read"),
            std::string::npos);
  EXPECT_NE(Authorize("admin", "profile.read", "").message().find("X-Purpose"), std::string::npos);
  EXPECT_NE(Authorize("admin", "profile.read", "fun").message().find("unknown purpose"), std::string::npos);
  EXPECT_NE(Authorize("root", "profile.read", "audit").message().find("unknown role"), std::string::npos);
  for (const PolicyRule& r : PolicyTable()) {
    EXPECT_TRUE(IsRole(r.role)) << r.role;
    for (auto p : r.purposes) {
      EXPECT_NE(std::find(std::begin(kPurposes), std::end(kPurposes), p), std::end(kPurposes)) << p;
    }
  }
}

}  // namespace
}  // namespace idreg::service
