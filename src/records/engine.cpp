#include "records/engine.h"

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "records/codec.h"
#include "records/effects.h"
#include "records/schema.h"
#include "store/migrations.h"

namespace tandem::records {

using model::RecordType;
using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

constexpr int kIdempotencyHours = 24;

// Keys every record carries that are bookkeeping, not content: the audit
// event already holds who and when.
bool IsBookkeeping(const std::string& key) {
  return key == "id" || key == "number" || key == "type" || key == "version" ||
         key == "created_at" || key == "created_by" || key == "updated_at" || key == "updated_by";
}

json Content(const json& record) {
  json out = json::object();
  for (const auto& [k, v] : record.items())
    if (!IsBookkeeping(k)) out[k] = v;
  return out;
}

}  // namespace

json Diff(const json& before, const json& after) {
  json b = json::object(), a = json::object();
  for (const auto& [k, v] : after.items()) {
    if (IsBookkeeping(k)) continue;
    auto it = before.find(k);
    if (it == before.end() || *it != v) {
      b[k] = it == before.end() ? json() : *it;
      a[k] = v;
    }
  }
  for (const auto& [k, v] : before.items())
    if (!IsBookkeeping(k) && !after.contains(k)) {
      b[k] = v;
      a[k] = nullptr;
    }
  return json{{"before", b}, {"after", a}};
}

Engine::Engine(store::Database& db, const model::Registry& registry, HookRegistry hooks,
               const Clock& clock)
    : db_(db), registry_(registry), hooks_(std::move(hooks)), clock_(clock) {}

Engine::~Engine() = default;

Status Engine::Migrate() {
  TANDEM_RETURN_IF_ERROR(hooks_.Check(registry_));
  // Only write when something is missing: replicas and concurrent starts
  // then need no write lock.
  auto current = SchemaIsCurrent(db_, registry_);
  if (!current.ok() || !*current) {
    TANDEM_RETURN_IF_ERROR(store::Migrate(db_).status());
    TANDEM_RETURN_IF_ERROR(EnsureTables(db_, registry_));
  }
  return ReloadCustomFields();
}

Status Engine::Audit(Connection& c, const Actor& actor, const std::string& action,
                     const RecordType& type, int64_t id, const json& changes) {
  AuditEvent e;
  e.at = FormatTimestamp(clock_.Now());
  e.actor = actor.name;
  e.action = action;
  e.record_type = type.name;
  e.record_id = id;
  // Replaced, not refused: a name cut to length may end inside a character.
  e.changes = changes.dump(-1, ' ', false, json::error_handler_t::replace);
  return AppendAudit(c, e);
}

Status Engine::CheckReferences(Connection& c, const Actor& actor, const RecordType& type,
                               const json& values) {
  std::vector<FieldError> errors;
  for (const auto& f : type.fields) {
    if (f.type != model::FieldType::kReference) continue;
    auto it = values.find(f.name);
    if (it == values.end() || it->is_null()) continue;
    const RecordType* target = registry_.Find(f.ref_type);
    Value p[] = {it->get<int64_t>()};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r,
        c.Query("SELECT archived, restricted_to FROM " + target->table() + " WHERE id = $1", p));
    if (r.empty() ||
        (!store::IsNull(r.rows[0][1]) && !actor.CanSee(std::get<std::string>(r.rows[0][1]))))
      errors.push_back(
          {f.name, "no " + target->name + " " + FormatNumber(*target, it->get<int64_t>())});
    else if (std::get<int64_t>(r.rows[0][0]) != 0)
      errors.push_back({f.name, FormatNumber(*target, it->get<int64_t>()) + " is archived"});
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "a referenced record does not exist",
                     std::move(errors));
  return Status::Ok();
}

