// Audit routes (auditors): the log and the verification of its chain.
#include "idreg/service/profile_json.h"
#include "service/http.h"

namespace idreg::service {

std::vector<Route> AuditRoutes(ServiceContext& ctx) {
  return {
      {"GET", "/v1/audit", "audit.read", "Audit entries, oldest first (?profile=ID, ?after=SEQ, ?limit=N)", nullptr,
       {200, 400, 401, 403},
       [&ctx](const Request& r) {
         AuditQuery q;
         if (std::string p = r.Query("profile"); !p.empty()) {
           auto id = Id::Parse(p);
           if (!id.ok()) return Response::FromStatus(id.status().WithContext("profile"));
           q.object = *id;
         }
         try {
           q.after_seq = std::stoll(r.Query("after", "0"));
           q.limit = std::stoll(r.Query("limit", "1000"));
         } catch (const std::exception&) {
           return Response::Problem(400, "Bad Request", "after and limit must be integers");
         }
         if (q.limit <= 0 || q.limit > 10000) return Response::Problem(400, "Bad Request", "limit must be 1..10000");
         auto entries = ctx.store.ReadAudit(q);
         if (!entries.ok()) return Response::FromStatus(entries.status());
         nlohmann::json j = nlohmann::json::array();
         for (const auto& e : *entries) j.push_back(AuditEntryToJson(e));
         return Response::Json({{"entries", j}});
       }},
      {"GET", "/v1/audit/verify", "audit.verify", "Verify the whole audit chain", nullptr, {200, 401, 403},
       [&ctx](const Request&) {
         auto v = ctx.store.VerifyAudit();
         if (!v.ok()) return Response::FromStatus(v.status());
         return Response::Json({{"intact", v->ok}, {"entries", v->entries}, {"first_bad_seq", v->first_bad_seq},
                                {"problem", v->problem}, {"head_hash", v->head_hash}});
       }},
  };
}

}  // namespace idreg::service
