// The page frame and the helpers every page shares.
#include <cctype>

#include "core/errors.h"
#include "web/pages.h"

namespace tandem::web {

namespace {

struct NavItem {
  const char* label;
  const char* href;
  const char* section;  // first path segment it stands for
};
constexpr NavItem kNav[] = {
    {"Dashboard", "/", ""},
    {"Records", "/records", "records"},
    {"Search", "/search", "search"},
};

}  // namespace

Data CsrfData(const Page& p) { return Data(p.who.csrf_token); }

Status SendPage(Page& p, int status, const std::string& title, const std::string& body) {
  const bool signed_in = !p.who.actor.name.empty();
  const bool full = signed_in && p.who.pending == auth::Pending::kNone;
  std::string section = p.seg.empty() ? "" : p.seg[0];
  if (section == "r") section = "records";
  Data nav = Data::type::list;
  if (full) {
    for (const auto& n : kNav)
      nav.push_back(Obj({{"label", n.label}, {"href", n.href}, {"current", section == n.section}}));
    // The domain modules' sections, then one's account.
    for (const auto& s : p.ext.sections())
      if (!s.nav_label.empty())
        nav.push_back(Obj({{"label", s.nav_label},
                           {"href", "/" + s.section},
                           {"current", section == s.section}}));
    nav.push_back(
        Obj({{"label", "Account"}, {"href", "/account"}, {"current", section == "account"}}));
    if (p.who.actor.administrator)
      nav.push_back(Obj({{"label", "Admin"}, {"href", "/admin"}, {"current", section == "admin"}}));
  }
  Data d = Obj({{"title", title},
                {"content", body},
                {"signed_in", signed_in},
                {"nav", nav},
                {"user", p.who.actor.name},
                {"csrf_token", CsrfData(p)}});
  p.res.status = status;
  p.res.set_content(Render("layout", d), "text/html; charset=utf-8");
  return Status::Ok();
}

Status SendTemplate(Page& p, int status, const std::string& title, const char* name, Data data) {
  data.set("csrf_token", CsrfData(p));
  return SendPage(p, status, title, Render(name, data));
}

Status Redirect(Page& p, const std::string& url) {
  if (p.htmx()) {
    // An XMLHttpRequest follows a 303 by itself; htmx needs to be told to load
    // the page instead.
    p.res.status = 200;
    p.res.set_header("HX-Redirect", url);
    return Status::Ok();
  }
  p.res.status = 303;
  p.res.set_header("Location", url);
  return Status::Ok();
}

Error NoPage(const Page& p) {
  return MakeError(ErrorCode::kNotFound, "There is no page at " + p.req.path + ".");
}

void SendError(Page& p, const Error& e) {
  const ErrorInfo& info = Describe(e.code);
  std::string title = e.code == ErrorCode::kNotFound    ? "Not found"
                      : e.code == ErrorCode::kForbidden ? "Not allowed"
                                                        : std::string(info.title);
  DataList fields;
  for (const auto& f : e.fields)
    fields.push_back(Obj({{"field", f.field}, {"message", f.message}}));
  (void)SendTemplate(p, info.http_status, title, "error",
                     Obj({{"heading", title}, {"detail", e.detail}, {"fields", fields}}));
}

Data FromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      Data d;
      for (const auto& [k, v] : j.items()) d.set(k, FromJson(v));
      return d;
    }
    case nlohmann::json::value_t::array: {
      Data d = Data::type::list;
      for (const auto& v : j) d.push_back(FromJson(v));
      return d;
    }
    case nlohmann::json::value_t::string:
      return Text(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return Data(j.get<bool>());
    case nlohmann::json::value_t::null:
      return Data(false);
    default:
      return Data(j.dump());
  }
}

std::string Humanize(const std::string& snake) {
  std::string out = snake;
  for (char& c : out)
    if (c == '_' || c == '-') c = ' ';
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string RecordPath(const model::RecordType& type, int64_t id) {
  return "/r/" + type.collection + "/" + records::FormatNumber(type, id);
}

}  // namespace tandem::web
