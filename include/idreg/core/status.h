// Status: the outcome of an operation at a module edge. No exception crosses a module
// edge in idreg: bad input returns a Status naming what is wrong; a broken invariant aborts.
#ifndef IDREG_CORE_STATUS_H_
#define IDREG_CORE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace idreg {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kCorruption,
  kUnauthenticated,
  kPermissionDenied,
  kUnavailable,
  kInternal,
};

// The lower-case name of a code, e.g. "invalid argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: <message>", or "ok".
  std::string ToString() const;

  // A copy whose message is prefixed by `context` ("context: message"); OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace idreg

// Returns from the enclosing function when `expr` yields a non-OK Status.
#define IDREG_RETURN_IF_ERROR(expr)              \
  do {                                           \
    ::idreg::Status idreg_status_ = (expr);      \
    if (!idreg_status_.ok()) return idreg_status_; \
  } while (0)

#endif  // IDREG_CORE_STATUS_H_
