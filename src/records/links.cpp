// Typed links between any two records, stored once and read from both ends.
#include <nlohmann/json.hpp>

#include "records/codec.h"
#include "records/engine.h"

namespace tandem::records {

using model::RecordType;
using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

struct Target {
  const RecordType* type = nullptr;
  int64_t id = 0;
};

// "SVC-000003" or {"type": "service", "id": 3}
Result<Target> ParseTarget(const model::Registry& reg, const json& t) {
  Target out;
  if (t.is_string()) {
    const std::string& s = t.get_ref<const std::string&>();
    auto dash = s.find('-');
    if (dash != std::string::npos) out.type = reg.FindByPrefix(s.substr(0, dash));
    if (out.type) out.id = ParseRecordId(*out.type, s);
  } else if (t.is_object() && t.contains("type") && t["type"].is_string() && t.contains("id") &&
             t["id"].is_number_integer()) {
    out.type = reg.Find(t["type"].get<std::string>());
    out.id = t["id"].get<int64_t>();
  }
  if (!out.type || out.id <= 0)
    return MakeError(
        ErrorCode::kValidation, "bad link target",
        {{"target",
          "must be a record number such as SVC-000003 or {\"type\": \"service\", \"id\": 3}"}});
  return out;
}

// The other end of a link as the actor may see it: not found when it does not
// exist for the actor.
Result<json> Describe(Connection& c, const Actor& actor, const RecordType& type, int64_t id) {
  Value p[] = {id};
  TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query("SELECT " + QuoteIdentifier(type.display_field) +
                                                     ", archived, restricted_to FROM " +
                                                     type.table() + " WHERE id = $1",
                                                 p));
  if (r.empty() ||
      (!store::IsNull(r.rows[0][2]) && !actor.CanSee(std::get<std::string>(r.rows[0][2]))))
    return MakeError(ErrorCode::kNotFound, "no " + type.name + " " + FormatNumber(type, id));
  const auto& v = r.rows[0][0];
  return json{
      {"type", type.name},
      {"id", id},
      {"number", FormatNumber(type, id)},
      {"display", std::holds_alternative<std::string>(v) ? json(std::get<std::string>(v)) : json()},
      {"archived", std::get<int64_t>(r.rows[0][1]) != 0}};
}

constexpr const char* kLinkColumns =
    "id, relation, from_type, from_id, to_type, to_id, note, created_at, created_by";

}  // namespace

Result<json> Engine::AddLink(const Actor& actor, const RecordType& type, int64_t id,
                             const json& body) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kUpdate));
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  std::vector<FieldError> errors;
  for (const auto& [k, v] : body.items())
    if (k != "relation" && k != "target" && k != "note")
      errors.push_back({k, "is not a link field"});
  const model::RelationDecl* rel = nullptr;
  if (!body.contains("relation") || !body["relation"].is_string() ||
      !(rel = model::Registry::FindRelation(body["relation"].get<std::string>()))) {
    std::string names;
    for (const auto& r : model::Registry::Relations())
      names += (names.empty() ? "" : ", ") + r.name;
    errors.push_back({"relation", "must be one of: " + names});
  }
  std::string note;
  if (body.contains("note")) {
    if (std::string why = CheckFreeText(body["note"], 2000, true); !why.empty())
      errors.push_back({"note", why});
    else
      note = body["note"].get<std::string>();
  }
  if (!body.contains("target")) errors.push_back({"target", "is required"});
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the link is invalid", std::move(errors));
  TANDEM_ASSIGN_OR_RETURN(Target target, ParseTarget(registry_, body["target"]));
  TANDEM_RETURN_IF_ERROR(Authorize(actor, *target.type, Action::kRead));
  if (target.type == &type && target.id == id)
    return MakeError(ErrorCode::kValidation, "a record cannot link to itself",
                     {{"target", "is this record"}});

  json link;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(LoadForWrite(c, actor, type, id, std::nullopt).status());
    TANDEM_ASSIGN_OR_RETURN(link,
                            InsertLink(c, actor, type, id, *rel, *target.type, target.id, note));
    return Status::Ok();
  }));
  return link;
}

Result<json> Engine::InsertLink(Connection& c, const Actor& actor, const RecordType& type,
                                int64_t id, const model::RelationDecl& relation,
                                const RecordType& target_type, int64_t target_id,
                                const std::string& note) {
  auto other = Describe(c, actor, target_type, target_id);
  if (!other.ok())
    return MakeError(
        ErrorCode::kValidation, "the link target does not exist",
        {{"target", "no " + target_type.name + " " + FormatNumber(target_type, target_id)}});
  if ((*other)["archived"].get<bool>())
    return MakeError(ErrorCode::kValidation, "the link target is archived",
                     {{"target", "is archived"}});
  Value p[] = {relation.name,
               type.name,
               id,
               target_type.name,
               target_id,
               note,
               FormatTimestamp(clock_.Now()),
               actor.name};
  TANDEM_ASSIGN_OR_RETURN(store::Rows dup,
                          c.Query("SELECT id FROM links WHERE relation = $1 AND from_type = $2 AND "
                                  "from_id = $3 AND to_type = $4 AND to_id = $5",
                                  {p, 5}));
  if (!dup.empty())
    return MakeError(ErrorCode::kConflict, "this link already exists (link " +
                                               std::to_string(std::get<int64_t>(dup.rows[0][0])) +
                                               ")");
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows ins, c.Query("INSERT INTO links (relation, from_type, from_id, to_type, to_id, "
                               "note, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, "
                               "$7, $8) RETURNING id",
                               p));
  const int64_t link_id = std::get<int64_t>(ins.rows[0][0]);
  json link = {{"id", link_id},
               {"relation", relation.name},
               {"direction", "outgoing"},
               {"other", *other},
               {"note", note},
               {"created_at", std::get<std::string>(p[6])},
               {"created_by", actor.name}};
  json change = {{"link",
                  {{"id", link_id},
                   {"relation", relation.name},
                   {"from", FormatNumber(type, id)},
                   {"to", FormatNumber(target_type, target_id)},
                   {"note", note}}}};
  TANDEM_RETURN_IF_ERROR(Audit(c, actor, "link", type, id, change));
  TANDEM_RETURN_IF_ERROR(Audit(c, actor, "link", target_type, target_id, change));
  return link;
}

