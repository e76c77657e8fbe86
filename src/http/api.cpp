#include "http/api.h"

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "auth/session_cookie.h"
#include "core/client_address.h"
#include "core/hash.h"
#include "core/json_depth.h"
#include "core/media_type.h"
#include "core/url.h"
#include "http/call.h"
#include "http/openapi.h"

namespace tandem::http {

using nlohmann::json;
using namespace oas;

namespace {

constexpr int kMaxJsonDepth = 64;

}  // namespace

// --- what handlers share ------------------------------------------------------

Result<json> ParseBody(const httplib::Request& req, bool allow_merge_patch) {
  const std::string ct = req.get_header_value("Content-Type");
  const bool is_json = ct.starts_with("application/json") ||
                       (allow_merge_patch && ct.starts_with("application/merge-patch+json"));
  if (!is_json)
    return MakeError(ErrorCode::kUnsupportedMediaType,
                     ct.empty() ? "send the body as Content-Type: application/json"
                                : "Content-Type " + ct + " is not accepted; use application/json");
  if (JsonNestingDepth(req.body) > kMaxJsonDepth)
    return MakeError(ErrorCode::kBadRequest, "the JSON body is nested too deeply");
  try {
    return json::parse(req.body);
  } catch (const json::exception& e) {  // syntax, and numbers beyond a double (1e400)
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    return MakeError(ErrorCode::kBadRequest, "malformed JSON: " + what);
  }
}

Result<std::optional<int64_t>> IfMatch(const httplib::Request& req) {
  if (!req.has_header("If-Match")) return std::optional<int64_t>();
  std::string v = req.get_header_value("If-Match");
  if (v.starts_with("W/")) v.erase(0, 2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n <= 0)
    return MakeError(ErrorCode::kBadRequest, "If-Match must be a version such as \"3\"");
  return std::optional<int64_t>(n);
}

Result<std::string> RequiredParam(const Call& call, const char* name, const char* example) {
  std::string v = call.query(name);
  if (v.empty())
    return MakeError(ErrorCode::kBadRequest,
                     std::string("name the ") + name + ", e.g. " + name + "=" + example);
  return v;
}

Result<bool> BoolParam(const Call& call, const char* name) {
  if (!call.req.has_param(name)) return false;
  const std::string v = call.query(name);
  if (v == "true") return true;
  if (v == "false") return false;
  return MakeError(ErrorCode::kBadRequest, std::string(name) + " must be true or false");
}

Result<size_t> CountParam(const Call& call, const char* name, size_t lo, size_t hi,
                          size_t fallback) {
  if (!call.req.has_param(name)) return fallback;
  const std::string v = call.query(name);
  size_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi)
    return MakeError(ErrorCode::kBadRequest, "the query is invalid",
                     {{name, "must be a whole number from " + std::to_string(lo) + " to " +
                                 std::to_string(hi)}});
  return n;
}

Result<std::string> FormatParam(const httplib::Request& req,
                                std::initializer_list<const char*> allowed) {
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  const std::vector<std::string> names(allowed.begin(), allowed.end());
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (format == names[i]) return format;
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return MakeError(ErrorCode::kBadRequest, "format must be " + list);
}

Status Reply(Call& call, int status, const json& body) {
  WriteJson(call.res, status, body);
  return Status::Ok();
}

Status ReplyRecord(Call& call, int status, const json& record) {
  call.res.set_header("ETag", "\"" + std::to_string(record["version"].get<int64_t>()) + "\"");
  return Reply(call, status, record);
}

Status ReplyNoContent(Call& call) {
  call.res.status = 204;
  return Status::Ok();
}

Status ReplyFile(Call& call, const std::string& body, const char* media_type, std::string name,
                 const char* extension) {
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '-';
  call.res.status = 200;
  call.res.set_header("Content-Disposition",
                      "attachment; filename=\"" + name + "." + extension + "\"");
  call.res.set_content(body, media_type);
  return Status::Ok();
}

Status ReplyStoredFile(Call& call, const records::Engine::FileContent& file) {
  call.res.status = 200;
  call.res.set_header("Content-Disposition", AttachmentDisposition(file.name));
  call.res.headers.erase("Content-Security-Policy");
  call.res.set_header("Content-Security-Policy", kStoredFilePolicy);
  call.res.set_header("ETag", "\"" + file.sha256 + "\"");
  call.res.set_content(file.bytes, ServedMediaType(file.media_type));
  return Status::Ok();
}

