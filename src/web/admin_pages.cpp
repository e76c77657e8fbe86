// Administration: users, roles and their permissions, need-to-know groups and
// restricted records, custom fields, security events.
//
// Every read and change goes through the auth service or the record engine
// with the signed-in user's actor; they decide who may do what (administrators,
// and readers of the audit trail for security events). The pages only hide
// links a user could not follow.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "web/pages.h"

namespace tandem::web {

using nlohmann::json;
using records::Action;

namespace {

constexpr int kEventsPerPage = 50;

int StatusOf(const Error& e) { return Describe(e.code).http_status; }

// Every value of a repeated form parameter (checkboxes).
std::vector<std::string> Params(const Page& p, const char* name) {
  std::vector<std::string> out;
  auto [b, e] = p.req.params.equal_range(name);
  for (auto it = b; it != e; ++it)
    if (!it->second.empty()) out.push_back(it->second);
  return out;
}

bool Checked(const Page& p, const char* name) { return !p.Param(name).empty(); }

// A field error as a sentence beside its input: "Username is taken",
// "No role 'x'".
std::string Sentence(const std::string& label, const std::string& message) {
  for (const char* verb : {"is ", "must ", "applies ", "cannot "})
    if (message.starts_with(verb)) return label + " " + message + ".";
  std::string m = message;
  if (!m.empty()) m[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(m[0])));
  return m + ".";
}

struct FormField {
  const char* name;   // as the service names it in errors
  const char* label;  // as the form labels it
};

// Puts each error of `e` beside the field it names ("{name}_error" in `d`);
// the rest, or the detail when no field is named, goes into "error" above
// the form.
void PutErrors(Data& d, const Error& e, std::initializer_list<FormField> fields) {
  std::map<std::string, std::string> beside;
  std::string rest;
  for (const auto& f : e.fields) {
    bool placed = false;
    for (const auto& ff : fields)
      if (f.field == ff.name) {
        std::string& m = beside[ff.name];
        m += (m.empty() ? "" : " ") + Sentence(ff.label, f.message);
        placed = true;
      }
    if (!placed) rest += (rest.empty() ? "" : "; ") + f.field + " " + f.message;
  }
  for (const auto& [name, message] : beside) d.set(name + "_error", message);
  if (!rest.empty())
    d.set("error", e.detail + ": " + rest + ".");
  else if (beside.empty())
    d.set("error", e.detail);
}

// The message for ?done=... after a redirect: fixed texts only, never the
// parameter itself.
Data DoneMessage(const Page& p, std::initializer_list<std::pair<const char*, const char*>> known) {
  const std::string done = p.Param("done");
  for (const auto& [key, text] : known)
    if (done == key) return Data(text);
  return Data(false);
}

Data StringList(const json& names) {
  Data out = Data::type::list;
  if (names.is_array())
    for (const auto& n : names)
      if (n.is_string()) out.push_back(Data(n.get<std::string>()));
  return out;
}

// Checkboxes for roles or groups: {name, title, id, checked}.
Data Choices(const json& all, const std::set<std::string>& chosen, const std::string& id_prefix) {
  Data out = Data::type::list;
  for (const auto& item : all) {
    const std::string name = item.value("name", "");
    out.push_back(Obj({{"name", name},
                       {"title", Text(item.value("title", ""))},
                       {"id", id_prefix + name},
                       {"checked", chosen.count(name) > 0}}));
  }
  return out;
}

std::set<std::string> NameSet(const json& names) {
  std::set<std::string> out;
  if (names.is_array())
    for (const auto& n : names)
      if (n.is_string()) out.insert(n.get<std::string>());
  return out;
}

std::set<std::string> ParamSet(const Page& p, const char* name) {
  auto v = Params(p, name);
  return {v.begin(), v.end()};
}

bool LockedNow(const Page& p, const json& user) {
  const json& until = user.value("locked_until", json());
  if (!until.is_string()) return false;
  auto t = ParseTimestamp(until.get<std::string>());
  return t && *t > p.engine.clock().Now();
}

// --- index ---------------------------------------------------------------------

Status IndexPage(Page& p) {
  // The groups list is the cheapest question only administrators may ask.
  auto probe = p.auth.Groups(p.actor());
  const bool admin = probe.ok();
  const bool events = p.actor().Can(auth::kAuditTrail, Action::kRead);
  if (!admin && !events) return probe.error();
  return SendTemplate(p, 200, "Administration", "admin",
                      Obj({{"admin", admin}, {"events", events}}));
}

// --- users ---------------------------------------------------------------------

// The users list and the create form; `form` holds what was typed after a
// refused create, `error` why.
Status ShowUsers(Page& p, int status, const Error* error) {
  auto users = p.auth.Users(p.actor());
  if (!users.ok()) return users.error();
  auto roles = p.auth.Roles(p.actor());
  if (!roles.ok()) return roles.error();
  auto groups = p.auth.Groups(p.actor());
  if (!groups.ok()) return groups.error();
  Data rows = Data::type::list;
  for (const auto& u : *users) {
    const std::string name = u.value("username", "");
    rows.push_back(Obj({{"username", name},
                        {"href", "/admin/users/" + PercentEncode(name)},
                        {"display_name", Text(u.value("display_name", ""))},
                        {"roles", StringList(u["roles"])},
                        {"groups", StringList(u["groups"])},
                        {"mfa", u.value("mfa_enabled", false)},
                        {"locked", LockedNow(p, u)},
                        {"disabled", u.value("disabled", false)}}));
  }
  Data d = Obj({{"users", rows},
                {"roles", Choices(*roles, error ? ParamSet(p, "roles") : std::set<std::string>{},
                                  "new-role-")},
                {"groups", Choices(*groups, error ? ParamSet(p, "groups") : std::set<std::string>{},
                                   "new-group-")},
                {"has_groups", !groups->empty()},
                {"username", error ? p.Param("username") : ""},
                {"display_name", error ? p.Param("display_name") : ""}});
  if (error)
    PutErrors(d, *error,
              {{"username", "Username"},
               {"display_name", "Display name"},
               {"password", "Initial password"},
               {"roles", "Roles"},
               {"groups", "Groups"}});
  return SendTemplate(p, status, "Users", "admin_users", d);
}

Status CreateUser(Page& p) {
  json body = {{"username", Trimmed(p.Param("username"))},
               {"password", p.Param("password")},
               {"roles", Params(p, "roles")},
               {"groups", Params(p, "groups")}};
  if (const std::string dn = Trimmed(p.Param("display_name")); !dn.empty())
    body["display_name"] = dn;
  auto r = p.auth.CreateUser(p.actor(), body);
  if (!r.ok()) {
    // Not an administrator: the error page, not a form to try again.
    if (r.error().code == ErrorCode::kForbidden) return r.error();
    return ShowUsers(p, StatusOf(r.error()), &r.error());
  }
  return Redirect(
      p, "/admin/users/" + PercentEncode((*r)["username"].get<std::string>()) + "?done=created");
}

// Which form on the user page a refusal belongs to.
enum class UserForm { kNone, kEdit, kPassword, kAction };

Status ShowUser(Page& p, const std::string& username, int status, UserForm form,
                const Error* error) {
  auto user = p.auth.User(p.actor(), username);
  if (!user.ok()) return user.error();
  auto roles = p.auth.Roles(p.actor());
  if (!roles.ok()) return roles.error();
  auto groups = p.auth.Groups(p.actor());
  if (!groups.ok()) return groups.error();
  auto tokens = p.auth.UserTokens(p.actor(), username);
  if (!tokens.ok()) return tokens.error();
  json active = json::array();
  for (const auto& t : *tokens)
    if (t["revoked_at"].is_null()) active.push_back(t);
  const json& u = *user;
  const bool edit_refused = error && form == UserForm::kEdit;
  // After a refused save the form shows what was sent, not what is stored.
  const auto chosen_roles = edit_refused ? ParamSet(p, "roles") : NameSet(u["roles"]);
  const auto chosen_groups = edit_refused ? ParamSet(p, "groups") : NameSet(u["groups"]);
  const std::string base = "/admin/users/" + PercentEncode(username);
  Data d = Obj(
      {{"username", username},
       {"base", base},
       {"display_name", edit_refused ? p.Param("display_name") : u.value("display_name", "")},
       {"disabled", edit_refused ? Checked(p, "disabled") : u.value("disabled", false)},
       {"is_disabled", u.value("disabled", false)},
       {"mfa", u.value("mfa_enabled", false)},
       {"must_change_password", u.value("must_change_password", false)},
       {"locked", LockedNow(p, u)},
       {"locked_until",
        u["locked_until"].is_string() ? Data(u["locked_until"].get<std::string>()) : Data(false)},
       {"created_at", u.value("created_at", "")},
       {"updated_at", u.value("updated_at", "")},
       {"roles", Choices(*roles, chosen_roles, "role-")},
       {"groups", Choices(*groups, chosen_groups, "group-")},
       {"has_groups", !groups->empty()},
       {"tokens", FromJson(active)},
       {"done", DoneMessage(p, {{"created", "The user was created."},
                                {"token-revoked", "The token was revoked."},
                                {"saved", "The changes were saved."},
                                {"unlocked", "The account was unlocked."},
                                {"mfa-reset",
                                 "Two-factor sign-in was reset: the user sets it up "
                                 "again at next sign-in if a role requires it."},
                                {"password-reset",
                                 "The password was reset: the user must change it at "
                                 "next sign-in, and their API tokens are revoked."}})}});
  if (error) {
    Data errors;
    switch (form) {
      case UserForm::kEdit:
        PutErrors(errors, *error,
                  {{"display_name", "Display name"},
                   {"roles", "Roles"},
                   {"groups", "Groups"},
                   {"disabled", "Disabled"}});
        if (const Data* m = errors.get("error")) errors.set("edit_error", *m);
        break;
      case UserForm::kPassword:
        PutErrors(errors, *error, {{"password", "New password"}});
        if (const Data* m = errors.get("error")) errors.set("password_form_error", *m);
        break;
      default:
        PutErrors(errors, *error, {});
        if (const Data* m = errors.get("error")) errors.set("action_error", *m);
        break;
    }
    for (const char* k : {"display_name_error", "roles_error", "groups_error", "disabled_error",
                          "password_error", "edit_error", "password_form_error", "action_error"})
      if (const Data* v = errors.get(k)) d.set(k, *v);
  }
  return SendTemplate(p, status, "User " + username, "admin_user", d);
}

Status UserPages(Page& p) {
  const auto& seg = p.seg;  // admin users NAME [ACTION]
  if (seg.size() == 2) {
    if (p.post()) return CreateUser(p);
    return ShowUsers(p, 200, nullptr);
  }
  const std::string& username = seg[2];
  const std::string base = "/admin/users/" + PercentEncode(username);
  if (seg.size() == 3) {
    if (!p.post()) return ShowUser(p, username, 200, UserForm::kNone, nullptr);
    json body = {{"display_name", Trimmed(p.Param("display_name"))},
                 {"roles", Params(p, "roles")},
                 {"groups", Params(p, "groups")},
                 {"disabled", Checked(p, "disabled")}};
    auto r = p.auth.UpdateUser(p.actor(), username, body);
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kForbidden || r.error().code == ErrorCode::kNotFound)
        return r.error();
      return ShowUser(p, username, StatusOf(r.error()), UserForm::kEdit, &r.error());
    }
    return Redirect(p, base + "?done=saved");
  }
  if (seg.size() == 6 && seg[3] == "tokens" && seg[5] == "revoke") {
    if (!p.post()) return Redirect(p, base);
    int64_t id = 0;
    auto [end, ec] = std::from_chars(seg[4].data(), seg[4].data() + seg[4].size(), id);
    if (ec != std::errc() || end != seg[4].data() + seg[4].size()) return NoPage(p);
    Status st = p.auth.RevokeUserToken(p.actor(), username, id);
    if (!st.ok()) return st.error();
    return Redirect(p, base + "?done=token-revoked");
  }
  if (seg.size() != 4) return NoPage(p);
  const std::string& what = seg[3];
  if (what != "unlock" && what != "reset-mfa" && what != "reset-password") return NoPage(p);
  if (!p.post()) return Redirect(p, base);
  Status st = what == "unlock" ? p.auth.Unlock(p.actor(), username)
              : what == "reset-mfa"
                  ? p.auth.ResetMfa(p.actor(), username)
                  : p.auth.ResetPassword(p.actor(), username, p.Param("password"));
  if (!st.ok()) {
    if (st.error().code == ErrorCode::kForbidden || st.error().code == ErrorCode::kNotFound)
      return st.error();
    return ShowUser(p, username, StatusOf(st.error()),
                    what == "reset-password" ? UserForm::kPassword : UserForm::kAction,
                    &st.error());
  }
  return Redirect(p, base + "?done=" +
                         (what == "unlock"      ? "unlocked"
                          : what == "reset-mfa" ? "mfa-reset"
                                                : "password-reset"));
}