Result<json> Engine::Links(const Actor& actor, const RecordType& type, int64_t id) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kRead));
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(ReadVisible(c, actor, type, id).status());
    Value p[] = {type.name, id};
    TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                            c.Query(std::string("SELECT ") + kLinkColumns +
                                        " FROM links WHERE (from_type = $1 AND from_id = $2) OR "
                                        "(to_type = $1 AND to_id = $2)"
                                        " ORDER BY id",
                                    p));
    std::map<const RecordType*, bool> may_mask_of;  // asked once per type of the other end
    auto may_mask_display = [&](const RecordType& ot) -> Result<bool> {
      auto [it, fresh] = may_mask_of.try_emplace(&ot, false);
      if (!fresh || actor.system) return it->second;
      if (const auto* shown = ot.Field(ot.display_field))
        for (const auto* source : ot.MaskSources(*shown)) {
          TANDEM_ASSIGN_OR_RETURN(bool any, AnyHidden(c, actor, *registry_.Find(source->ref_type)));
          if (any) return it->second = true;
        }
      return false;
    };
    for (const auto& row : r.rows) {
      const bool outgoing =
          std::get<std::string>(row[2]) == type.name && std::get<int64_t>(row[3]) == id;
      const auto& other_type = std::get<std::string>(outgoing ? row[4] : row[2]);
      const int64_t other_id = std::get<int64_t>(outgoing ? row[5] : row[3]);
      const RecordType* ot = registry_.Find(other_type);
      if (!ot) continue;  // a type this build no longer declares
      auto other = Describe(c, actor, *ot, other_id);
      if (!other.ok()) {
        if (other.error().code == ErrorCode::kNotFound) continue;  // hidden from the actor
        return other.error();
      }
      // A display value derived from a record hidden from the actor (a trace's
      // summary names its element) is not shown. The record is read again only
      // when the types it derives from hold records hidden from the actor.
      TANDEM_ASSIGN_OR_RETURN(bool may_mask, may_mask_display(*ot));
      if (may_mask) {
        const auto* shown = ot->Field(ot->display_field);
        Value p[] = {other_id};
        TANDEM_ASSIGN_OR_RETURN(store::Rows full, c.Query(SqlFor(*ot).select_by_id, p));
        const json rec = RowToRecord(*ot, full.rows.at(0));
        TANDEM_ASSIGN_OR_RETURN(auto masked, MaskedFields(c, actor, *ot, {&rec, 1}));
        if (masked[0].count(shown->name)) (*other)["display"] = nullptr;
      }
      const auto* rel = model::Registry::FindRelation(std::get<std::string>(row[1]));
      std::string relation = std::get<std::string>(row[1]);
      out.push_back({{"id", std::get<int64_t>(row[0])},
                     {"relation", outgoing || !rel ? relation : rel->inverse},
                     {"stored_relation", relation},
                     {"direction", outgoing ? "outgoing" : "incoming"},
                     {"other", *other},
                     {"note", std::get<std::string>(row[6])},
                     {"created_at", std::get<std::string>(row[7])},
                     {"created_by", std::get<std::string>(row[8])}});
    }
    return Status::Ok();
  }));
  return out;
}

Status Engine::RemoveLink(const Actor& actor, const RecordType& type, int64_t id, int64_t link_id) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kUpdate));
  return db_.Write([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(LoadForWrite(c, actor, type, id, std::nullopt).status());
    Value p[] = {link_id, type.name, id};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r,
        c.Query(std::string("SELECT ") + kLinkColumns +
                    " FROM links WHERE id = $1 AND ((from_type = $2 AND from_id = $3) OR "
                    "(to_type = $2 AND to_id = $3))",
                p));
    const Error no_link = MakeError(ErrorCode::kNotFound, "no link " + std::to_string(link_id) +
                                                              " on " + FormatNumber(type, id));
    if (r.empty()) return no_link;
    const auto& row = r.rows[0];
    const RecordType* from = registry_.Find(std::get<std::string>(row[2]));
    const RecordType* to = registry_.Find(std::get<std::string>(row[4]));
    const bool outgoing = from == &type && std::get<int64_t>(row[3]) == id;
    auto other = outgoing ? Describe(c, actor, *to, std::get<int64_t>(row[5]))
                          : Describe(c, actor, *from, std::get<int64_t>(row[3]));
    if (!other.ok()) return other.error().code == ErrorCode::kNotFound ? no_link : other.error();
    TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM links WHERE id = $1", {p, 1}).status());
    json change = {{"link",
                    {{"id", link_id},
                     {"relation", std::get<std::string>(row[1])},
                     {"from", FormatNumber(*from, std::get<int64_t>(row[3]))},
                     {"to", FormatNumber(*to, std::get<int64_t>(row[5]))},
                     {"note", std::get<std::string>(row[6])}}}};
    TANDEM_RETURN_IF_ERROR(Audit(c, actor, "unlink", *from, std::get<int64_t>(row[3]), change));
    return Audit(c, actor, "unlink", *to, std::get<int64_t>(row[5]), change);
  });
}

}  // namespace tandem::records
