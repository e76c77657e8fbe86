// The error table: every expected failure has one code, and each code has one
// HTTP status, one stable problem type and one title. Handlers never pick
// status codes themselves.
#pragma once

#include <string_view>

namespace tandem {

enum class ErrorCode {
  kBadRequest,  // malformed request: bad JSON, bad query parameter
  kValidation,  // well-formed but invalid fields (errors[] names them)
  kNotFound,    // no such record, collection or route
  kMethodNotAllowed,
  kConflict,              // e.g. illegal state transition, duplicate
  kPreconditionRequired,  // PATCH without If-Match
  kPreconditionFailed,    // If-Match names a stale version
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kRequestTimeout,  // the client did not send a complete request in time
  kHeaderTooLarge,  // the request header exceeds the limit
  kUnauthorized,
  kForbidden,
  kTooManyRequests,  // throttled (e.g. repeated failed sign-ins); retry later
  kUnavailable,      // database down or overloaded; retry later
  kCorruption,       // stored data failed an integrity check
  kInternal,         // a bug; never carries internals to the client
};

struct ErrorInfo {
  int http_status;
  std::string_view type;   // stable URI reference, e.g. "urn:tandem:problem:validation"
  std::string_view title;  // short, human, identical for every occurrence
};

const ErrorInfo& Describe(ErrorCode code);

}  // namespace tandem
