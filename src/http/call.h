// What every API handler works with: the request, the response, the request
// id, the authenticated caller and the route's parameters; and the request
// parsing and response writing they share. A handler returns Status: the
// dispatcher (api.cpp) answers every error as problem+json, so no handler
// writes one itself.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "core/report.h"
#include "core/result.h"
#include "http/problem.h"
#include "records/engine.h"

namespace tandem::http {

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::string request_id;
  auth::Identity who;               // empty actor (no grants) until authenticated
  std::string session_id;           // the session cookie's value, when signed in by cookie
  std::string client;               // the client's address
  bool secure_cookies = false;      // served over TLS (directly or behind a proxy)
  std::vector<std::string> params;  // the route's {parameters}, in path order

  const records::Actor& actor() const { return who.actor; }
  // Route parameter `i` ({id} of "/incidents/{id}" is 0).
  const std::string& param(size_t i) const { return params.at(i); }
  // The query parameter `name`, "" when absent.
  std::string query(const char* name) const {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
  }
};

// The JSON body (application/json, or merge-patch when allowed); refuses other
// media types, malformed JSON and hostile nesting.
Result<nlohmann::json> ParseBody(const httplib::Request& req, bool allow_merge_patch);

// The version named by If-Match: "3" (or W/"3", or 3); nullopt when absent,
// a 400 when it names no version.
Result<std::optional<int64_t>> IfMatch(const httplib::Request& req);

// A string member of `body`, or a 422 naming it.
Result<std::string> StringField(const nlohmann::json& body, const char* name);
// The named string members of the JSON body, in order (other members are
// ignored); a 4xx for bad JSON or a member missing or not a string.
Result<std::vector<std::string>> BodyStrings(const Call& call,
                                             std::initializer_list<const char*> names);

// A query parameter that must be present and not blank, or a 400 naming it
// with an example.
Result<std::string> RequiredParam(const Call& call, const char* name, const char* example);
// An optional true/false parameter (false when absent), or a 400.
Result<bool> BoolParam(const Call& call, const char* name);
// An optional whole-number parameter from `lo` to `hi`; `fallback` when absent.
Result<size_t> CountParam(const Call& call, const char* name, size_t lo, size_t hi,
                          size_t fallback);
// The `format` query parameter: "json" when absent, else one of `allowed`
// (the first of which is "json"), or a 400 listing them.
Result<std::string> FormatParam(const httplib::Request& req,
                                std::initializer_list<const char*> allowed);

// Writes `body` as JSON with `status`; Ok, for `return Reply(...)`.
Status Reply(Call& call, int status, const nlohmann::json& body);
// A record with its ETag (the version).
Status ReplyRecord(Call& call, int status, const nlohmann::json& record);
// 204, no body.
Status ReplyNoContent(Call& call);
// Sends `body` as a file download: its media type and a file name made of
// `name` (a key such as iso27001:2022 becomes iso27001-2022) and `extension`.
Status ReplyFile(Call& call, const std::string& body, const char* media_type, std::string name,
                 const char* extension);

// Sends a stored file as an attachment: its name, the type it is served as
// (never one a browser would run, core/media_type.h) and a sandbox policy.
Status ReplyStoredFile(Call& call, const records::Engine::FileContent& file);

// Sends `report` as the `format` query parameter asks: json (default, the
// report's blocks), html (a page of its own) or pdf (a download named
// `name`.pdf).
Status ReplyReport(Call& call, const Report& report, const std::string& name);
// The OpenAPI 200 response of ReplyReport, and its format parameter.
nlohmann::json ReportResponse(const std::string& description);
nlohmann::json ReportFormatParam();

// The media type of XLSX downloads.
inline constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace tandem::http
