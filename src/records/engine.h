// The record engine: every read and write of a record goes through here.
//
// It checks the actor's permissions and need-to-know, validates input against
// the type's declaration, applies domain hooks, enforces optimistic
// concurrency and state machines, writes the row and its audit event in one
// transaction, and answers queries. The HTTP layer, the CLI and the benchmarks
// all call the engine; none of them touch SQL or decide access themselves.
//
// Every method refuses with kForbidden when the actor's roles lack the action
// on the type, and answers kNotFound for a record restricted to a group the
// actor is not in (kForbidden naming the group for administrators).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "model/registry.h"
#include "records/actor.h"
#include "records/audit.h"
#include "records/codec.h"
#include "records/hooks.h"
#include "records/query.h"
#include "store/database.h"

namespace tandem::records {

struct IdempotencyKey {
  std::string key;           // the client's Idempotency-Key
  std::string request_hash;  // hash of method, path and body: a reused key with
                             // a different request is refused
};

class Engine {
 public:
  Engine(store::Database& db, const model::Registry& registry, HookRegistry hooks,
         const Clock& clock);
  ~Engine();

  // Checks the hooks against the registry (HookRegistry::Check), then creates
  // or upgrades the system tables and every record type's table.
  Status Migrate();

  const model::Registry& registry() const { return registry_; }
  store::Database& db() { return db_; }
  const Clock& clock() const { return clock_; }

  // --- records ---------------------------------------------------------------
  // With an idempotency key, a retried request returns the record the first
  // one created and sets *replayed. `body` may name a group in
  // "restricted_to" (one the actor belongs to): the record is then
  // need-to-know from its first moment.
  Result<nlohmann::json> Create(const Actor& actor, const model::RecordType& type,
                                const nlohmann::json& body,
                                const std::optional<IdempotencyKey>& idempotency = std::nullopt,
                                bool* replayed = nullptr);
  // Creates every record of `bodies` in one transaction, or none: the first
  // error names its item as "items[N]" (in the detail and every field).
  Result<std::vector<nlohmann::json>> CreateBatch(const Actor& actor, const model::RecordType& type,
                                                  const std::vector<nlohmann::json>& bodies);
  Result<nlohmann::json> Get(const Actor& actor, const model::RecordType& type, int64_t id);
  // Applies a partial update if the record is still at `expected_version`.
  Result<nlohmann::json> Update(const Actor& actor, const model::RecordType& type, int64_t id,
                                int64_t expected_version, const nlohmann::json& patch);
  // Takes the named transition; a state machine refusal is kConflict naming the
  // allowed transitions. `expected_version` is checked when given.
  Result<nlohmann::json> Transition(const Actor& actor, const model::RecordType& type, int64_t id,
                                    const std::string& transition,
                                    std::optional<int64_t> expected_version);
  // The transitions that may start from the record's current state, each
  // saying whether this actor may take it now ("allowed"), and if not the
  // refusal it would get ("refusal": {"detail", "rule"?}).
  Result<nlohmann::json> Transitions(const Actor& actor, const model::RecordType& type, int64_t id);
  // Archives (the API's DELETE) or restores a record. Nothing is ever deleted.
  Result<nlohmann::json> SetArchived(const Actor& actor, const model::RecordType& type, int64_t id,
                                     bool archived, std::optional<int64_t> expected_version);
  // Restricts a record to `group` (the actor must belong to it), or lifts the
  // restriction (nullopt). Needs update permission and membership of the
  // current group.
  Result<nlohmann::json> Restrict(const Actor& actor, const model::RecordType& type, int64_t id,
                                  const std::optional<std::string>& group,
                                  std::optional<int64_t> expected_version);
  // Every restricted record of every type: type, id, number, group, updated_at;
  // no content. Administrators only.
  Result<nlohmann::json> RestrictedRecords(const Actor& actor);
  // Parses list parameters (filter[...], sort, limit, after) for `type`.
  Result<ListQuery> ParseList(const model::RecordType& type,
                              const std::multimap<std::string, std::string>& params);
  Result<ListResult> List(const Actor& actor, const model::RecordType& type,
                          const ListQuery& query);
  // How many records `actor` would list for each query, in one pass over the
  // type's rows (see RunCounts): for reports with many figures of one type.
  // Same access as List: restricted records and masked references count as
  // they list.
  Result<std::vector<int64_t>> CountEach(const Actor& actor, const model::RecordType& type,
                                         std::vector<ListQuery> queries);
  Result<nlohmann::json> History(const Actor& actor, const model::RecordType& type, int64_t id);

