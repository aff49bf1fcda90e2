// The biometric routes over real HTTP on real data: FVC2002 DB1_B fingerprint images (extracted by
// the service, as the committed finger calibration was fitted on idreg's own templates) and NIST
// 1036 genotypes from ../shared/data. Border entries deduplicate (new, match, possible_fraud), the
// possible fraud waits in the review queue until an adjudicator decides, consular registrations
// verify the live sample first, identify and verify answer, bad input gets problem details.
#include <gtest/gtest.h>

#include <filesystem>

#include "idreg/core/bytes.h"
#include "idreg/document/mrz.h"
#include "idreg/dna/profile_io.h"
#include "service/service_test_support.h"

namespace idreg::service {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string Fvc(int finger, int impression, const std::string& ext = "tif") {
  return testing::kSharedData + "fingerprint/fvc2002/DB1_B/" + std::to_string(finger) + "_" +
         std::to_string(impression) + "." + ext;
}

// A valid TD3 zone of Utopia with this name, document number (letters and digits) and birth date.
std::string Td3(const std::string& surname, const std::string& given, const std::string& number,
                const std::string& birth) {
  auto digit = [](const std::string& f) { return static_cast<char>('0' + MrzCheckDigit(f)); };
  std::string l1 = "P<UTO" + surname + "<<" + given;
  l1.resize(44, '<');
  std::string num = number;
  num.resize(9, '<');
  const std::string n = num + digit(num), b = birth + digit(birth), e = std::string("320415") + digit("320415");
  const std::string o = std::string(14, '<') + digit(std::string(14, '<'));
  return l1 + "|" + n + "UTO" + b + "F" + e + o + digit(n + b + e + o);
}

json Finger(const std::string& position, const std::string& path) {
  return {{"modality", "finger"}, {"position", position}, {"data", Base64Encode(ToBytes(testing::ReadAll(path)))}};
}

class BiometricRoutesTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    for (const std::string& f : {Fvc(101, 1, "tif"), Fvc(101, 2, "tif"), Fvc(102, 1, "tif"), Fvc(102, 2, "tif"), Fvc(105, 1, "tif")}) {
      if (!fs::exists(f)) GTEST_SKIP() << "missing " << f;
    }
    for (const std::string& f : {std::string("nist1036_genotypes_2017.csv"), std::string("nist1036_allele_freqs_2017.csv")}) {
      if (!fs::exists(testing::kSharedData + "dna/" + f)) GTEST_SKIP() << "missing " << testing::kSharedData << "dna/" << f;
    }
    if (!fs::exists(testing::kCalibrationDir + "/finger.json")) GTEST_SKIP() << "missing " << testing::kCalibrationDir;
    StartService(/*dna=*/true);
  }
  json Entry(const std::string& mrz, const std::vector<json>& samples, int status) {
    return PostJson("/v1/border-entries", {{"mrz", mrz}, {"port_of_entry", "LHR T5"}, {"samples", json(samples)}},
                    As("border_officer", "border_control"), status);
  }
  json Dna(int person) {
    static const auto people = dna::ParseNist1036Csv(testing::ReadAll(testing::kSharedData + "dna/nist1036_genotypes_2017.csv"));
    EXPECT_TRUE(people.ok());
    return {{"modality", "dna"}, {"data", Base64Encode(ToBytes(dna::ProfileToJson((*people)[person])))}};
  }

  const std::string anna_ = Td3("ERIKSSON", "ANNA", "L898902C3", "740812");
};