// --- roles ---------------------------------------------------------------------

// The role named `name` in the service's list, or null.
const json* FindByName(const json& list, const std::string& name) {
  for (const auto& item : list)
    if (item.value("name", "") == name) return &item;
  return nullptr;
}

std::string ResourceTitle(const Page& p, const std::string& resource) {
  if (resource == auth::kAuditTrail) return "Audit trail (security events, audit verification)";
  if (const auto* t = p.engine.registry().Find(resource)) return t->title;
  return Humanize(resource);
}

// The resources of a role's grants in the order people look for them: record
// types as the registry declares them, then the audit trail.
std::vector<std::string> Resources(const Page& p, const json& grants) {
  std::vector<std::string> out;
  for (const auto& t : p.engine.registry().types())
    if (grants.contains(t.name)) out.push_back(t.name);
  for (const auto& [resource, unused] : grants.items())
    if (std::find(out.begin(), out.end(), resource) == out.end()) out.push_back(resource);
  return out;
}

Status ShowRoles(Page& p, int status, const Error* error) {
  auto roles = p.auth.Roles(p.actor());
  if (!roles.ok()) return roles.error();
  auto users = p.auth.Users(p.actor());
  if (!users.ok()) return users.error();
  Data rows = Data::type::list;
  for (const auto& r : *roles) {
    const std::string name = r.value("name", "");
    int holders = 0;
    for (const auto& u : *users) holders += NameSet(u["roles"]).count(name) ? 1 : 0;
    rows.push_back(Obj({{"name", name},
                        {"href", "/admin/roles/" + PercentEncode(name)},
                        {"title", r.value("title", "")},
                        {"require_mfa", r.value("require_mfa", false)},
                        {"users", std::to_string(holders)}}));
  }
  Data d = Obj({{"roles", rows},
                {"name", error ? p.Param("name") : ""},
                {"title", error ? p.Param("title") : ""}});
  if (error) PutErrors(d, *error, {{"name", "Name"}, {"title", "Title"}});
  return SendTemplate(p, status, "Roles", "admin_roles", d);
}