  // --- links -----------------------------------------------------------------
  // body: {"relation": "...", "target": "INC-000001" or {"type":..., "id":...}, "note": "..."}
  Result<nlohmann::json> AddLink(const Actor& actor, const model::RecordType& type, int64_t id,
                                 const nlohmann::json& body);
  Result<nlohmann::json> Links(const Actor& actor, const model::RecordType& type, int64_t id);
  Status RemoveLink(const Actor& actor, const model::RecordType& type, int64_t id, int64_t link_id);

  // --- files (files.cpp) -----------------------------------------------------
  // The largest file the store takes.
  static constexpr size_t kMaxFileBytes = 16 << 20;
  // Stores `bytes` under the name `name`, as an actor allowed to change some
  // record: the media type is read from the bytes (programs are refused) and
  // the same bytes are kept once. Returns the value for a file field:
  // {"sha256", "name", "media_type", "size"}.
  Result<nlohmann::json> PutFile(const Actor& actor, std::string_view bytes,
                                 const std::string& name);
  struct FileContent {
    std::string name, media_type, sha256;
    std::string bytes;  // checked against the SHA-256
  };
  // The file held in field `field` of a record the actor may read.
  Result<FileContent> ReadFile(const Actor& actor, const model::RecordType& type, int64_t id,
                               const std::string& field);

  // --- custom fields ---------------------------------------------------------
  // body: {"name", "type", "label", "required", "enum_values", "max_length", "help"}
  Result<nlohmann::json> DefineCustomField(const Actor& actor, const model::RecordType& type,
                                           const nlohmann::json& body);
  std::vector<model::FieldDecl> CustomFields(const model::RecordType& type) const;
  Status ReloadCustomFields();

 private:
  // Runs f(custom fields of type); if that fails naming a custom field, reloads
  // the definitions (another server may have added one) and runs f again.
  template <typename F>
  auto WithCustomFields(const model::RecordType& type, F&& f);
  Result<nlohmann::json> Validate(const model::RecordType& type, const nlohmann::json& body,
                                  InputMode mode);

  // --- access (access.cpp) ---------------------------------------------------
  Status Authorize(const Actor& actor, const model::RecordType& type, Action action) const;

  // --- separation of duties (duties.cpp) -------------------------------------
  // kForbidden unless the actor's roles, or a delegation in force, grant `tr`.
  Status AuthorizeTransition(const Actor& actor, const model::RecordType& type,
                             const model::TransitionDecl& tr) const;
  // Checks `tr`'s rules against the stored `record`: "" when the actor may
  // take it by its own right, the delegator's name when only a delegation
  // allows it; kForbidden naming the first rule that fails otherwise.
  // Without `ask_permission` (a hook's change) only the rules are checked.
  Result<std::string> CheckDuties(store::Connection& c, const Actor& actor,
                                  const model::RecordType& type, const nlohmann::json& record,
                                  const model::TransitionDecl& tr, bool ask_permission = true);
  // The record if it exists for the actor.
  Result<nlohmann::json> ReadVisible(store::Connection& c, const Actor& actor,
                                     const model::RecordType& type, int64_t id);
  // Which of `ids` are restricted to groups the actor is not in.
  Result<std::set<int64_t>> HiddenIds(store::Connection& c, const Actor& actor,
                                      const model::RecordType& type, const std::set<int64_t>& ids);
  // For each record, the fields that read as null for the actor: references
  // to records hidden from it and fields derived from them
  // (FieldDecl::derived_from).
  Result<std::vector<std::set<std::string>>> MaskedFields(store::Connection& c, const Actor& actor,
                                                          const model::RecordType& type,
                                                          std::span<const nlohmann::json> records);
  // Nulls the masked fields of `records` and removes internal fields (for
  // every actor but the system).
  Status HideReferences(store::Connection& c, const Actor& actor, const model::RecordType& type,
                        std::span<nlohmann::json> records);
  // The masks a list query needs so that filters, sort and search treat masked
  // values as null: only references whose target type holds records hidden
  // from the actor, so a list nobody is hidden from runs unchanged SQL.
  Result<ListQuery::Masks> ListMasks(store::Connection& c, const Actor& actor,
                                     const model::RecordType& type, const ListQuery& q);
  // Whether any record of `type` is hidden from the actor.
  Result<bool> AnyHidden(store::Connection& c, const Actor& actor, const model::RecordType& type);
  // `group` exists and the actor belongs to it.
  Status CheckGroup(store::Connection& c, const Actor& actor, const std::string& group);