Status Engine::CheckUnique(Connection& c, const RecordType& type, const json& rec) {
  const int64_t id = rec.contains("id") ? rec["id"].get<int64_t>() : 0;
  for (const auto& key : type.unique) {
    std::string sql = "SELECT 1 FROM " + type.table() + " WHERE id <> $1";
    std::vector<Value> params = {id};
    bool complete = true;
    for (const auto& name : key) {
      auto it = rec.find(name);
      if (it == rec.end() || it->is_null()) complete = false;
      if (!complete) break;
      params.push_back(it->is_string() ? Value(it->get<std::string>()) : Value(it->get<int64_t>()));
      sql += " AND " + QuoteIdentifier(name) + " = $" + std::to_string(params.size());
    }
    if (!complete) continue;
    // Keys are unique per need-to-know partition (the public records, or one
    // group's), as the index says: a record hidden from the writer never
    // refuses their record, so a refusal cannot reveal that it exists, and a
    // clash always names a record the writer can see.
    const json& group = rec.contains("restricted_to") ? rec["restricted_to"] : json();
    params.emplace_back(group.is_string() ? group.get<std::string>() : std::string());
    sql += " AND " + std::string(kUniquePartition) + " = $" + std::to_string(params.size());
    TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(sql + " LIMIT 1", params));
    if (r.empty()) continue;
    std::string fields;
    for (const auto& name : key) fields += (fields.empty() ? "" : ", ") + name;
    return MakeError(ErrorCode::kConflict, "another " + type.name + " has the same " + fields,
                     {{key.back(), "is already taken"}});
  }
  return Status::Ok();
}

namespace {

bool NamesCustomField(const Error& e) {
  for (const auto& f : e.fields)
    if (f.field.starts_with("custom.") || f.field.starts_with("filter[custom.")) return true;
  return false;
}

}  // namespace

template <typename F>
auto Engine::WithCustomFields(const RecordType& type, F&& f) {
  auto r = f(CustomFields(type));
  // Another app server may have defined the field since this one loaded them.
  if (!r.ok() && NamesCustomField(r.error()) && ReloadCustomFields().ok())
    r = f(CustomFields(type));
  return r;
}

Result<json> Engine::Validate(const RecordType& type, const json& body, InputMode mode) {
  return WithCustomFields(type, [&](const std::vector<model::FieldDecl>& custom) {
    return ValidateInput(type, custom, body, mode);
  });
}

Result<ListQuery> Engine::ParseList(const RecordType& type,
                                    const std::multimap<std::string, std::string>& params) {
  return WithCustomFields(type, [&](const std::vector<model::FieldDecl>& custom) {
    return ParseListQuery(type, custom, params);
  });
}

Result<Engine::NewRecord> Engine::PrepareCreate(const RecordType& type, const json& body) {
  NewRecord out;
  if (!body.is_object() || !body.contains("restricted_to")) {
    TANDEM_ASSIGN_OR_RETURN(out.values, Validate(type, body, InputMode::kCreate));
    return out;
  }
  json rest = body;
  const json group = rest["restricted_to"];
  rest.erase("restricted_to");
  if (!group.is_null() && !group.is_string())
    return MakeError(ErrorCode::kValidation, "restricted_to must be a group name",
                     {{"restricted_to", "must be the name of a group, or null"}});
  if (group.is_string()) out.restricted_to = group.get<std::string>();
  TANDEM_ASSIGN_OR_RETURN(out.values, Validate(type, rest, InputMode::kCreate));
  return out;
}

Result<json> Engine::Insert(Connection& c, const Actor& actor, const RecordType& type,
                            const NewRecord& input, int depth, const std::string& cause) {
  if (input.restricted_to) TANDEM_RETURN_IF_ERROR(CheckGroup(c, actor, *input.restricted_to));
  TANDEM_RETURN_IF_ERROR(CheckReferences(c, actor, type, input.values));
  json rec = input.values;
  TANDEM_RETURN_IF_ERROR(CheckFiles(c, type, rec));
  for (const auto& f : type.fields)
    if (!rec.contains(f.name)) rec[f.name] = nullptr;
  if (!rec.contains("custom")) rec["custom"] = json::object();
  const std::string now = FormatTimestamp(clock_.Now());
  rec["version"] = 1;
  if (type.states) rec["state"] = type.states->initial;
  rec["created_at"] = rec["updated_at"] = now;
  rec["created_by"] = rec["updated_by"] = actor.name;
  rec["archived"] = false;
  rec["restricted_to"] = input.restricted_to ? json(*input.restricted_to) : json();
  HookEffects effects(*this, c, actor, depth, "a new " + type.name);
  HookContext ctx{type, actor, c, clock_, nullptr, rec, nullptr, &registry_, &effects};
  TANDEM_RETURN_IF_ERROR(hooks_.RunSave(ctx));
  TANDEM_RETURN_IF_ERROR(CheckUnique(c, type, rec));
  auto params = RecordToParams(type, rec);
  TANDEM_ASSIGN_OR_RETURN(store::Rows ins, c.Query(SqlFor(type).insert, params));
  json stored = RowToRecord(type, ins.rows[0]);  // exactly what was stored
  const int64_t id = stored["id"].get<int64_t>();
  json change = {{"after", Content(stored)}};
  if (!cause.empty()) change["cause"] = cause;
  TANDEM_RETURN_IF_ERROR(Audit(c, actor, "create", type, id, change));
  effects.SetCause(FormatNumber(type, id));
  HookContext written{type, actor, c, clock_, nullptr, stored, nullptr, &registry_, &effects};
  TANDEM_RETURN_IF_ERROR(hooks_.RunAfter(written));
  return stored;
}

