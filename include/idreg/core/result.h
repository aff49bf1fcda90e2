// Result<T>: a value or the Status explaining why there is none.
#ifndef IDREG_CORE_RESULT_H_
#define IDREG_CORE_RESULT_H_

#include <cstdlib>
#include <cstdio>
#include <optional>
#include <utility>

#include "idreg/core/status.h"

namespace idreg {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) {
      // An OK Result must carry a value: constructing one from OK is a programming error.
      std::fprintf(stderr, "idreg: Result constructed from an OK status\n");
      std::abort();
    }
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Accessors abort on an error Result: check ok() first.
  T& value() & { Check(); return *value_; }
  const T& value() const& { Check(); return *value_; }
  T&& value() && { Check(); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void Check() const {
    if (!value_) {
      std::fprintf(stderr, "idreg: value() of an error Result: %s\n", status_.ToString().c_str());
      std::abort();
    }
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace idreg

#define IDREG_CONCAT_INNER_(a, b) a##b
#define IDREG_CONCAT_(a, b) IDREG_CONCAT_INNER_(a, b)

// IDREG_ASSIGN_OR_RETURN(auto x, Compute()); declares x from the Result's value, or returns
// its Status from the enclosing function.
#define IDREG_ASSIGN_OR_RETURN(decl, expr) \
  IDREG_ASSIGN_OR_RETURN_IMPL_(IDREG_CONCAT_(idreg_result_, __LINE__), decl, expr)
#define IDREG_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  decl = std::move(tmp).value()

#endif  // IDREG_CORE_RESULT_H_