Status CreateRole(Page& p) {
  const std::string name = Trimmed(p.Param("name"));
  auto roles = p.auth.Roles(p.actor());
  if (!roles.ok()) return roles.error();
  // PutRole changes a role that exists; creating one must not.
  if (FindByName(*roles, name)) {
    Error e =
        MakeError(ErrorCode::kConflict, "a role '" + name + "' exists", {{"name", "is taken"}});
    return ShowRoles(p, StatusOf(e), &e);
  }
  auto r = p.auth.PutRole(p.actor(), name, {{"title", Trimmed(p.Param("title"))}});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kForbidden) return r.error();
    return ShowRoles(p, StatusOf(r.error()), &r.error());
  }
  return Redirect(p, "/admin/roles/" + PercentEncode(name) + "?done=created");
}

Status ShowRole(Page& p, const std::string& name, int status, const Error* error) {
  auto roles = p.auth.Roles(p.actor());
  if (!roles.ok()) return roles.error();
  const json* role = FindByName(*roles, name);
  if (!role) return MakeError(ErrorCode::kNotFound, "There is no role '" + name + "'.");
  const bool fixed = name == "administrator";  // keeps every permission
  const auto sent = ParamSet(p, "grant");
  Data heads = Data::type::list;
  for (Action a : records::kAllActions) heads.push_back(Data(std::string(records::ActionName(a))));
  Data rows = Data::type::list;
  for (const auto& resource : Resources(p, (*role)["grants"])) {
    const auto granted = NameSet((*role)["grants"][resource]);
    const std::string title = ResourceTitle(p, resource);
    Data cells = Data::type::list;
    for (Action a : records::kAllActions) {
      const std::string action(records::ActionName(a));
      const std::string value = resource + ":" + action;
      cells.push_back(
          Obj({{"id", "g-" + resource + "-" + action},
               {"value", value},
               {"label", title + ": " + action},
               {"checked", error ? sent.count(value) > 0 : granted.count(action) > 0}}));
    }
    // Single transitions, for separation of duties: a role may submit changes
    // without approving them.
    Data singles = Data::type::list;
    const auto* type = p.engine.registry().Find(resource);
    for (const auto& tr :
         type && type->states ? type->states->transitions : std::vector<model::TransitionDecl>{}) {
      const std::string value = resource + ":transition:" + tr.name;
      singles.push_back(Obj({{"id", "g-" + resource + "-transition-" + tr.name},
                             {"value", value},
                             {"name", tr.name},
                             {"label", title + ": transition " + tr.name},
                             {"checked", error ? sent.count(value) > 0
                                               : granted.count("transition:" + tr.name) > 0}}));
    }
    rows.push_back(Obj({{"resource", resource},
                        {"title", title},
                        {"cells", cells},
                        {"singles", singles},
                        {"any_single", !singles.is_empty_list()},
                        {"columns", std::to_string(std::size(records::kAllActions))}}));
  }
  Data d =
      Obj({{"name", name},
           {"role_title", role->value("title", "")},
           {"title", error ? p.Param("title") : role->value("title", "")},
           {"require_mfa", error ? Checked(p, "require_mfa") : role->value("require_mfa", false)},
           {"fixed", fixed},
           {"actions", heads},
           {"rows", rows},
           {"done", DoneMessage(p, {{"created", "The role was created: choose its permissions."},
                                    {"saved", "The role was saved."}})}});
  if (error)
    PutErrors(d, *error, {{"title", "Title"}, {"require_mfa", "Requires two-factor sign-in"}});
  return SendTemplate(p, status, "Role " + name, "admin_role", d);
}