Result<json> Engine::Create(const Actor& actor, const RecordType& type, const json& body,
                            const std::optional<IdempotencyKey>& idem, bool* replayed) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kCreate));
  TANDEM_ASSIGN_OR_RETURN(NewRecord input, PrepareCreate(type, body));
  json result;
  bool was_replayed = false;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    if (idem) {
      // Keys protect retries, not history: they are honoured for a day.
      Value cutoff = FormatTimestamp(clock_.Now() - std::chrono::hours(kIdempotencyHours));
      TANDEM_RETURN_IF_ERROR(
          c.Execute("DELETE FROM idempotency_keys WHERE created_at < $1", {&cutoff, 1}).status());
      Value p[] = {actor.name, idem->key};
      TANDEM_ASSIGN_OR_RETURN(
          store::Rows r,
          c.Query("SELECT request_hash, body FROM idempotency_keys WHERE actor = $1 AND key = $2",
                  p));
      if (!r.empty()) {
        if (std::get<std::string>(r.rows[0][0]) != idem->request_hash)
          return MakeError(ErrorCode::kConflict,
                           "this Idempotency-Key was already used for a different request");
        result = json::parse(std::get<std::string>(r.rows[0][1]));
        was_replayed = true;
        return Status::Ok();
      }
    }
    TANDEM_ASSIGN_OR_RETURN(result, Insert(c, actor, type, input));
    if (!actor.system) EraseInternalFields(type, result);
    if (idem) {
      Value p[] = {actor.name,   idem->key,     idem->request_hash,
                   int64_t{201}, result.dump(), FormatTimestamp(clock_.Now())};
      TANDEM_RETURN_IF_ERROR(c.Execute("INSERT INTO idempotency_keys (actor, key, request_hash, "
                                       "status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                                       p)
                                 .status());
    }
    return Status::Ok();
  }));
  if (replayed) *replayed = was_replayed;
  return result;
}

namespace {

// An error about item `index` of a batch: its field errors become
// "items[index].field", and the detail says which item.
Error ForItem(Error e, size_t index) {
  const std::string prefix = "items[" + std::to_string(index) + "]";
  e.detail = prefix + ": " + e.detail;
  for (auto& f : e.fields) f.field = prefix + "." + f.field;
  if (e.fields.empty()) e.fields.push_back({prefix, e.detail});
  return e;
}

}  // namespace

Result<std::vector<json>> Engine::CreateBatch(const Actor& actor, const RecordType& type,
                                              const std::vector<json>& bodies) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kCreate));
  std::vector<NewRecord> inputs;
  inputs.reserve(bodies.size());
  std::vector<FieldError> errors;
  std::optional<Error> first;
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto input = PrepareCreate(type, bodies[i]);
    if (input.ok()) {
      inputs.push_back(std::move(*input));
      continue;
    }
    Error e = ForItem(input.error(), i);
    errors.insert(errors.end(), e.fields.begin(), e.fields.end());
    if (!first) first = std::move(e);
  }
  if (first)
    return MakeError(first->code,
                     std::to_string(errors.size()) + " error(s); first " + first->detail,
                     std::move(errors));
  std::vector<json> created;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    created.clear();  // a retried transaction starts again
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto rec = Insert(c, actor, type, inputs[i]);
      if (!rec.ok()) return ForItem(rec.error(), i);
      if (!actor.system) EraseInternalFields(type, *rec);
      created.push_back(std::move(*rec));
    }
    return Status::Ok();
  }));
  return created;
}

Result<json> Engine::Get(const Actor& actor, const RecordType& type, int64_t id) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kRead));
  json result;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(result, ReadVisible(c, actor, type, id));
    return HideReferences(c, actor, type, {&result, 1});
  }));
  return result;
}

