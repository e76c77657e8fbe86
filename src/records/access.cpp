// Access policy inside the engine: role permissions per record type and
// action, and need-to-know restriction of single records to a group.
//
// A restricted record does not exist for anyone outside its group: reads give
// 404, lists and filters skip it, links and history of other records leave it
// out, and reference fields pointing at it read as null. Administrators are
// told it exists (403 naming the group), never what it holds.
#include <nlohmann/json.hpp>

#include "records/codec.h"
#include "records/engine.h"

namespace tandem::records {

using model::RecordType;
using nlohmann::json;
using store::Connection;
using store::Value;

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kRead:
      return "read";
    case Action::kCreate:
      return "create";
    case Action::kUpdate:
      return "update";
    case Action::kTransition:
      return "transition";
    case Action::kArchive:
      return "archive";
    case Action::kAdminister:
      return "administer";
  }
  return "read";
}

std::optional<Action> ParseAction(std::string_view name) {
  for (Action a : kAllActions)
    if (ActionName(a) == name) return a;
  return std::nullopt;
}

Status Engine::Authorize(const Actor& actor, const RecordType& type, Action action) const {
  if (actor.Can(type.name, action)) return Status::Ok();
  if (actor.read_only && action != Action::kRead)
    return MakeError(ErrorCode::kForbidden, "this API token is read-only");
  return MakeError(ErrorCode::kForbidden, "your roles do not allow " +
                                              std::string(ActionName(action)) + " on " + type.name +
                                              " records");
}

namespace {

// The actor's groups appended to `params`, as the placeholders naming them
// ("$2, $3"; "" for no group).
std::string GroupParams(const Actor& actor, std::vector<Value>& params) {
  std::string list;
  for (const auto& g : actor.groups) {
    params.emplace_back(g);
    list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  return list;
}

}  // namespace

Result<json> Engine::ReadVisible(Connection& c, const Actor& actor, const RecordType& type,
                                 int64_t id) {
  const std::string number = FormatNumber(type, id);
  std::vector<Value> p = {id};
  std::string sql = SqlFor(type).select_by_id;
  if (!actor.system && !actor.administrator) {
    // The group test is part of the lookup, so a hidden record costs what an
    // absent one does: no answer time tells them apart.
    const std::string groups = GroupParams(actor, p);
    sql += groups.empty() ? " AND restricted_to IS NULL"
                          : " AND (restricted_to IS NULL OR restricted_to IN (" + groups + "))";
  }
  TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(sql, p));
  if (r.empty()) return MakeError(ErrorCode::kNotFound, "no " + type.name + " " + number);
  json rec = RowToRecord(type, r.rows[0]);
  const std::string group = rec["restricted_to"].is_string() ? rec["restricted_to"] : "";
  if (!actor.CanSee(group)) {
    if (!actor.administrator)
      return MakeError(ErrorCode::kNotFound, "no " + type.name + " " + number);
    return MakeError(ErrorCode::kForbidden, number + " is restricted to the group '" + group +
                                                "'; only its members can read it");
  }
  return rec;
}

namespace {

// Parameters padded to a power of two (repeating the last id), so that lists
// of any length share a few prepared statements.
std::string IdList(const std::set<int64_t>& ids, std::vector<Value>& params) {
  size_t n = 1;
  while (n < ids.size()) n *= 2;
  std::string sql;
  for (size_t i = 0; i < n; ++i) {
    params.emplace_back(i < ids.size() ? *std::next(ids.begin(), static_cast<long>(i))
                                       : *ids.rbegin());
    sql += (i ? ", $" : "$") + std::to_string(params.size());
  }
  return sql;
}

}  // namespace

Result<std::set<int64_t>> Engine::HiddenIds(Connection& c, const Actor& actor,
                                            const RecordType& type, const std::set<int64_t>& ids) {
  std::set<int64_t> hidden;
  if (actor.system || ids.empty()) return hidden;
  std::vector<Value> params;
  const std::string list = IdList(ids, params);
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          c.Query("SELECT id, restricted_to FROM " + type.table() +
                                      " WHERE restricted_to IS NOT NULL AND id IN (" + list + ")",
                                  params));
  for (const auto& row : r.rows)
    if (!actor.CanSee(std::get<std::string>(row[1]))) hidden.insert(std::get<int64_t>(row[0]));
  return hidden;
}