Status SaveRole(Page& p, const std::string& name) {
  auto roles = p.auth.Roles(p.actor());
  if (!roles.ok()) return roles.error();
  const json* role = FindByName(*roles, name);
  if (!role) return MakeError(ErrorCode::kNotFound, "There is no role '" + name + "'.");
  json body = {{"title", Trimmed(p.Param("title"))}, {"require_mfa", Checked(p, "require_mfa")}};
  if (name != "administrator") {
    // Every resource the matrix showed, so an unticked box takes the action away.
    json grants = json::object();
    for (const auto& [resource, unused] : (*role)["grants"].items())
      grants[resource] = json::array();
    for (const auto& g : Params(p, "grant")) {
      // "risk:update" or "risk:transition:accept": resources hold no colon.
      const auto colon = g.find(':');
      if (colon == std::string::npos) continue;
      const std::string resource = g.substr(0, colon);
      if (grants.contains(resource)) grants[resource].push_back(g.substr(colon + 1));
    }
    body["grants"] = grants;
  }
  auto r = p.auth.PutRole(p.actor(), name, body);
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kForbidden) return r.error();
    return ShowRole(p, name, StatusOf(r.error()), &r.error());
  }
  return Redirect(p, "/admin/roles/" + PercentEncode(name) + "?done=saved");
}