namespace {

Status CheckVersion(const json& rec, std::optional<int64_t> expected) {
  const int64_t version = rec["version"].get<int64_t>();
  if (!expected || version == *expected) return Status::Ok();
  return MakeError(ErrorCode::kPreconditionFailed, rec["number"].get<std::string>() +
                                                       " is at version " + std::to_string(version) +
                                                       ", not " + std::to_string(*expected) +
                                                       "; reload it and apply your change again");
}

}  // namespace

Result<json> Engine::LoadForWrite(Connection& c, const Actor& actor, const RecordType& type,
                                  int64_t id, std::optional<int64_t> expected_version) {
  TANDEM_ASSIGN_OR_RETURN(json rec, ReadVisible(c, actor, type, id));
  TANDEM_RETURN_IF_ERROR(CheckVersion(rec, expected_version));
  if (rec["archived"].get<bool>())
    return MakeError(ErrorCode::kConflict, rec["number"].get<std::string>() +
                                               " is archived; restore it before changing it");
  return rec;
}

Status Engine::WriteNextVersion(Connection& c, const Actor& actor, const RecordType& type,
                                const json& before, json& after) {
  const int64_t id = before["id"].get<int64_t>();
  const int64_t version = before["version"].get<int64_t>();
  after["version"] = version + 1;
  after["updated_at"] = FormatTimestamp(clock_.Now());
  after["updated_by"] = actor.name;
  auto params = RecordToParams(type, after);
  params.emplace_back(id);
  params.emplace_back(version);
  TANDEM_ASSIGN_OR_RETURN(store::Rows rows, c.Query(SqlFor(type).update, params));
  if (rows.size() != 1)  // another server won the race since we read the row
    return MakeError(ErrorCode::kPreconditionFailed,
                     "the record was changed concurrently; reload it");
  after = RowToRecord(type, rows.rows[0]);  // exactly what was stored
  return Status::Ok();
}

Status Engine::SaveUpdate(Connection& c, const Actor& actor, const RecordType& type,
                          const json& before, json& after, const std::string& action,
                          const model::TransitionDecl* transition, const std::string& on_behalf_of,
                          int depth, const std::string& cause) {
  const int64_t id = before["id"].get<int64_t>();
  HookEffects effects(*this, c, actor, depth, FormatNumber(type, id));
  HookContext ctx{type, actor, c, clock_, &before, after, transition, &registry_, &effects};
  TANDEM_RETURN_IF_ERROR(hooks_.RunTransition(ctx));
  TANDEM_RETURN_IF_ERROR(hooks_.RunSave(ctx));
  json diff = Diff(before, after);
  if (diff["after"].empty()) return Status::Ok();  // nothing changed: no new version
  TANDEM_RETURN_IF_ERROR(CheckUnique(c, type, after));
  TANDEM_RETURN_IF_ERROR(WriteNextVersion(c, actor, type, before, after));
  if (transition) diff["transition"] = transition->name;
  if (!on_behalf_of.empty()) diff["on_behalf_of"] = on_behalf_of;
  if (!cause.empty()) diff["cause"] = cause;
  TANDEM_RETURN_IF_ERROR(Audit(c, actor, action, type, id, diff));
  HookContext written{type, actor, c, clock_, &before, after, transition, &registry_, &effects};
  return hooks_.RunAfter(written);
}

Result<json> Engine::Update(const Actor& actor, const RecordType& type, int64_t id,
                            int64_t expected_version, const json& patch) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kUpdate));
  TANDEM_ASSIGN_OR_RETURN(json values, Validate(type, patch, InputMode::kPatch));
  json result;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json before, LoadForWrite(c, actor, type, id, expected_version));
    if (type.states) {
      const auto& finals = type.states->final_states;
      const std::string state = before["state"].get<std::string>();
      if (std::find(finals.begin(), finals.end(), state) != finals.end())
        return MakeError(ErrorCode::kConflict,
                         before["number"].get<std::string>() + " is " + state +
                             "; a record in a final state is kept as it was" +
                             (type.states->From(state).empty() ? "" : " (reopen it to change it)"));
    }
    TANDEM_RETURN_IF_ERROR(CheckReferences(c, actor, type, values));
    TANDEM_RETURN_IF_ERROR(CheckFiles(c, type, values));
    json after = before;
    for (const auto& [k, v] : values.items()) {
      if (k != "custom") {
        after[k] = v;
        continue;
      }
      for (const auto& [ck, cv] : v.items()) {
        if (cv.is_null())
          after["custom"].erase(ck);
        else
          after["custom"][ck] = cv;
      }
    }
    TANDEM_RETURN_IF_ERROR(SaveUpdate(c, actor, type, before, after, "update", nullptr));
    result = std::move(after);
    return HideReferences(c, actor, type, {&result, 1});
  }));
  return result;
}

