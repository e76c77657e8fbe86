#include "core/errors.h"

namespace tandem {

const ErrorInfo& Describe(ErrorCode code) {
  static const ErrorInfo kTable[] = {
      {400, "urn:tandem:problem:bad-request", "The request is malformed"},
      {422, "urn:tandem:problem:validation", "Some fields are invalid"},
      {404, "urn:tandem:problem:not-found", "Not found"},
      {405, "urn:tandem:problem:method-not-allowed", "Method not allowed"},
      {409, "urn:tandem:problem:conflict", "The request conflicts with the record's state"},
      {428, "urn:tandem:problem:precondition-required", "If-Match header required"},
      {412, "urn:tandem:problem:precondition-failed", "The record was changed by someone else"},
      {413, "urn:tandem:problem:payload-too-large", "Request body too large"},
      {415, "urn:tandem:problem:unsupported-media-type", "Unsupported media type"},
      {408, "urn:tandem:problem:request-timeout", "The request took too long to arrive"},
      {431, "urn:tandem:problem:header-too-large", "Request header too large"},
      {401, "urn:tandem:problem:unauthorized", "Authentication required"},
      {403, "urn:tandem:problem:forbidden", "Not allowed"},
      {429, "urn:tandem:problem:too-many-requests", "Too many requests"},
      {503, "urn:tandem:problem:unavailable", "Service temporarily unavailable"},
      {500, "urn:tandem:problem:corruption", "Stored data failed an integrity check"},
      {500, "urn:tandem:problem:internal", "Internal error"},
  };
  static_assert(sizeof(kTable) / sizeof(kTable[0]) ==
                static_cast<size_t>(ErrorCode::kInternal) + 1);
  return kTable[static_cast<size_t>(code)];
}

}  // namespace tandem