Status RolePages(Page& p) {
  const auto& seg = p.seg;
  if (seg.size() == 2) return p.post() ? CreateRole(p) : ShowRoles(p, 200, nullptr);
  if (seg.size() != 3) return NoPage(p);
  if (p.post()) return SaveRole(p, seg[2]);
  return ShowRole(p, seg[2], 200, nullptr);
}

// --- groups and restricted records ---------------------------------------------

Status ShowGroups(Page& p, int status, const Error* error) {
  auto groups = p.auth.Groups(p.actor());
  if (!groups.ok()) return groups.error();
  auto users = p.auth.Users(p.actor());
  if (!users.ok()) return users.error();
  auto restricted = p.engine.RestrictedRecords(p.actor());
  if (!restricted.ok()) return restricted.error();
  Data rows = Data::type::list;
  for (const auto& g : *groups) {
    const std::string name = g.value("name", "");
    Data members = Data::type::list;
    for (const auto& u : *users)
      if (NameSet(u["groups"]).count(name))
        members.push_back(
            Obj({{"username", u.value("username", "")},
                 {"href", "/admin/users/" + PercentEncode(u.value("username", ""))}}));
    rows.push_back(Obj({{"name", name},
                        {"title", Text(g.value("title", ""))},
                        {"created_at", g.value("created_at", "")},
                        {"members", members}}));
  }
  Data records = Data::type::list;
  for (const auto& r : *restricted) {
    const auto* type = p.engine.registry().Find(r.value("type", ""));
    if (!type) continue;
    records.push_back(Obj({{"type", type->title},
                           {"number", r.value("number", "")},
                           {"href", RecordPath(*type, r["id"].get<int64_t>())},
                           {"group", r.value("restricted_to", "")},
                           {"updated_at", r.value("updated_at", "")}}));
  }
  Data d = Obj({{"groups", rows},
                {"records", records},
                {"done", DoneMessage(p, {{"created", "The group was created."}})},
                {"name", error ? p.Param("name") : ""},
                {"title", error ? p.Param("title") : ""}});
  if (error) PutErrors(d, *error, {{"name", "Name"}, {"title", "Title"}});
  return SendTemplate(p, status, "Need-to-know groups", "admin_groups", d);
}

