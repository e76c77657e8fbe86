// What every API handler works with: the request, the response, the request
// id and the authenticated caller; and the request parsing they share.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "auth/session_cookie.h"
#include "core/result.h"
#include "http/problem.h"
#include "domains/standards/index.h"
#include "records/engine.h"

namespace tandem::http {

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::string request_id;
  auth::Identity who;      // empty actor (no grants) until authenticated
  std::string session_id;  // the session cookie's value, when signed in by cookie
  std::string client;      // the client's address

  const records::Actor& actor() const { return who.actor; }
  void Fail(const Error& e) { WriteProblem(res, e, req.path, request_id); }
  void Fail(ErrorCode code, std::string detail) { Fail(MakeError(code, std::move(detail))); }
  void MethodNotAllowed(const char* allowed) {
    res.set_header("Allow", allowed);
    Fail(ErrorCode::kMethodNotAllowed, req.method + " is not allowed here; use " + allowed);
  }
};

// The JSON body (application/json, or merge-patch when allowed); refuses other
// media types, malformed JSON and hostile nesting.
Result<nlohmann::json> ParseBody(const httplib::Request& req, bool allow_merge_patch);

// The version named by If-Match: "3" (or W/"3", or 3); nullopt when absent,
// a 400 when it names no version.
Result<std::optional<int64_t>> IfMatch(const httplib::Request& req);

// Sends `body` as a file download: its media type and a file name made of
// `name` (a key such as iso27001:2022 becomes iso27001-2022) and `extension`.
void WriteFile(Call& call, const std::string& body, const char* media_type, std::string name,
               const char* extension);

// The `format` query parameter: "json" when absent, else one of `allowed`
// (the first of which is "json"), or a 400 listing them.
Result<std::string> FormatParam(const httplib::Request& req,
                                std::initializer_list<const char*> allowed);

// A string member of `body`, or a 422 naming it.
Result<std::string> StringField(const nlohmann::json& body, const char* name);

// /auth/... and /admin/... (auth_api.cpp). `seg` excludes the leading "auth"/"admin".
void HandleAuth(auth::AuthService& auth, Call& call, const std::vector<std::string>& seg,
                bool secure_cookies);
void HandleAdmin(auth::AuthService& auth, records::Engine& engine, Call& call,
                 const std::vector<std::string>& seg);

// The standards and traceability views (standards_api.cpp): true when the
// request was one of them and is answered. A standard named by its key in a
// record route is replaced in `seg` by its id for the generic routes.
bool HandleStandardsViews(domains::StandardsIndex& index, Call& call,
                          std::vector<std::string>& seg);

// The Statement of Applicability views (soa_api.cpp): true when the request
// was one of them and is answered.
bool HandleSoaViews(records::Engine& engine, Call& call, const std::vector<std::string>& seg);

}  // namespace tandem::http