TEST_F(BiometricRoutesTest, BorderEntriesDeduplicateAndPossibleFraudIsAdjudicated) {
  // A new person: a real image (extracted by the service) and an ISO record.
  json a = Entry(anna_, {Finger("right_index", Fvc(101, 1, "tif")), Finger("left_index", Fvc(102, 1, "tif"))}, 201);
  ASSERT_EQ(a["decision"], "new") << a.dump();
  EXPECT_EQ(a["committed"], true);
  const std::string id_a = a["profile_id"];
  EXPECT_EQ(engine_->persons(), 1u);

  // The same fingers under another passport: possible fraud, no profile, a review case.
  json fraud = Entry(Td3("DOE", "JANE", "Z9999999", "790101"),
                     {Finger("right_index", Fvc(101, 2, "tif")), Finger("left_index", Fvc(102, 2, "tif"))}, 202);
  ASSERT_EQ(fraud["decision"], "possible_fraud") << fraud.dump(2);
  EXPECT_EQ(fraud["committed"], false);
  ASSERT_FALSE(fraud["candidates"].empty());
  EXPECT_EQ(fraud["candidates"][0]["profile_id"], id_a);
  EXPECT_GT(fraud["candidates"][0]["llr"].get<double>(), fraud["search"]["thresholds"]["match"].get<double>());
  EXPECT_FALSE(fraud["candidates"][0]["parts"].empty());
  EXPECT_TRUE(fraud["candidates"][0]["modality_llr"].contains("finger"));
  const std::string case_id = fraud["review_id"];
  EXPECT_EQ(engine_->persons(), 1u) << "nothing joins the galleries before a decision";
  EXPECT_EQ(store_->ListProfiles(Actor{"t", "admin", "test"})->size(), 1u);

  // The adjudicator sees it, with the waiting enrollment; a border officer may not.
  EXPECT_EQ(client_->Get("/v1/reviews", As("border_officer", "border_control"))->status, 403);
  json queue = GetJson("/v1/reviews", As("adjudicator", "adjudication"), 200);
  ASSERT_EQ(queue["reviews"].size(), 1u) << queue.dump(2);
  const json& c = queue["reviews"][0];
  EXPECT_EQ(c["id"], case_id);
  EXPECT_EQ(c["kind"], "possible_fraud");
  EXPECT_EQ(c["state"], "pending");
  EXPECT_EQ(c["candidates"][0]["profile_id"], id_a);
  EXPECT_EQ(c["pending"]["attributes"][0]["value"], "DOE");
  ASSERT_EQ(c["pending"]["samples"].size(), 2u);
  EXPECT_FALSE(c["pending"]["samples"][0].contains("data"));
  json with_data = GetJson("/v1/reviews?include=biometrics", As("adjudicator", "adjudication"), 200);
  EXPECT_TRUE(with_data["reviews"][0]["pending"]["samples"][0].contains("data"));
  // One case by id: the same view; biometrics only on request and for a role allowed to read them.
  json one = GetJson("/v1/reviews/" + case_id, As("adjudicator", "adjudication"), 200);
  EXPECT_EQ(one["id"], case_id);
  EXPECT_EQ(one["pending"]["samples"].size(), 2u);
  EXPECT_FALSE(one["pending"]["samples"][0].contains("data"));
  EXPECT_TRUE(GetJson("/v1/reviews/" + case_id + "?include=biometrics", As("adjudicator", "adjudication"), 200)
                  ["pending"]["samples"][0].contains("data"));
  EXPECT_EQ(client_->Get(("/v1/reviews/" + case_id).c_str(), As("border_officer", "border_control"))->status, 403);
  GetJson("/v1/reviews/" + Id::Random().ToString(), As("adjudicator", "adjudication"), 404);
  GetJson("/v1/reviews/not-an-id", As("adjudicator", "adjudication"), 400);
  // The pending enrollment is sealed at rest: the name is in no file of the store.
  EXPECT_FALSE(idreg::testing::AnyFileContains(dir_.path(), "DOE<<JANE")) << "the pending MRZ leaked to disk";

  // Decisions: wrong inputs first, then link to the candidate.
  const std::string decide = "/v1/reviews/" + case_id + "/decision";
  auto adj = As("adjudicator", "adjudication");
  PostJson(decide, {{"decision", "link"}, {"profile_id", id_a}, {"reason", "same person"}},
           As("border_officer", "border_control"), 403);
  PostJson(decide, {{"decision", "merge"}, {"reason", "x"}}, adj, 400);
  PostJson(decide, {{"decision", "link"}, {"profile_id", id_a}}, adj, 400);
  PostJson(decide, {{"decision", "link"}, {"reason", "x"}}, adj, 400);
  PostJson(decide, {{"decision", "link"}, {"profile_id", Id::Random().ToString()}, {"reason", "x"}}, adj, 400);
  PostJson("/v1/reviews/" + Id::Random().ToString() + "/decision", {{"decision", "reject"}, {"reason", "x"}}, adj, 404);
  json linked = PostJson(decide, {{"decision", "link"}, {"profile_id", id_a}, {"reason", "second passport, same person"}},
                         adj, 200);
  EXPECT_EQ(linked["state"], "linked");
  EXPECT_EQ(linked["profile_id"], id_a);
  PostJson(decide, {{"decision", "reject"}, {"reason", "again"}}, adj, 409);
  auto p = store_->GetProfile(*Id::Parse(id_a), Actor{"t", "admin", "test"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->encounters.size(), 2u);
  EXPECT_EQ(p->biometrics.size(), 4u);
  EXPECT_EQ(GetJson("/v1/reviews", adj, 200)["reviews"].size(), 0u);

  EXPECT_EQ(GetJson("/v1/reviews?state=linked", adj, 200)["reviews"][0]["decision_reason"], "second passport, same person");

  // The same person with the same passport: the encounter joins her profile.
  json back = Entry(anna_, {Finger("right_index", Fvc(101, 6, "tif")), Finger("left_index", Fvc(102, 6, "tif"))}, 200);
  EXPECT_EQ(back["decision"], "match") << back.dump(2);
  EXPECT_EQ(back["profile_id"], id_a);
  EXPECT_TRUE(back.contains("encounter_id"));

  // Another attempt, rejected; and one enrolled as a new person (the engine learns it).
  json again = Entry(Td3("ROE", "RICH", "Y7654321", "700101"), {Finger("right_index", Fvc(101, 3, "tif"))}, 202);
  ASSERT_TRUE(again.contains("review_id")) << again.dump(2);
  PostJson("/v1/reviews/" + again["review_id"].get<std::string>() + "/decision",
           {{"decision", "reject"}, {"reason", "impostor"}}, adj, 200);
  json twin = Entry(Td3("SMITH", "JOHN", "X1234567", "800101"), {Finger("right_index", Fvc(101, 4, "tif")), Dna(40)}, 202);
  ASSERT_TRUE(twin.contains("review_id")) << twin.dump(2);
  json enrolled = PostJson("/v1/reviews/" + twin["review_id"].get<std::string>() + "/decision",
                           {{"decision", "enroll_new"}, {"reason", "twins: different DNA"}}, adj, 200);
  EXPECT_EQ(enrolled["state"], "enrolled");
  EXPECT_EQ(engine_->persons(), 2u);
  json by_dna = PostJson("/v1/identify", {{"samples", {Dna(40)}}}, As("border_officer", "border_control"), 200);
  EXPECT_EQ(by_dna["decision"], "match") << by_dna.dump(2);
  EXPECT_EQ(by_dna["candidates"][0]["profile_id"], enrolled["profile_id"]);


  auto audit = store_->ReadAudit({});
  std::map<std::string, int> actions;
  for (const auto& e : *audit) ++actions[e.action];
  EXPECT_EQ(actions["review.open"], 3);
  EXPECT_EQ(actions["review.decide"], 3);
  EXPECT_GE(actions["dedup.possible_fraud"], 1);
  EXPECT_TRUE(store_->VerifyAudit()->ok);

  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("idreg_gallery_profiles{modality=\"finger\"} 2"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("idreg_searches_total{kind=\"dedup\"} 5"), std::string::npos) << metrics->body;
}

TEST_F(BiometricRoutesTest, ConsularRegistrationVerifiesTheLiveSampleFirst) {
  json a = Entry(anna_, {Finger("right_index", Fvc(101, 1, "tif")), Finger("left_index", Fvc(102, 1, "tif"))}, 201);
  const std::string id_a = a["profile_id"];
  const json residence = {{"country", "CAN"}, {"address", "1 Main Street, Toronto"}, {"consulate", "Toronto"}};
  auto consul = As("consular_officer", "consular_service");
  // Someone else's fingers: refused, audited, nothing written.
  json refused = PostJson("/v1/consular-registrations",
                          {{"profile_id", id_a}, {"residence", residence},
                           {"samples", {Finger("right_index", Fvc(105, 1, "tif")), Finger("left_index", Fvc(106, 1, "tif"))}}},
                          consul, 422);
  EXPECT_EQ(refused["verified"], false);
  EXPECT_NE(refused["detail"].get<std::string>().find("does not match"), std::string::npos) << refused.dump(2);
  // Her own live fingers, naming her by passport: registered.
  json ok = PostJson("/v1/consular-registrations",
                     {{"mrz", anna_}, {"residence", residence},
                      {"samples", {Finger("right_index", Fvc(101, 4, "tif")), Finger("left_index", Fvc(102, 4, "tif"))}}},
                     consul, 201);
  EXPECT_EQ(ok["verified"], true) << ok.dump(2);
  EXPECT_EQ(ok["profile_id"], id_a);
  EXPECT_GE(ok["llr"].get<double>(), ok["threshold"].get<double>());
  auto p = store_->GetProfile(*Id::Parse(id_a), Actor{"t", "admin", "test"});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->encounters.size(), 2u);
  EXPECT_EQ(p->encounters[1].kind, EncounterKind::kConsularRegistration);
  EXPECT_EQ(p->encounters[1].place, "Toronto");
  EXPECT_EQ(p->Attr("residence_country"), "CAN");
  EXPECT_EQ(p->biometrics.size(), 4u);
  // She moves: a later registration's residence is the one the profile reads.
  PostJson("/v1/consular-registrations",
           {{"profile_id", id_a},
            {"residence", {{"country", "MEX"}, {"address", "Calle 5, Monterrey"}, {"consulate", "Monterrey"}}},
            {"samples", {Finger("right_index", Fvc(101, 5, "tif")), Finger("left_index", Fvc(102, 5, "tif"))}}},
           consul, 201);
  auto moved = store_->GetProfile(*Id::Parse(id_a), Actor{"t", "admin", "test"});
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->Attr("residence_country"), "MEX");
  // The credential now vouches for the registration abroad.
  json cred = PostJson("/v1/profiles/" + id_a + "/credentials", {{"claims", {"registered_abroad"}}}, consul, 201);
  EXPECT_TRUE(cred.contains("credential"));

  // Refusals and bad input.
  const json fingers = json::array({Finger("right_index", Fvc(101, 4, "tif"))});
  PostJson("/v1/consular-registrations", {{"profile_id", id_a}, {"residence", residence}, {"samples", fingers}},
           As("border_officer", "border_control"), 403);
  PostJson("/v1/consular-registrations", {{"residence", residence}, {"samples", fingers}}, consul, 400);
  PostJson("/v1/consular-registrations", {{"profile_id", id_a}, {"samples", fingers}}, consul, 400);
  PostJson("/v1/consular-registrations",
           {{"profile_id", id_a}, {"residence", {{"country", "canada"}, {"address", "x"}, {"consulate", "y"}}},
            {"samples", fingers}},
           consul, 400);
  PostJson("/v1/consular-registrations",
           {{"mrz", Td3("NOBODY", "NEMO", "Q1111111", "800101")}, {"residence", residence}, {"samples", fingers}},
           consul, 404);
  json nobody = PostJson("/v1/consular-registrations",
                         {{"profile_id", Id::Random().ToString()}, {"residence", residence}, {"samples", fingers}}, consul, 422);
  EXPECT_EQ(nobody["title"], "Verification impossible") << nobody.dump(2);
  PostJson("/v1/consular-registrations", {{"profile_id", id_a}, {"residence", residence}}, consul, 422);
  int refusals = 0;
  std::string actions;
  const auto audit = store_->ReadAudit({});  // named: a range over *temporary would dangle
  for (const auto& e : *audit) {
    refusals += e.action == "consular_registration.refused";
    actions += e.action + " ";
  }
  EXPECT_EQ(refusals, 2) << actions;
}