Status GroupPages(Page& p) {
  if (p.seg.size() != 2) return NoPage(p);
  if (!p.post()) return ShowGroups(p, 200, nullptr);
  json body = {{"name", Trimmed(p.Param("name"))}};
  if (const std::string t = Trimmed(p.Param("title")); !t.empty()) body["title"] = t;
  auto r = p.auth.CreateGroup(p.actor(), body);
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kForbidden) return r.error();
    return ShowGroups(p, StatusOf(r.error()), &r.error());
  }
  return Redirect(p, "/admin/groups?done=created");
}

// --- custom fields -------------------------------------------------------------

constexpr const char* kCustomFieldTypes[] = {"text", "long_text", "integer", "decimal", "boolean",
                                             "date", "datetime",  "enum",    "user",    "json"};

Status ShowCustomFields(Page& p, const model::RecordType* type, int status, const Error* error) {
  const std::string chosen = type ? type->name : "";
  Data types = Data::type::list;
  for (const auto& t : p.engine.registry().types())
    types.push_back(Obj({{"name", t.name},
                         {"title", t.title + " (" + t.area + ")"},
                         {"selected", t.name == chosen}}));
  Data d = Obj({{"types", types}, {"has_type", type != nullptr}});
  if (type) {
    Data fields = Data::type::list;
    for (const auto& f : p.engine.CustomFields(*type)) {
      std::string values;
      for (const auto& v : f.enum_values) values += (values.empty() ? "" : ", ") + v;
      fields.push_back(Obj({{"name", f.name},
                            {"type", model::FieldTypeName(f.type)},
                            {"label", f.label},
                            {"required", f.required},
                            {"enum_values", Text(values)},
                            {"help", Text(f.help)}}));
    }
    const std::string field_type = error ? p.Param("type") : "text";
    Data kinds = Data::type::list;
    for (const char* k : kCustomFieldTypes)
      kinds.push_back(Obj({{"value", k}, {"label", Humanize(k)}, {"selected", field_type == k}}));
    d.set("type_name", type->name);
    d.set("type_title", type->title);
    d.set("action", "/admin/custom-fields/" + PercentEncode(type->name));
    d.set("fields", fields);
    d.set("kinds", kinds);
    // Only someone who may define fields on the type gets the form.
    d.set("can_define", p.actor().Can(type->name, Action::kAdminister));
    d.set("done", DoneMessage(p, {{"defined", "The field was defined."}}));
    for (const char* k : {"name", "label", "enum_values", "help"})
      d.set(k, error ? p.Param(k) : std::string());
    d.set("required", error && Checked(p, "required"));
    if (error)
      PutErrors(d, *error,
                {{"name", "Name"},
                 {"type", "Type"},
                 {"label", "Label"},
                 {"required", "Required"},
                 {"enum_values", "Choices"},
                 {"help", "Help"}});
  }
  return SendTemplate(p, status, type ? "Custom fields: " + type->title : "Custom fields",
                      "admin_custom_fields", d);
}