Status ReplyReport(Call& call, const Report& report, const std::string& name) {
  TANDEM_ASSIGN_OR_RETURN(std::string format, FormatParam(call.req, {"json", "html", "pdf"}));
  call.res.status = 200;
  if (format == "json") {
    call.res.set_content(ReportJson(report), "application/json");
  } else if (format == "html") {
    call.res.set_content(ReportDocument(report), "text/html; charset=utf-8");
  } else {
    TANDEM_ASSIGN_OR_RETURN(std::string pdf, ReportPdf(report));
    return ReplyFile(call, pdf, "application/pdf", name, "pdf");
  }
  return Status::Ok();
}

json ReportResponse(const std::string& description) {
  json r = Response(description, Output({{"title", String()},
                                         {"subtitle", String()},
                                         {"facts", ArrayOf({{"type", "object"}})},
                                         {"sections", ArrayOf({{"type", "object"}})}}));
  r["content"]["text/html"] = {{"schema", String()}};
  AddFileContent(r, "application/pdf");
  return r;
}

json ReportFormatParam() {
  return QueryParam("format", {{"type", "string"}, {"enum", {"json", "html", "pdf"}}}, false,
                    "json (default): the report's blocks; html: a page; pdf: a download to print");
}

// --- the system routes ---------------------------------------------------------

