#include "service/http.h"

namespace idreg::service {

std::string Request::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

Response Response::Json(const nlohmann::json& j, int status) {
  return Response{status, "application/json", j.dump(2) + "\n"};
}

Response Response::Problem(int status, const std::string& title, const std::string& detail) {
  nlohmann::json j = {{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  return Response{status, "application/problem+json", j.dump(2) + "\n"};
}

Response Response::FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return Json(nlohmann::json::object());
    case StatusCode::kInvalidArgument: return Problem(400, "Bad Request", s.message());
    case StatusCode::kNotFound: return Problem(404, "Not Found", s.message());
    case StatusCode::kAlreadyExists: return Problem(409, "Conflict", s.message());
    case StatusCode::kUnauthenticated: return Problem(401, "Unauthorized", s.message());
    case StatusCode::kPermissionDenied: return Problem(403, "Forbidden", s.message());
    case StatusCode::kUnavailable: return Problem(503, "Service Unavailable", s.message());
    case StatusCode::kCorruption:
    case StatusCode::kInternal: return Problem(500, "Internal Server Error", s.ToString());
  }
  return Problem(500, "Internal Server Error", s.ToString());
}

Result<nlohmann::json> ParseJsonBody(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Re-parse with exceptions only to get the position for the message.
    try {
      nlohmann::json reparsed = nlohmann::json::parse(body);
      (void)reparsed;
    } catch (const nlohmann::json::parse_error& e) {
      return Status::InvalidArgument("malformed JSON body at byte " + std::to_string(e.byte) + ": " + e.what());
    }
    return Status::InvalidArgument("malformed JSON body");
  }
  if (!j.is_object()) return Status::InvalidArgument("the JSON body must be an object");
  return j;
}

}  // namespace idreg::service