  Result<nlohmann::json> LoadForWrite(store::Connection& c, const Actor& actor,
                                      const model::RecordType& type, int64_t id,
                                      std::optional<int64_t> expected_version);
  // A create body, validated: the values and the need-to-know group, if any.
  struct NewRecord;
  Result<NewRecord> PrepareCreate(const model::RecordType& type, const nlohmann::json& body);
  // Inserts a validated record (hooks, checks, audit) in the caller's
  // transaction. `depth` counts the hooks this write follows from (0 for a
  // request's own) and `cause` names the record whose hook made it.
  Result<nlohmann::json> Insert(store::Connection& c, const Actor& actor,
                                const model::RecordType& type, const NewRecord& input,
                                int depth = 0, const std::string& cause = "");
  // kConflict when another record has the same values of a unique key.
  Status CheckUnique(store::Connection& c, const model::RecordType& type,
                     const nlohmann::json& record);
  Status CheckReferences(store::Connection& c, const Actor& actor, const model::RecordType& type,
                         const nlohmann::json& values);
  // Completes each file field of `values` from the file store (media type,
  // size); kValidation naming a field whose file is not stored.
  Status CheckFiles(store::Connection& c, const model::RecordType& type, nlohmann::json& values);
  // Writes `after` as the next version of `before`, which must still be
  // current, and replaces `after` with the record as stored.
  Status WriteNextVersion(store::Connection& c, const Actor& actor, const model::RecordType& type,
                          const nlohmann::json& before, nlohmann::json& after);
  Status SaveUpdate(store::Connection& c, const Actor& actor, const model::RecordType& type,
                    const nlohmann::json& before, nlohmann::json& after, const std::string& action,
                    const model::TransitionDecl* transition, const std::string& on_behalf_of = "",
                    int depth = 0, const std::string& cause = "");
  // Checks that `tr` may start from the record's state; kConflict naming the
  // transitions that may.
  Status CheckFromState(const model::RecordType& type, const nlohmann::json& record,
                        const std::string& name, const model::TransitionDecl* tr) const;
  // Writes a link (checked: the relation, the target exists for the actor and
  // is not archived, no duplicate) and its audit events on both ends.
  Result<nlohmann::json> InsertLink(store::Connection& c, const Actor& actor,
                                    const model::RecordType& type, int64_t id,
                                    const model::RelationDecl& relation,
                                    const model::RecordType& target_type, int64_t target_id,
                                    const std::string& note);
  // The changes hooks make to other records (effects.cpp).
  class HookEffects;
  Status Audit(store::Connection& c, const Actor& actor, const std::string& action,
               const model::RecordType& type, int64_t id, const nlohmann::json& changes);

  store::Database& db_;
  const model::Registry& registry_;
  HookRegistry hooks_;
  const Clock& clock_;

  mutable std::shared_mutex custom_mu_;
  std::map<std::string, std::vector<model::FieldDecl>> custom_;
};

// The diff between two versions of a record: {"before": {...}, "after": {...}}
// holding only the keys whose values differ (system bookkeeping excluded).
nlohmann::json Diff(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace tandem::records