Status CustomFieldPages(Page& p) {
  const auto& seg = p.seg;  // admin custom-fields [TYPE]
  const std::string type_name = seg.size() == 3 ? seg[2] : p.Param("type");
  if (seg.size() > 3 || (seg.size() == 2 && p.post())) return NoPage(p);
  const model::RecordType* type = nullptr;
  if (!type_name.empty()) {
    type = p.engine.registry().Find(type_name);
    if (!type)
      return MakeError(ErrorCode::kNotFound, "There is no record type '" + type_name + "'.");
  }
  if (!p.post()) return ShowCustomFields(p, type, 200, nullptr);
  json body = {{"name", Trimmed(p.Param("name"))},
               {"type", p.Param("type")},
               {"required", Checked(p, "required")}};
  if (const std::string l = Trimmed(p.Param("label")); !l.empty()) body["label"] = l;
  if (const std::string h = Trimmed(p.Param("help")); !h.empty()) body["help"] = h;
  if (const std::string ev = p.Param("enum_values"); !Trimmed(ev).empty()) {
    json values = json::array();
    size_t start = 0;
    while (start <= ev.size()) {
      size_t comma = ev.find(',', start);
      if (comma == std::string::npos) comma = ev.size();
      if (std::string v = Trimmed(ev.substr(start, comma - start)); !v.empty()) values.push_back(v);
      start = comma + 1;
    }
    body["enum_values"] = values;
  } else if (p.Param("type") == "enum") {
    body["enum_values"] = json::array();  // the engine says what is missing
  }
  auto r = p.engine.DefineCustomField(p.actor(), *type, body);
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kForbidden) return r.error();
    Error e = r.error();
    // A duplicate names no field; it belongs beside the name.
    if (e.code == ErrorCode::kConflict && e.fields.empty())
      e.fields.push_back({"name", "is taken"});
    return ShowCustomFields(p, type, StatusOf(e), &e);
  }
  return Redirect(p, "/admin/custom-fields/" + PercentEncode(type->name) + "?done=defined");
}

// --- security events -------------------------------------------------------------

Status SecurityEventsPage(Page& p) {
  if (p.seg.size() != 2) return NoPage(p);
  if (p.post()) return MakeError(ErrorCode::kMethodNotAllowed, "use GET");
  int64_t before = 0;
  if (const std::string b = p.Param("before"); !b.empty()) {
    auto [end, ec] = std::from_chars(b.data(), b.data() + b.size(), before);
    if (ec != std::errc() || end != b.data() + b.size() || before < 1)
      return MakeError(ErrorCode::kBadRequest, "before must be a positive integer");
  }
  auto events = p.auth.SecurityEvents(p.actor(), before, kEventsPerPage);
  if (!events.ok()) return events.error();
  Data rows = Data::type::list;
  int64_t last = 0;
  for (const auto& e : *events) {
    last = e.value("seq", int64_t{0});
    std::string subject = e.value("subject", "");
    if (e["subject_id"].is_number_integer())
      subject += " " + std::to_string(e["subject_id"].get<int64_t>());
    const json& changes = e.value("changes", json());
    rows.push_back(
        Obj({{"seq", std::to_string(last)},
             {"at", e.value("at", "")},
             {"actor", e.value("actor", "")},
             {"action", e.value("action", "")},
             {"subject", subject},
             {"changes", Text(changes.is_null() || changes.empty() ? "" : changes.dump())}}));
  }
  const bool more = static_cast<int>(events->size()) == kEventsPerPage && last > 1;
  Data d = Obj({{"events", rows},
                {"older_href", more ? Data("/admin/security-events?before=" + std::to_string(last))
                                    : Data(false)},
                {"newest_href", before > 0 ? Data("/admin/security-events") : Data(false)}});
  return SendTemplate(p, 200, "Security events", "admin_security_events", d);
}

}  // namespace

Status AdminPages(Page& p) {
  const auto& seg = p.seg;  // seg[0] == "admin"
  if (seg.size() == 1) {
    if (p.post()) return MakeError(ErrorCode::kMethodNotAllowed, "use GET");
    return IndexPage(p);
  }
  const std::string& area = seg[1];
  if (area == "users") return UserPages(p);
  if (area == "roles") return RolePages(p);
  if (area == "groups") return GroupPages(p);
  if (area == "custom-fields") return CustomFieldPages(p);
  if (area == "security-events") return SecurityEventsPage(p);
  return NoPage(p);
}

}  // namespace tandem::web