namespace {

void AddSystemRoutes(Router& router, records::Engine& engine) {
  records::Engine* e = &engine;
  json health = PublicOp("health", "Liveness check", "System", Errors({405}));
  health["responses"]["200"] = Response("Up", {{"type", "object"}});
  router.Add({"GET", "/health",
              [](Call& c) {
                return Reply(c, 200, {{"status", "ok"}});
              },
              health, Access::kPublic});

  json types = Op("list_types", "Record types this server serves", "System", json::object());
  types["responses"]["200"] =
      Response("Types", {{"type", "array"}, {"items", {{"type", "object"}}}});
  router.Add({"GET", "/types",
              [e](Call& c) {
                json out = json::array();
                for (const auto& t : e->registry().types())
                  out.push_back({{"name", t.name},
                                 {"collection", t.collection},
                                 {"title", t.title},
                                 {"area", t.area},
                                 {"prefix", t.prefix},
                                 {"description", t.description}});
                return Reply(c, 200, out);
              },
              types});

  auto type_of = [e](const Call& c) -> Result<const model::RecordType*> {
    const auto* type = e->registry().Find(c.param(0));
    if (!type) return MakeError(ErrorCode::kNotFound, "no record type '" + c.param(0) + "'");
    return type;
  };
  const json type_param = PathParam("type", String());
  json cf_list =
      Op("list_custom_fields", "Custom fields of a record type", "System", Errors({404}));
  cf_list["responses"]["200"] =
      Response("Definitions", {{"type", "array"}, {"items", Ref("CustomField")}});
  cf_list["parameters"] = {type_param};
  router.Add({"GET", "/types/{type}/custom-fields",
              [e, type_of](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(const model::RecordType* type, type_of(c));
                json out = json::array();
                for (const auto& f : e->CustomFields(*type)) {
                  json d = {{"name", f.name},
                            {"type", model::FieldTypeName(f.type)},
                            {"label", f.label},
                            {"required", f.required},
                            {"help", f.help}};
                  if (!f.enum_values.empty()) d["enum_values"] = f.enum_values;
                  out.push_back(d);
                }
                return Reply(c, 200, out);
              },
              cf_list});
  json cf_add = Op("define_custom_field", "Add a custom field to a record type", "System",
                   Errors({404, 409}));
  cf_add["responses"]["201"] = Response("The definition", Ref("CustomField"));
  cf_add["parameters"] = {type_param};
  SetBody(cf_add, JsonContent(Ref("CustomField")));
  router.Add({"POST", "/types/{type}/custom-fields",
              [e, type_of](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(const model::RecordType* type, type_of(c));
                TANDEM_ASSIGN_OR_RETURN(json body, ParseBody(c.req, false));
                TANDEM_ASSIGN_OR_RETURN(json def, e->DefineCustomField(c.actor(), *type, body));
                return Reply(c, 201, def);
              },
              cf_add});

  json upload = Op("upload_file", "Store a file, to put in a file field", "System",
                   Errors({400, 413, 415, 422}));
  upload["description"] =
      "The body is the file itself (any Content-Type; what it is is read from its bytes), at "
      "most 16 MiB. Programs are refused (415). The same bytes are stored once. Put the answer "
      "into a file field of a record; until a record names it, a file is shown to nobody.";
  upload["parameters"] = {QueryParam("name", String(), true, "The file name, e.g. policy-v3.pdf")};
  upload["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/octet-stream",
         {{"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}}}}}};
  upload["responses"]["201"] = Response(
      "The stored file",
      Output(
          {{"sha256", String()}, {"name", String()}, {"media_type", String()}, {"size", Int64()}}));
  router.Add({.method = "POST",
              .path = "/files",
              .handler = [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(std::string name, RequiredParam(c, "name", "policy.pdf"));
                TANDEM_ASSIGN_OR_RETURN(json file, e->PutFile(c.actor(), c.req.body, name));
                return Reply(c, 201, file);
              },
              .operation = upload,
              .max_body = records::Engine::kMaxFileBytes});

  json verify = Op("verify_audit", "Verify the audit trail's hash chain", "System", json::object());
  verify["responses"]["200"] = Response("Verification report", {{"type", "object"}});
  router.Add({"GET", "/audit/verify",
              [e](Call& c) -> Status {
                if (!c.actor().Can(auth::kAuditTrail, records::Action::kRead))
                  return MakeError(ErrorCode::kForbidden,
                                   "your roles do not allow reading the audit trail");
                TANDEM_ASSIGN_OR_RETURN(auto rep, records::VerifyAudit(e->db()));
                return Reply(c, 200,
                             {{"ok", rep.ok},
                              {"events", rep.events},
                              {"head_seq", rep.head_seq},
                              {"head_hash", rep.head_hash},
                              {"first_bad_seq", rep.first_bad_seq},
                              {"problem", rep.problem}});
              },
              verify});
}

// What a session that has not finished signing in may still reach.
bool AllowedWhilePending(auth::Pending p, const std::vector<std::string>& seg) {
  if (seg.size() < 2 || seg[0] != "auth") return false;
  const std::string& what = seg[1];
  if (what == "me" || what == "logout") return true;
  switch (p) {
    case auth::Pending::kMfaCode:
      return what == "mfa" && seg.size() == 2;
    case auth::Pending::kPasswordChange:
      return what == "password";
    case auth::Pending::kMfaEnrollment:
      return what == "mfa" && seg.size() == 3 && (seg[2] == "setup" || seg[2] == "enable");
    case auth::Pending::kNone:
      return true;
  }
  return false;
}

std::string PendingHint(auth::Pending p) {
  switch (p) {
    case auth::Pending::kMfaCode:
      return "enter the code from your authenticator app (POST /api/v1/auth/mfa)";
    case auth::Pending::kPasswordChange:
      return "change your password first (POST /api/v1/auth/password)";
    case auth::Pending::kMfaEnrollment:
      return "your role requires two-factor sign-in: set it up first (POST "
             "/api/v1/auth/mfa/setup)";
    case auth::Pending::kNone:
      break;
  }
  return "";
}

// Who sent the request: the identity, or the reason the route may not be
// taken.
Status Authenticate(auth::AuthService& auth, Call& call, Access access,
                    const std::vector<std::string>& seg) {
  const auto& req = call.req;
  const std::string authorization = req.get_header_value("Authorization");
  call.session_id = auth::CookieValue(req.get_header_value("Cookie"), auth::kSessionCookie);
  Result<auth::Identity> who = MakeError(ErrorCode::kUnauthorized, "sign in or send an API token");
  if (authorization.starts_with("Bearer ")) {
    who = auth.AuthenticateToken(authorization.substr(7));
  } else if (!authorization.empty()) {
    who = MakeError(ErrorCode::kUnauthorized, "use Authorization: Bearer with an API token");
  } else if (!call.session_id.empty()) {
    who = auth.AuthenticateSession(call.session_id);
  }
  if (access == Access::kPublic) {
    if (who.ok()) call.who = std::move(*who);
    return Status::Ok();
  }
  if (!who.ok()) return who.error();
  call.who = std::move(*who);
  // A cookie is sent by the browser whoever made the page; a state-changing
  // request must also prove it came from our own page.
  const bool safe = req.method == "GET" || req.method == "HEAD";
  if (call.who.via_session && !safe &&
      !auth::SameSecret(req.get_header_value("X-CSRF-Token"), call.who.csrf_token))
    return MakeError(
        ErrorCode::kForbidden,
        "missing or wrong X-CSRF-Token header (the csrf_token of GET /api/v1/auth/me)");
  if (call.who.pending != auth::Pending::kNone && !AllowedWhilePending(call.who.pending, seg))
    return MakeError(ErrorCode::kForbidden, "finish signing in: " + PendingHint(call.who.pending));
  return Status::Ok();
}

}  // namespace

void AddCoreRoutes(Router& router, records::Engine& engine, auth::AuthService& auth) {
  AddSystemRoutes(router, engine);
  AddAuthRoutes(router, auth, engine.registry());
  AddAdminRoutes(router, auth, engine);
  for (const auto& t : engine.registry().types()) AddRecordRoutes(router, engine, t);
}

// --- the dispatcher -------------------------------------------------------------

namespace {

double Burst(double rate) { return std::max(10.0, 2 * rate); }

// The refusal when `limiter` has no request left for `key`; Ok otherwise.
Status CheckRate(RateLimiter& limiter, const std::string& key, const char* who) {
  const int wait = limiter.Take(key);
  if (wait == 0) return Status::Ok();
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", limiter.rate());
  Error e = MakeError(ErrorCode::kTooManyRequests,
                      std::string("too many requests from ") + who + "; the limit is " + rate +
                          " per second, retry in " + std::to_string(wait) + " s");
  e.retry_after_seconds = wait;
  return e;
}

}  // namespace

Api::Api(auth::AuthService& auth, Router router, ApiOptions options)
    : auth_(auth),
      router_(std::move(router)),
      options_(options),
      per_client_(options.client_rate, Burst(options.client_rate)),
      per_credential_(options.credential_rate, Burst(options.credential_rate)) {
  json op = PublicOp("openapi", "This OpenAPI document", "System", Errors({405}));
  op["responses"]["200"] = Response("OpenAPI 3.1", {{"type", "object"}});
  router_.Add({"GET", "/openapi.json",
               [this](Call& c) {
                 c.res.status = 200;
                 c.res.set_content(openapi_, "application/json");
                 return Status::Ok();
               },
               op, Access::kPublic});
  openapi_ = BuildOpenApi(router_).dump();
}

Api::~Api() = default;

size_t Api::largest_body() const {
  size_t n = options_.max_body_bytes;
  for (const auto& r : router_.routes()) n = std::max(n, r.max_body);
  return n;
}

std::string_view Api::Handle(const httplib::Request& req, httplib::Response& res) const {
  Call call{req, res, RandomHex(8)};
  call.secure_cookies = options_.secure_cookies;
  call.client =
      ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), options_.trust_proxy);
  res.set_header("X-Request-Id", call.request_id);
  const auto seg =
      PathSegments(std::string_view(req.path).substr(std::string_view("/api/v1").size()));
  const Router::Match match = router_.Find(req.method, seg);
  // Every error, from any step or any handler, is answered here.
  const Status st = [&]() -> Status {
    const size_t limit =
        match.route && match.route->max_body ? match.route->max_body : options_.max_body_bytes;
    if (req.body.size() > limit)
      return MakeError(ErrorCode::kPayloadTooLarge,
                       "the body is larger than " + std::to_string(limit) + " bytes");
    const Access access = match.route         ? match.route->access
                          : match.public_path ? Access::kPublic
                                              : Access::kSignedIn;
    if (per_client_.enabled())
      TANDEM_RETURN_IF_ERROR(CheckRate(per_client_, "c" + call.client, "this address"));
    TANDEM_RETURN_IF_ERROR(Authenticate(auth_, call, access, seg));
    if (per_credential_.enabled() && call.who.user_id != 0) {
      const std::string authorization = req.get_header_value("Authorization");
      TANDEM_RETURN_IF_ERROR(CheckRate(per_credential_,
                                       call.who.via_session
                                           ? "u" + std::to_string(call.who.user_id)
                                           : "t" + Sha256Hex(authorization).substr(0, 32),
                                       call.who.via_session ? "this user" : "this API token"));
    }
    if (!match.route && !match.allow.empty()) {
      res.set_header("Allow", match.allow);
      return MakeError(ErrorCode::kMethodNotAllowed,
                       req.method + " is not allowed here; use " + match.allow);
    }
    if (!match.route) return MakeError(ErrorCode::kNotFound, "no such resource: " + req.path);
    call.params = match.params;
    return match.route->handler(call);
  }();
  if (!st.ok()) WriteProblem(res, st.error(), req.path, call.request_id);
  return match.route ? std::string_view(match.route->path) : std::string_view();
}

}  // namespace tandem::http
