#include "http/api.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/client_address.h"
#include "core/hash.h"
#include "core/json_depth.h"
#include "core/url.h"
#include "domains/standards/index.h"
#include "http/call.h"
#include "records/codec.h"

namespace tandem::http {

using nlohmann::json;

namespace {

constexpr int kMaxJsonDepth = 64;

}  // namespace

void WriteFile(Call& call, const std::string& body, const char* media_type, std::string name,
               const char* extension) {
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '-';
  call.res.status = 200;
  call.res.set_header("Content-Disposition",
                      "attachment; filename=\"" + name + "." + extension + "\"");
  call.res.set_content(body, media_type);
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

namespace {

void WriteRecord(httplib::Response& res, int status, const json& rec) {
  res.set_header("ETag", "\"" + std::to_string(rec["version"].get<int64_t>()) + "\"");
  WriteJson(res, status, rec);
}

// Paths that are not record collections.
bool IsSystemPath(const std::vector<std::string>& seg) {
  return !seg.empty() &&
         (seg[0] == "health" || seg[0] == "openapi.json" || seg[0] == "types" || seg[0] == "audit");
}

// /api/v1/health, /openapi.json, /types[/{type}/custom-fields], /audit/verify.
void HandleSystem(records::Engine& engine, const std::string& openapi, Call& call,
                  const std::vector<std::string>& seg) {
  const std::string& m = call.req.method;
  auto& res = call.res;
  if (seg.size() == 1 && seg[0] == "health") {
    if (m != "GET") return call.MethodNotAllowed("GET");
    return WriteJson(res, 200, {{"status", "ok"}});
  }
  if (seg.size() == 1 && seg[0] == "openapi.json") {
    if (m != "GET") return call.MethodNotAllowed("GET");
    res.status = 200;
    return res.set_content(openapi, "application/json");
  }
  if (seg.size() == 2 && seg[0] == "audit" && seg[1] == "verify") {
    if (m != "GET") return call.MethodNotAllowed("GET");
    if (!call.actor().Can(auth::kAuditTrail, records::Action::kRead))
      return call.Fail(ErrorCode::kForbidden, "your roles do not allow reading the audit trail");
    auto rep = records::VerifyAudit(engine.db());
    if (!rep.ok()) return call.Fail(rep.error());
    return WriteJson(res, 200,
                     {{"ok", rep->ok},
                      {"events", rep->events},
                      {"head_seq", rep->head_seq},
                      {"head_hash", rep->head_hash},
                      {"first_bad_seq", rep->first_bad_seq},
                      {"problem", rep->problem}});
  }
  if (seg[0] != "types")
    return call.Fail(ErrorCode::kNotFound, "no such resource: " + call.req.path);
  if (seg.size() == 1) {
    if (m != "GET") return call.MethodNotAllowed("GET");
    json out = json::array();
    for (const auto& t : engine.registry().types())
      out.push_back({{"name", t.name},
                     {"collection", t.collection},
                     {"title", t.title},
                     {"area", t.area},
                     {"prefix", t.prefix},
                     {"description", t.description}});
    return WriteJson(res, 200, out);
  }
  const auto* type = engine.registry().Find(seg[1]);
  if (!type || seg.size() != 3 || seg[2] != "custom-fields")
    return call.Fail(ErrorCode::kNotFound, "no such resource: " + call.req.path);
  if (m == "GET") {
    json out = json::array();
    for (const auto& f : engine.CustomFields(*type)) {
      json d = {{"name", f.name},
                {"type", model::FieldTypeName(f.type)},
                {"label", f.label},
                {"required", f.required},
                {"help", f.help}};
      if (!f.enum_values.empty()) d["enum_values"] = f.enum_values;
      out.push_back(d);
    }
    return WriteJson(res, 200, out);
  }
  if (m != "POST") return call.MethodNotAllowed("GET, POST");
  auto body = ParseBody(call.req, false);
  if (!body.ok()) return call.Fail(body.error());
  auto def = engine.DefineCustomField(call.actor(), *type, *body);
  if (!def.ok()) return call.Fail(def.error());
  return WriteJson(res, 201, *def);
}

// /api/v1/{collection}: list and create.
void HandleCollection(records::Engine& engine, Call& call, const model::RecordType& type) {
  const auto& req = call.req;
  if (req.method == "GET") {
    std::multimap<std::string, std::string> params(req.params.begin(), req.params.end());
    auto q = engine.ParseList(type, params);
    if (!q.ok()) return call.Fail(q.error());
    auto list = engine.List(call.actor(), type, *q);
    if (!list.ok()) return call.Fail(list.error());
    json out = {{"items", std::move(list->items)},
                {"limit", q->limit},
                {"next", list->next_cursor.empty() ? json() : json(list->next_cursor)}};
    return WriteJson(call.res, 200, out);
  }
  if (req.method != "POST") return call.MethodNotAllowed("GET, POST");
  auto body = ParseBody(req, false);
  if (!body.ok()) return call.Fail(body.error());
  std::optional<records::IdempotencyKey> idem;
  if (req.has_header("Idempotency-Key")) {
    std::string key = req.get_header_value("Idempotency-Key");
    if (key.empty() || key.size() > 200)
      return call.Fail(ErrorCode::kBadRequest, "Idempotency-Key must be 1 to 200 characters");
    idem = records::IdempotencyKey{key, Sha256Hex(req.method + " " + req.path + "\n" + req.body)};
  }
  bool replayed = false;
  auto rec = engine.Create(call.actor(), type, *body, idem, &replayed);
  if (!rec.ok()) return call.Fail(rec.error());
  call.res.set_header(
      "Location", "/api/v1/" + type.collection + "/" + std::to_string((*rec)["id"].get<int64_t>()));
  if (replayed) call.res.set_header("Idempotent-Replayed", "true");
  WriteRecord(call.res, 201, *rec);
}

// /api/v1/{collection}/{id}: read, update, archive.
void HandleRecord(records::Engine& engine, Call& call, const model::RecordType& type, int64_t id) {
  const std::string& m = call.req.method;
  if (m == "GET") {
    auto rec = engine.Get(call.actor(), type, id);
    if (!rec.ok()) return call.Fail(rec.error());
    return WriteRecord(call.res, 200, *rec);
  }
  auto version = IfMatch(call.req);
  if (!version.ok()) return call.Fail(version.error());
  if (m == "PATCH") {
    if (!*version)
      return call.Fail(ErrorCode::kPreconditionRequired,
                       "send If-Match with the version you edited (the ETag of your GET)");
    auto body = ParseBody(call.req, true);
    if (!body.ok()) return call.Fail(body.error());
    auto rec = engine.Update(call.actor(), type, id, **version, *body);
    if (!rec.ok()) return call.Fail(rec.error());
    return WriteRecord(call.res, 200, *rec);
  }
  if (m == "DELETE") {
    auto rec = engine.SetArchived(call.actor(), type, id, true, *version);
    if (!rec.ok()) return call.Fail(rec.error());
    return WriteRecord(call.res, 200, *rec);
  }
  call.MethodNotAllowed("GET, PATCH, DELETE");
}

// /api/v1/{collection}/{id}/{restore|history|transitions|links[/{link_id}]}.
void HandleRecordPart(records::Engine& engine, Call& call, const model::RecordType& type,
                      int64_t id, const std::vector<std::string>& seg) {
  const std::string& m = call.req.method;
  const std::string& part = seg[2];
  if (part == "restore" && seg.size() == 3) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    auto version = IfMatch(call.req);
    if (!version.ok()) return call.Fail(version.error());
    auto rec = engine.SetArchived(call.actor(), type, id, false, *version);
    if (!rec.ok()) return call.Fail(rec.error());
    return WriteRecord(call.res, 200, *rec);
  }
  if (part == "restriction" && seg.size() == 3) {
    if (m != "PUT") return call.MethodNotAllowed("PUT");
    auto body = ParseBody(call.req, false);
    if (!body.ok()) return call.Fail(body.error());
    if (!body->is_object() || body->size() != 1 || !body->contains("group") ||
        !((*body)["group"].is_string() || (*body)["group"].is_null()))
      return call.Fail(MakeError(
          ErrorCode::kValidation, "name the group, or null to lift the restriction",
          {{"group", "must be a group name or null, e.g. {\"group\": \"incident-response\"}"}}));
    auto version = IfMatch(call.req);
    if (!version.ok()) return call.Fail(version.error());
    const json& g = (*body)["group"];
    auto rec =
        engine.Restrict(call.actor(), type, id,
                        g.is_null() ? std::nullopt : std::optional<std::string>(g), *version);
    if (!rec.ok()) return call.Fail(rec.error());
    return WriteRecord(call.res, 200, *rec);
  }
  if (part == "history" && seg.size() == 3) {
    if (m != "GET") return call.MethodNotAllowed("GET");
    auto h = engine.History(call.actor(), type, id);
    if (!h.ok()) return call.Fail(h.error());
    return WriteJson(call.res, 200, {{"items", *h}});
  }
  if (part == "transitions" && seg.size() == 3) {
    if (m == "GET") {
      auto t = engine.Transitions(call.actor(), type, id);
      if (!t.ok()) return call.Fail(t.error());
      return WriteJson(call.res, 200, *t);
    }
    if (m != "POST") return call.MethodNotAllowed("GET, POST");
    auto body = ParseBody(call.req, false);
    if (!body.ok()) return call.Fail(body.error());
    if (!body->is_object() || !body->contains("name") || !(*body)["name"].is_string() ||
        body->size() != 1)
      return call.Fail(
          MakeError(ErrorCode::kValidation, "name the transition to take",
                    {{"name", "must be the transition's name, e.g. {\"name\": \"resolve\"}"}}));
    auto version = IfMatch(call.req);
    if (!version.ok()) return call.Fail(version.error());
    auto rec =
        engine.Transition(call.actor(), type, id, (*body)["name"].get<std::string>(), *version);
    if (!rec.ok()) return call.Fail(rec.error());
    return WriteRecord(call.res, 200, *rec);
  }
  if (part == "links" && seg.size() == 3) {
    if (m == "GET") {
      auto links = engine.Links(call.actor(), type, id);
      if (!links.ok()) return call.Fail(links.error());
      return WriteJson(call.res, 200, {{"items", *links}});
    }
    if (m != "POST") return call.MethodNotAllowed("GET, POST");
    auto body = ParseBody(call.req, false);
    if (!body.ok()) return call.Fail(body.error());
    auto link = engine.AddLink(call.actor(), type, id, *body);
    if (!link.ok()) return call.Fail(link.error());
    return WriteJson(call.res, 201, *link);
  }
  if (part == "links" && seg.size() == 4) {
    if (m != "DELETE") return call.MethodNotAllowed("DELETE");
    int64_t link_id = 0;
    auto [p, ec] = std::from_chars(seg[3].data(), seg[3].data() + seg[3].size(), link_id);
    if (ec != std::errc() || p != seg[3].data() + seg[3].size())
      return call.Fail(ErrorCode::kNotFound, "no link '" + seg[3] + "'");
    Status st = engine.RemoveLink(call.actor(), type, id, link_id);
    if (!st.ok()) return call.Fail(st.error());
    call.res.status = 204;
    return;
  }
  call.Fail(ErrorCode::kNotFound, "no such resource: " + call.req.path);
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

}  // namespace

Api::Api(records::Engine& engine, auth::AuthService& auth, domains::StandardsIndex& standards,
         ApiOptions options)
    : engine_(engine),
      auth_(auth),
      options_(options),
      openapi_(BuildOpenApi(engine.registry()).dump()),
      standards_(standards) {}

Api::~Api() = default;

// Authenticates the request; false (with the response written) when it may
// not go on.
bool Api::Authenticate(Call& call, const std::vector<std::string>& seg) const {
  const auto& req = call.req;
  const bool is_public = (seg.size() == 1 && (seg[0] == "health" || seg[0] == "openapi.json")) ||
                         (seg.size() == 2 && seg[0] == "auth" && seg[1] == "login");
  const std::string authorization = req.get_header_value("Authorization");
  call.session_id = auth::CookieValue(req.get_header_value("Cookie"), auth::kSessionCookie);
  Result<auth::Identity> who = MakeError(ErrorCode::kUnauthorized, "sign in or send an API token");
  if (authorization.starts_with("Bearer ")) {
    who = auth_.AuthenticateToken(authorization.substr(7));
  } else if (!authorization.empty()) {
    who = MakeError(ErrorCode::kUnauthorized, "use Authorization: Bearer with an API token");
  } else if (!call.session_id.empty()) {
    who = auth_.AuthenticateSession(call.session_id);
  }
  if (is_public) {
    if (who.ok()) call.who = std::move(*who);
    return true;
  }
  if (!who.ok()) {
    call.Fail(who.error());
    return false;
  }
  call.who = std::move(*who);
  // A cookie is sent by the browser whoever made the page; a state-changing
  // request must also prove it came from our own page.
  const bool safe = req.method == "GET" || req.method == "HEAD";
  if (call.who.via_session && !safe &&
      !auth::SameSecret(req.get_header_value("X-CSRF-Token"), call.who.csrf_token)) {
    call.Fail(ErrorCode::kForbidden,
              "missing or wrong X-CSRF-Token header (the csrf_token of GET /api/v1/auth/me)");
    return false;
  }
  if (call.who.pending != auth::Pending::kNone && !AllowedWhilePending(call.who.pending, seg)) {
    call.Fail(ErrorCode::kForbidden, "finish signing in: " + PendingHint(call.who.pending));
    return false;
  }
  return true;
}

void Api::Handle(const httplib::Request& req, httplib::Response& res) const {
  Call call{req, res, RandomHex(8)};
  call.client =
      ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), options_.trust_proxy);
  res.set_header("X-Request-Id", call.request_id);
  auto seg = PathSegments(req.path.substr(std::string("/api/v1").size()));
  const bool upload = seg.size() == 2 && seg[0] == "standards" && seg[1] == "import";
  if (!upload && req.body.size() > options_.max_body_bytes)
    return call.Fail(
        ErrorCode::kPayloadTooLarge,
        "the body is larger than " + std::to_string(options_.max_body_bytes) + " bytes");
  if (!Authenticate(call, seg)) return;
  if (!seg.empty() && seg[0] == "auth")
    return HandleAuth(auth_, call, {seg.begin() + 1, seg.end()}, options_.secure_cookies);
  if (!seg.empty() && seg[0] == "admin")
    return HandleAdmin(auth_, engine_, call, {seg.begin() + 1, seg.end()});
  if (IsSystemPath(seg)) return HandleSystem(engine_, openapi_, call, seg);
  if (!seg.empty() && HandleStandardsViews(standards_, call, seg)) return;
  if (!seg.empty() && HandleSoaViews(engine_, call, seg)) return;
  const model::RecordType* type =
      seg.empty() ? nullptr : engine_.registry().FindByCollection(seg[0]);
  if (!type) return call.Fail(ErrorCode::kNotFound, "no such resource: " + req.path);
  if (seg.size() == 1) return HandleCollection(engine_, call, *type);
  const int64_t id = records::ParseRecordId(*type, seg[1]);
  if (id == 0) return call.Fail(ErrorCode::kNotFound, "no " + type->name + " '" + seg[1] + "'");
  if (seg.size() == 2) return HandleRecord(engine_, call, *type, id);
  HandleRecordPart(engine_, call, *type, id, seg);
}

}  // namespace tandem::http
