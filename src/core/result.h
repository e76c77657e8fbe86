// Result<T> and Status: how expected failures travel up the layers.
//
// A function that can fail for reasons the caller must handle (bad input, a
// missing record, a stale version) returns Status or Result<T>. Exceptions are
// kept for bugs and infrastructure failures; the HTTP layer turns those into a
// 500 with a correlation id.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/errors.h"

namespace tandem {

// One problem with one input field; `field` is a JSON-pointer-like path such as
// "title" or "custom.vendor" or "filter[priority]".
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  std::vector<FieldError> fields;
  // The separation-of-duties rule that refused (DutyRule::Name()), if one did.
  std::string rule;
  // kTooManyRequests and kUnavailable: whole seconds until a retry can
  // succeed (the Retry-After header); 0 when the code's default applies.
  int retry_after_seconds = 0;

  Error() = default;
  Error(ErrorCode c, std::string d, std::vector<FieldError> f = {})
      : code(c), detail(std::move(d)), fields(std::move(f)) {}
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }
  Error& error() { return *error_; }

 private:
  std::optional<Error> error_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Error e) : v_(std::move(e)) {}           // NOLINT
  Result(Status s) : v_(std::move(s.error())) {}  // only from a failed Status

  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

// Shorthands used throughout: return Invalid("…") and so on.
inline Error MakeError(ErrorCode code, std::string detail, std::vector<FieldError> fields = {}) {
  return Error(code, std::move(detail), std::move(fields));
}

}  // namespace tandem

#define TANDEM_RETURN_IF_ERROR(expr)   \
  do {                                 \
    ::tandem::Status _st = (expr);     \
    if (!_st.ok()) return _st.error(); \
  } while (0)

#define TANDEM_CONCAT_INNER(a, b) a##b
#define TANDEM_CONCAT(a, b) TANDEM_CONCAT_INNER(a, b)
#define TANDEM_ASSIGN_OR_RETURN(lhs, expr)                                                 \
  auto TANDEM_CONCAT(_res_, __LINE__) = (expr);                                            \
  if (!TANDEM_CONCAT(_res_, __LINE__).ok()) return TANDEM_CONCAT(_res_, __LINE__).error(); \
  lhs = std::move(TANDEM_CONCAT(_res_, __LINE__)).value()