namespace {

std::string AllowedList(const model::StateMachineDecl& sm, const std::string& state) {
  std::string out;
  for (const auto* t : sm.From(state)) out += (out.empty() ? "" : ", ") + t->name;
  return out.empty() ? "none (final state)" : out;
}

}  // namespace

Status Engine::CheckFromState(const RecordType& type, const json& record, const std::string& name,
                              const model::TransitionDecl* tr) const {
  const std::string state = record["state"].get<std::string>();
  bool allowed = false;
  if (tr)
    for (const auto& f : tr->from) allowed |= f == state;
  if (allowed) return Status::Ok();
  return MakeError(ErrorCode::kConflict,
                   (tr ? "'" + name + "' is not allowed from state '" + state + "'"
                       : "'" + name + "' is not a transition of " + type.name) +
                       "; allowed: " + AllowedList(*type.states, state),
                   {{"transition", "allowed: " + AllowedList(*type.states, state)}});
}

Result<json> Engine::Transition(const Actor& actor, const RecordType& type, int64_t id,
                                const std::string& name, std::optional<int64_t> expected_version) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kTransition));
  if (!type.states) return MakeError(ErrorCode::kNotFound, type.title + " records have no states");
  const model::TransitionDecl* tr = type.states->Find(name);
  if (tr) TANDEM_RETURN_IF_ERROR(AuthorizeTransition(actor, type, *tr));
  json result;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json before, LoadForWrite(c, actor, type, id, expected_version));
    TANDEM_RETURN_IF_ERROR(CheckFromState(type, before, name, tr));
    TANDEM_ASSIGN_OR_RETURN(const std::string on_behalf_of,
                            CheckDuties(c, actor, type, before, *tr));
    json after = before;
    after["state"] = tr->to;
    TANDEM_RETURN_IF_ERROR(
        SaveUpdate(c, actor, type, before, after, "transition", tr, on_behalf_of));
    result = std::move(after);
    return HideReferences(c, actor, type, {&result, 1});
  }));
  return result;
}

Result<json> Engine::Transitions(const Actor& actor, const RecordType& type, int64_t id) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kRead));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json rec, ReadVisible(c, actor, type, id));
    out = {{"state", rec.value("state", json())},
           {"transitions", json::array()},
           {"states", json::array()}};
    if (!type.states) return Status::Ok();
    out["states"] = type.states->states;
    // Whether this actor may take each one now, and if not why: the UI offers
    // only what would succeed, and says what stands in the way of the rest.
    for (const auto* t : type.states->From(rec["state"].get<std::string>())) {
      json item = {{"name", t->name}, {"to", t->to}, {"allowed", true}};
      Result<std::string> who =
          rec["archived"].get<bool>()
              ? Result<std::string>(MakeError(ErrorCode::kConflict,
                                              rec["number"].get<std::string>() + " is archived"))
              : CheckDuties(c, actor, type, rec, *t);
      if (!who.ok()) {
        item["allowed"] = false;
        item["refusal"] = {{"detail", who.error().detail}};
        if (!who.error().rule.empty()) item["refusal"]["rule"] = who.error().rule;
      } else if (!who->empty()) {
        item["on_behalf_of"] = *who;
      }
      out["transitions"].push_back(std::move(item));
    }
    return Status::Ok();
  }));
  return out;
}

Result<json> Engine::SetArchived(const Actor& actor, const RecordType& type, int64_t id,
                                 bool archived, std::optional<int64_t> expected_version) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kArchive));
  json result;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json before, ReadVisible(c, actor, type, id));
    TANDEM_RETURN_IF_ERROR(CheckVersion(before, expected_version));
    result = before;
    if (before["archived"].get<bool>() == archived) return Status::Ok();
    result["archived"] = archived;
    TANDEM_RETURN_IF_ERROR(WriteNextVersion(c, actor, type, before, result));
    TANDEM_RETURN_IF_ERROR(
        Audit(c, actor, archived ? "archive" : "restore", type, id, Diff(before, result)));
    // What follows from the record (a measure's latest value) follows its
    // archiving too; nothing refuses it.
    HookEffects effects(*this, c, actor, 0, FormatNumber(type, id));
    HookContext written{type, actor, c, clock_, &before, result, nullptr, &registry_, &effects};
    TANDEM_RETURN_IF_ERROR(hooks_.RunAfter(written));
    return HideReferences(c, actor, type, {&result, 1});
  }));
  return result;
}