Result<std::vector<std::set<std::string>>> Engine::MaskedFields(Connection& c, const Actor& actor,
                                                                const RecordType& type,
                                                                std::span<const json> records) {
  std::vector<std::set<std::string>> masked(records.size());
  if (actor.system) return masked;
  // First which references point at hidden records, then every field masked
  // by one of them (the references themselves and what derives from them).
  std::vector<std::set<std::string>> hidden_refs(records.size());
  bool any = false;
  for (const auto& f : type.fields) {
    if (f.type != model::FieldType::kReference) continue;
    std::set<int64_t> ids;
    for (const json& r : records)
      if (auto it = r.find(f.name); it != r.end() && it->is_number_integer())
        ids.insert(it->get<int64_t>());
    TANDEM_ASSIGN_OR_RETURN(auto hidden, HiddenIds(c, actor, *registry_.Find(f.ref_type), ids));
    for (size_t i = 0; i < records.size(); ++i)
      if (auto it = records[i].find(f.name);
          it != records[i].end() && it->is_number_integer() && hidden.count(it->get<int64_t>())) {
        hidden_refs[i].insert(f.name);
        any = true;
      }
  }
  if (!any) return masked;
  for (size_t i = 0; i < records.size(); ++i) {
    if (hidden_refs[i].empty()) continue;
    for (const auto& f : type.fields)
      for (const auto* source : type.MaskSources(f))
        if (hidden_refs[i].count(source->name)) masked[i].insert(f.name);
  }
  return masked;
}

Status Engine::HideReferences(Connection& c, const Actor& actor, const RecordType& type,
                              std::span<json> records) {
  if (actor.system) return Status::Ok();
  for (json& r : records) EraseInternalFields(type, r);
  TANDEM_ASSIGN_OR_RETURN(auto masked, MaskedFields(c, actor, type, records));
  for (size_t i = 0; i < records.size(); ++i)
    for (const auto& name : masked[i])
      if (auto it = records[i].find(name); it != records[i].end()) *it = nullptr;
  return Status::Ok();
}

Result<ListQuery::Masks> Engine::ListMasks(Connection& c, const Actor& actor,
                                           const RecordType& type, const ListQuery& q) {
  ListQuery::Masks masks;
  if (actor.system) return masks;
  // Only the references behind what the query filters, sorts or searches on.
  std::set<const model::FieldDecl*> wanted;
  auto want = [&](const std::string& name) {
    if (const auto* f = type.Field(name))
      for (const auto* s : type.MaskSources(*f)) wanted.insert(s);
  };
  for (const auto& f : q.filters)
    if (f.custom.empty()) want(f.field.name);
  want(q.sort_field);
  for (const auto& name : q.search_fields) want(name);
  for (const auto* f : wanted) {
    const RecordType& target = *registry_.Find(f->ref_type);
    TANDEM_ASSIGN_OR_RETURN(bool any, AnyHidden(c, actor, target));
    if (any) masks.hidden_refs[f->name] = target.table();
  }
  return masks;
}

Result<bool> Engine::AnyHidden(Connection& c, const Actor& actor, const RecordType& type) {
  std::vector<Value> params;
  std::string sql = "SELECT 1 FROM " + type.table() + " WHERE restricted_to IS NOT NULL";
  if (const std::string groups = GroupParams(actor, params); !groups.empty())
    sql += " AND restricted_to NOT IN (" + groups + ")";
  TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(sql + " LIMIT 1", params));
  return !r.empty();
}

Status Engine::CheckGroup(Connection& c, const Actor& actor, const std::string& group) {
  Value p[] = {group};
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          c.Query("SELECT name FROM access_groups WHERE name = $1", p));
  if (r.empty())
    return MakeError(ErrorCode::kValidation, "no such group",
                     {{"restricted_to", "no group named '" + group + "'"}});
  if (!actor.CanSee(group))
    return MakeError(ErrorCode::kValidation, "you can only restrict records to your own groups",
                     {{"restricted_to", "you are not a member of '" + group + "'"}});
  return Status::Ok();
}

Result<json> Engine::Restrict(const Actor& actor, const RecordType& type, int64_t id,
                              const std::optional<std::string>& group,
                              std::optional<int64_t> expected_version) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kUpdate));
  json result;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json before, LoadForWrite(c, actor, type, id, expected_version));
    if (group) TANDEM_RETURN_IF_ERROR(CheckGroup(c, actor, *group));
    result = before;
    result["restricted_to"] = group ? json(*group) : json();
    if (result["restricted_to"] == before["restricted_to"]) return Status::Ok();
    // Unique keys hold per partition: moving into one that holds the same key
    // (a record the actor can see, being a member) is a clash.
    TANDEM_RETURN_IF_ERROR(CheckUnique(c, type, result));
    TANDEM_RETURN_IF_ERROR(WriteNextVersion(c, actor, type, before, result));
    return Audit(c, actor, group ? "restrict" : "unrestrict", type, id, Diff(before, result));
  }));
  return result;
}

Result<json> Engine::RestrictedRecords(const Actor& actor) {
  if (!actor.administrator && !actor.system)
    return MakeError(ErrorCode::kForbidden, "only administrators can list restricted records");
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    for (const auto& t : registry_.types()) {
      TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                              c.Query("SELECT id, restricted_to, updated_at FROM " + t.table() +
                                      " WHERE restricted_to IS NOT NULL ORDER BY id"));
      for (const auto& row : r.rows) {
        const int64_t id = std::get<int64_t>(row[0]);
        out.push_back({{"type", t.name},
                       {"id", id},
                       {"number", FormatNumber(t, id)},
                       {"restricted_to", std::get<std::string>(row[1])},
                       {"updated_at", std::get<std::string>(row[2])}});
      }
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace tandem::records
