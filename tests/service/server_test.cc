// The service over real HTTP on loopback: routes against the OpenAPI document, every role
// allowed and refused, border entries, profile views, erasure, access reports and bad input.
#include "idreg/service/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "idreg/document/mrz.h"
#include "idreg/service/api_keys.h"
#include "idreg/service/policy.h"
#include "idreg/service/sd_jwt.h"
#include "idreg/workflow/document_enrollment.h"
#include "registry/store_test_util.h"
#include "service/service_test_support.h"

namespace idreg::service {
namespace {

using nlohmann::json;

constexpr char kTd3[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10";
constexpr char kVisa[] = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|L8988901C4XXX4009078F9612109<<<<<<<<";

// Routes that need no biometrics: profiles are seeded straight into the store (a document and a
// face payload the service never has to extract); biometric routes: biometric_routes_test.cc.
class ServerTest : public service::testing::ServiceFixture {
 protected:
  void SetUp() override { StartService(); }

  // A profile with this MRZ's document and attributes and one opaque face payload.
  std::string Seed(const std::string& mrz_text) {
    auto mrz = ParseMrz(mrz_text, MrzOptions{Clock::System().Today()});
    EXPECT_TRUE(mrz.ok());
    Enrollment e;
    AddMrzToEnrollment(*mrz, e);
    e.encounter.kind = EncounterKind::kBorderEntry;
    e.encounter.place = "LHR T5";
    BiometricRecord face;
    face.modality = "face";
    face.format = "image/png";
    face.payload = ToBytes("FACEBYTES");
    e.biometrics.push_back(face);
    auto id = store_->Enroll(e, Actor{"seed", "border_officer", "border_control"});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? id->ToString() : "";
  }
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
  EXPECT_EQ(routes, 18);
  // Every protected route's action is in the policy table (someone may call it), and the routes that
  // search describe their bodies.
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      if (!op.contains("x-idreg-action")) continue;
      const std::string action = op["x-idreg-action"];
      bool in_table = false;
      for (const PolicyRule& rule : PolicyTable()) in_table |= rule.action == action;
      EXPECT_TRUE(in_table) << method << " " << path << ": action " << action << " is in no policy rule";
    }
  }
  for (const char* path : {"/v1/border-entries", "/v1/consular-registrations", "/v1/identify", "/v1/verify"}) {
    const json& op = doc["paths"][path]["post"];
    EXPECT_TRUE(op["requestBody"]["content"]["application/json"]["schema"].contains("properties")) << path;
    bool described = false;
    for (auto& [code, r] : op["responses"].items()) {
      if (code[0] == '2') described |= r["content"]["application/json"]["schema"].contains("properties");
    }
    EXPECT_TRUE(described) << path;
  }
  for (const char* undocumented : {"/v1/nothing", "/v1/profiles", "/admin"}) {
    auto r = client_->Get(undocumented);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << undocumented;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  }
}

// Every protected route the document lists, called over HTTP by every role: a role the policy table
// allows gets past authorization under an allowed purpose (any answer but 401/403: an empty body may
// well be a 400) and is refused under a purpose not allowed; every other role is refused with a 403
// that says why, whatever its purpose, before its request is looked at; each refusal is audited.
TEST_F(ServerTest, EveryRouteAnswersEveryRoleAsThePolicyTableSays) {
  json doc = json::parse(client_->Get("/openapi.json")->body);
  auto denied_count = [&] {
    auto entries = store_->ReadAudit({});  // kept: a range-for over *temporary would dangle
    EXPECT_TRUE(entries.ok());
    int n = 0;
    if (entries.ok()) {
      for (const auto& e : *entries) n += e.action == "access.denied";
    }
    return n;
  };
  int calls = 0, refusals = 0;
  const int denied_before = denied_count();
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      if (!op.contains("x-idreg-action")) continue;
      const std::string action = op["x-idreg-action"];
      for (std::string_view role_view : kRoles) {
        const std::string role(role_view);
        std::vector<std::string_view> allowed;
        bool role_may = false;
        for (const PolicyRule& rule : PolicyTable()) {
          if (rule.role != role || rule.action != action) continue;
          role_may = true;
          allowed.insert(allowed.end(), rule.purposes.begin(), rule.purposes.end());
        }
        std::vector<std::pair<std::string, bool>> tries;  // purpose, expect authorized
        if (role_may) {
          for (std::string_view p : allowed) tries.emplace_back(std::string(p), true);
          for (std::string_view p : kPurposes) {
            if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), p) == allowed.end()) {
              tries.emplace_back(std::string(p), false);
              break;
            }
          }
        } else {
          for (std::string_view p : kPurposes) tries.emplace_back(std::string(p), false);
        }
        for (const auto& [purpose, authorized] : tries) {
          // A fresh profile per call: an allowed erasure must not take the next call's profile away.
          std::string concrete = path;
          if (auto i = concrete.find("{id}"); i != std::string::npos) concrete.replace(i, 4, Seed(kTd3));
          const auto headers = As(role, purpose);
          httplib::Result r = method == "get"      ? client_->Get(concrete.c_str(), headers)
                              : method == "delete" ? client_->Delete(concrete.c_str(), headers)
                                                   : Post(concrete, "{}", headers);
          ASSERT_TRUE(r) << method << " " << path;
          ++calls;
          const std::string what = method + " " + path + " as " + role + " for " + purpose + ": ";
          if (authorized) {
            EXPECT_NE(r->status, 401) << what << r->body;
            EXPECT_NE(r->status, 403) << what << r->body;
            EXPECT_LT(r->status, 500) << what << r->body;
          } else {
            ++refusals;
            EXPECT_EQ(r->status, 403) << what << r->body;
            EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << what;
            EXPECT_NE(r->body.find("may not perform " + action), std::string::npos) << what << r->body;
          }
        }
      }
    }
  }
  EXPECT_GE(calls, 5 * 16);
  EXPECT_EQ(denied_count() - denied_before, refusals);
  EXPECT_TRUE(store_->VerifyAudit()->ok);
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
           {json{{"mrz", kTd3}, {"port_of_entry", "x"}}.dump(), 422, "no usable biometric sample (none was given)"},
           {json{{"mrz", kTd3}, {"port_of_entry", "x"}, {"samples", {{{"modality", "finger"}, {"position", "right_index"},
                                                                       {"data", "aGk="}}}}}.dump(),
            422, "finger right_index (samples[0])"},
           {json{{"mrz", kTd3}, {"port_of_entry", "x"}, {"samples", "finger"}}.dump(), 400, "samples must be an array"},
           {json{{"mrz", kTd3}, {"port_of_entry", "x"}, {"consents", "all"}}.dump(), 400, "consents"},
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
  std::string id = Seed(kTd3);
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
  std::string id = Seed(kVisa);
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
  std::string id = Seed(kTd3);
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
  EXPECT_NE(metrics->body.find("idreg_http_requests_total{route=\"DELETE /v1/profiles/{id}\",status=\"200\"} 1"),
            std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("idreg_gallery_samples{modality=\"finger\"} 0"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("idreg_searches_per_second 0"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("idreg_http_request_duration_seconds_count"), std::string::npos);
}

TEST_F(ServerTest, CredentialsDiscloseOnlyChosenClaimsAndVerifyWithThePublishedKey) {
  std::string id = Seed(kTd3);
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
