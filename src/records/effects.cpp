// Changes hooks make to other records: each one a write of its own, through
// the same steps as a request's (validation, hooks, unique keys, audit).
#include "records/effects.h"

#include <nlohmann/json.hpp>

#include "records/codec.h"

namespace tandem::records {

using nlohmann::json;

namespace {

// Hooks that change records whose hooks change records ...: a chain this long
// is a loop between hooks, a bug.
constexpr int kMaxDepth = 4;

}  // namespace

Result<const model::RecordType*> Engine::HookEffects::Next(const std::string& type) const {
  if (depth_ >= kMaxDepth)
    return MakeError(ErrorCode::kInternal, "hooks changing " + type + " nest more than " +
                                               std::to_string(kMaxDepth) + " deep");
  const model::RecordType* t = engine_.registry_.Find(type);
  if (!t) return MakeError(ErrorCode::kInternal, "a hook names unknown record type " + type);
  return t;
}

Result<json> Engine::HookEffects::Create(const std::string& type, const json& body) {
  TANDEM_ASSIGN_OR_RETURN(const model::RecordType* t, Next(type));
  TANDEM_ASSIGN_OR_RETURN(NewRecord input, engine_.PrepareCreate(*t, body));
  return engine_.Insert(c_, actor_, *t, input, depth_ + 1, cause_);
}

Result<json> Engine::HookEffects::Update(const std::string& type, int64_t id, const json& changes) {
  TANDEM_ASSIGN_OR_RETURN(const model::RecordType* t, Next(type));
  TANDEM_ASSIGN_OR_RETURN(json before, engine_.LoadForWrite(c_, actor_, *t, id, std::nullopt));
  json after = before;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : changes.items()) {
    const model::FieldDecl* f = t->Field(k);
    if (!f)
      return MakeError(ErrorCode::kInternal, "a hook sets undeclared field " + type + "." + k);
    json value = v;
    if (std::string why = v.is_null() ? "" : CheckValue(*f, value); !why.empty())
      errors.push_back({k, why});
    after[k] = std::move(value);
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation,
                     before["number"].get<std::string>() + " cannot take these values",
                     std::move(errors));
  TANDEM_RETURN_IF_ERROR(engine_.CheckFiles(c_, *t, after));
  TANDEM_RETURN_IF_ERROR(
      engine_.SaveUpdate(c_, actor_, *t, before, after, "update", nullptr, "", depth_ + 1, cause_));
  return after;
}

Result<json> Engine::HookEffects::Transition(const std::string& type, int64_t id,
                                             const std::string& name) {
  TANDEM_ASSIGN_OR_RETURN(const model::RecordType* t, Next(type));
  if (!t->states) return MakeError(ErrorCode::kInternal, type + " records have no states");
  const model::TransitionDecl* tr = t->states->Find(name);
  TANDEM_ASSIGN_OR_RETURN(json before, engine_.LoadForWrite(c_, actor_, *t, id, std::nullopt));
  TANDEM_RETURN_IF_ERROR(engine_.CheckFromState(*t, before, name, tr));
  TANDEM_ASSIGN_OR_RETURN(const std::string on_behalf_of,
                          engine_.CheckDuties(c_, actor_, *t, before, *tr, false));
  json after = before;
  after["state"] = tr->to;
  TANDEM_RETURN_IF_ERROR(engine_.SaveUpdate(c_, actor_, *t, before, after, "transition", tr,
                                            on_behalf_of, depth_ + 1, cause_));
  return after;
}

Status Engine::HookEffects::Link(const std::string& from_type, int64_t from_id,
                                 const std::string& relation, const std::string& to_type,
                                 int64_t to_id, const std::string& note) {
  TANDEM_ASSIGN_OR_RETURN(const model::RecordType* from, Next(from_type));
  TANDEM_ASSIGN_OR_RETURN(const model::RecordType* to, Next(to_type));
  const model::RelationDecl* rel = model::Registry::FindRelation(relation);
  if (!rel) return MakeError(ErrorCode::kInternal, "a hook names unknown relation " + relation);
  TANDEM_RETURN_IF_ERROR(engine_.ReadVisible(c_, actor_, *from, from_id).status());
  return engine_.InsertLink(c_, actor_, *from, from_id, *rel, *to, to_id, note).status();
}

}  // namespace tandem::records