TEST_F(BiometricRoutesTest, IdentifyAndVerify) {
  json a = Entry(anna_, {Finger("right_index", Fvc(101, 1, "tif")), Dna(3)}, 201);
  json b = Entry(Td3("SMITH", "JOHN", "X1234567", "800101"), {Finger("right_index", Fvc(102, 1, "tif")), Dna(40)}, 201);
  const std::string id_a = a["profile_id"], id_b = b["profile_id"];
  auto officer = As("border_officer", "border_control");
  json hit = PostJson("/v1/identify", {{"samples", {Finger("", Fvc(102, 2, "tif"))}}}, officer, 200);
  EXPECT_EQ(hit["ranked"][0]["profile_id"], id_b) << hit.dump(2);
  EXPECT_EQ(hit["persons_searched"], 2);
  json dna = PostJson("/v1/identify", {{"samples", {Dna(3)}}}, officer, 200);
  EXPECT_EQ(dna["decision"], "match");
  EXPECT_EQ(dna["candidates"][0]["profile_id"], id_a);
  // Restricted searches.
  json only_a = PostJson("/v1/identify", {{"samples", {Finger("", Fvc(102, 2, "tif"))}}, {"profile_ids", {id_a}}}, officer, 200);
  EXPECT_EQ(only_a["persons_searched"], 1);
  for (const auto& c : only_a["ranked"]) EXPECT_EQ(c["profile_id"], id_a);
  ASSERT_TRUE(store_->AddToWatchlist("red", *Id::Parse(id_b), "test", Actor{"t", "admin", "test"}).ok());
  json listed = PostJson("/v1/identify", {{"samples", {Dna(40)}}, {"watchlist", "red"}}, officer, 200);
  EXPECT_EQ(listed["selector"], "watchlist:red");
  EXPECT_EQ(listed["candidates"][0]["profile_id"], id_b);
  PostJson("/v1/identify", {{"samples", {Dna(40)}}, {"watchlist", "blue"}}, officer, 404);
  PostJson("/v1/identify", {{"samples", {Dna(40)}}, {"watchlist", "red"}, {"profile_ids", {id_a}}}, officer, 400);
  PostJson("/v1/identify", {{"samples", {Dna(40)}}, {"profile_ids", {"nope"}}}, officer, 400);
  PostJson("/v1/identify", {{"samples", {Dna(40)}}, {"top", 0}}, officer, 400);
  PostJson("/v1/identify", json::object(), officer, 400);
  PostJson("/v1/identify", {{"samples", {Dna(40)}}}, As("auditor", "audit"), 403);

  json yes = PostJson("/v1/verify", {{"profile_id", id_a}, {"samples", {Dna(3)}}}, officer, 200);
  EXPECT_EQ(yes["verified"], true) << yes.dump(2);
  json no = PostJson("/v1/verify", {{"profile_id", id_b}, {"samples", {Dna(3)}}}, officer, 200);
  EXPECT_EQ(no["verified"], false);
  json finger_yes = PostJson("/v1/verify", {{"profile_id", id_b}, {"samples", {Finger("right_index", Fvc(102, 3, "tif"))}}},
                             As("consular_officer", "consular_service"), 200);
  EXPECT_FALSE(finger_yes["parts"].empty());
  PostJson("/v1/verify", {{"samples", {Dna(3)}}}, officer, 400);
  PostJson("/v1/verify", {{"profile_id", "xyz"}, {"samples", {Dna(3)}}}, officer, 400);
  PostJson("/v1/verify", {{"profile_id", Id::Random().ToString()}, {"samples", {Dna(3)}}}, officer, 404);
  json junk = PostJson("/v1/verify",
                       {{"profile_id", id_a}, {"samples", {{{"modality", "finger"}, {"data", Base64Encode(ToBytes("junk"))}}}}},
                       officer, 422);
  EXPECT_EQ(junk["rejected"].size(), 1u);
  auto malformed = Post("/v1/verify", "{\"profile_id\": ", officer);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(malformed->get_header_value("Content-Type"), "application/problem+json");

  // Erasure takes the person out of the galleries.
  EXPECT_EQ(client_->Delete(("/v1/profiles/" + id_a + "?reason=request").c_str(), As("admin", "erasure"))->status, 200);
  EXPECT_EQ(engine_->persons(), 1u);
  json gone = PostJson("/v1/identify", {{"samples", {Dna(3)}}}, officer, 200);
  for (const auto& c : gone["candidates"]) EXPECT_NE(c["profile_id"], id_a);
}

}  // namespace
}  // namespace idreg::service