Result<ListResult> Engine::List(const Actor& actor, const RecordType& type,
                                const ListQuery& query) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kRead));
  ListResult result;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    if (actor.system) {
      TANDEM_ASSIGN_OR_RETURN(result, RunList(c, type, query));
      return Status::Ok();
    }
    ListQuery q = query;
    q.visible_groups.emplace(actor.groups.begin(), actor.groups.end());
    // Filters, sort and search see a reference to a hidden record, and what
    // derives from it, as null: a filter naming a hidden record matches
    // nothing, and no comparison or order reveals the stored value.
    TANDEM_ASSIGN_OR_RETURN(q.masks, ListMasks(c, actor, type, q));
    TANDEM_ASSIGN_OR_RETURN(result, RunList(c, type, q));
    return HideReferences(c, actor, type, result.items);
  }));
  return result;
}

Result<std::vector<int64_t>> Engine::CountEach(const Actor& actor, const RecordType& type,
                                               std::vector<ListQuery> queries) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kRead));
  std::vector<int64_t> counts;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    if (!actor.system)
      for (auto& q : queries) {
        q.visible_groups.emplace(actor.groups.begin(), actor.groups.end());
        TANDEM_ASSIGN_OR_RETURN(q.masks, ListMasks(c, actor, type, q));
      }
    TANDEM_ASSIGN_OR_RETURN(counts, RunCounts(c, type, queries));
    return Status::Ok();
  }));
  return counts;
}

Result<json> Engine::History(const Actor& actor, const RecordType& type, int64_t id) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kRead));
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(ReadVisible(c, actor, type, id).status());
    TANDEM_ASSIGN_OR_RETURN(auto events, RecordHistory(c, type.name, id));
    // The record as it was after each event, replayed from the diffs: a diff
    // holds only what changed, so whether a derived field is masked depends on
    // references it may not carry.
    json state = json::object();
    for (const auto& e : events) {
      json changes = json::parse(e.changes, nullptr, false);
      const json before_state = state;
      if (changes.contains("after") && changes["after"].is_object())
        for (const auto& [k, v] : changes["after"].items()) state[k] = v;
      if (changes.contains("link")) {
        // A link to a record the actor cannot see is left out entirely.
        const json& link = changes["link"];
        const std::string other = link.value("from", "") == FormatNumber(type, id)
                                      ? link.value("to", "")
                                      : link.value("from", "");
        const RecordType* ot = registry_.FindByPrefix(other.substr(0, other.find('-')));
        if (ot) {
          TANDEM_ASSIGN_OR_RETURN(auto hidden,
                                  HiddenIds(c, actor, *ot, {ParseRecordId(*ot, other)}));
          if (!hidden.empty()) continue;
        }
      }
      // A change another record's hook made names that record: the name is
      // left out for a reader who cannot see it.
      if (changes.contains("cause") && changes["cause"].is_string() && !actor.system) {
        const std::string cause = changes["cause"];
        const RecordType* ct = registry_.FindByPrefix(cause.substr(0, cause.find('-')));
        const int64_t cause_id = ct ? ParseRecordId(*ct, cause) : 0;
        if (cause_id) {
          TANDEM_ASSIGN_OR_RETURN(auto hidden, HiddenIds(c, actor, *ct, {cause_id}));
          if (!hidden.empty()) changes["cause"] = nullptr;
        }
      }
      for (const char* side : {"before", "after"}) {
        if (!changes.contains(side) || !changes[side].is_object()) continue;
        json& values = changes[side];
        if (actor.system) continue;
        EraseInternalFields(type, values);
        const json& full = side == std::string_view("before") ? before_state : state;
        TANDEM_ASSIGN_OR_RETURN(auto masked, MaskedFields(c, actor, type, {&full, 1}));
        for (const auto& name : masked[0])
          if (auto it = values.find(name); it != values.end()) *it = nullptr;
      }
      out.push_back({{"seq", e.seq},
                     {"at", e.at},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"changes", std::move(changes)},
                     {"hash", e.hash}});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace tandem::records
