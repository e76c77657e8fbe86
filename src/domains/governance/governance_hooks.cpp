// The rules of the governance records (clauses 4-10): what each transition
// needs, what is worked out, and what a change to one record does to others
// (a document's version in force, a measure's latest value, the nonconformity
// an audit finding raises).
#include <nlohmann/json.hpp>

#include "core/json_access.h"
#include "core/svg_chart.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "records/tx_read.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

std::string Today(const records::HookContext& ctx) { return DateOf(ctx.clock.Now()); }

const model::RecordType& TypeOf(const records::HookContext& ctx, const char* name) {
  return *ctx.registry->Find(name);
}

// --- documents ------------------------------------------------------------------

// A version is drafted only for a document that is not withdrawn.
Status VersionSave(records::HookContext& ctx) {
  json& v = ctx.after;
  TANDEM_ASSIGN_OR_RETURN(json doc, ctx.Read("document", Int(v, "document")));
  if (!ctx.before && Str(doc, "state") == "withdrawn")
    return MakeError(ErrorCode::kConflict,
                     Str(doc, "number") + " is withdrawn; it takes no new versions",
                     {{"document", "is withdrawn"}});
  v["summary"] = Str(doc, "title") + " v" + Str(v, "label");
  return Status::Ok();
}

Status VersionSubmit(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "content") && !IsSet(ctx.after, "location"))
    return MissingFields("submitting a version for review",
                         {{"content", "attach the version, or say where it is kept"},
                          {"location", "attach the version, or say where it is kept"}});
  return Status::Ok();
}

Status VersionApprove(records::HookContext& ctx) {
  ctx.after["approved_by"] = ctx.actor.name;
  ctx.after["approved_on"] = Today(ctx);
  return Status::Ok();
}

Status VersionSupersede(records::HookContext& ctx) {
  ctx.after["superseded_on"] = Today(ctx);
  return Status::Ok();
}

// Once a version is approved it is the one in force: the one before it is
// superseded (kept, and marked), and the document names it and its next
// review from its approval.
Status VersionApproved(records::HookContext& ctx) {
  const json& v = ctx.after;
  const int64_t id = Int(v, "id"), doc_id = Int(v, "document");
  TANDEM_ASSIGN_OR_RETURN(
      auto versions,
      records::SelectRecords(ctx.conn, TypeOf(ctx, "document_version"), "document", doc_id));
  for (const auto& other : versions)
    if (Int(other, "id") != id && Str(other, "state") == "approved")
      TANDEM_RETURN_IF_ERROR(
          ctx.effects->Transition("document_version", Int(other, "id"), "supersede").status());
  TANDEM_ASSIGN_OR_RETURN(json doc, ctx.Read("document", doc_id));
  const int64_t months = Int(doc, "review_months") > 0 ? Int(doc, "review_months") : 12;
  const std::string approved_on = Str(v, "approved_on");
  TANDEM_RETURN_IF_ERROR(ctx.effects
                             ->Update("document", doc_id,
                                      {{"current_version", id},
                                       {"doc_version", Str(v, "label")},
                                       {"approved_on", approved_on},
                                       {"review_date", AddMonths(approved_on, months)}})
                             .status());
  if (Str(doc, "state") == "draft")
    TANDEM_RETURN_IF_ERROR(ctx.effects->Transition("document", doc_id, "bring_into_force").status());
  return Status::Ok();
}

// A document is in force through an approved version, never by itself.
Status DocumentIntoForce(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "current_version"))
    return MakeError(ErrorCode::kConflict,
                     "a document comes into force when a version of it is approved",
                     {{"current_version", "approve a version of the document"}});
  return Status::Ok();
}

// Read and understood: by whoever records it (imports and the demo loader
// name the reader), only for a version in force, once.
Status AcknowledgementSave(records::HookContext& ctx) {
  json& a = ctx.after;
  if (ctx.before) {
    for (const char* f : {"document_version", "reader"})
      if ((*ctx.before)[f] != a[f])
        return MakeError(ErrorCode::kConflict, "an acknowledgement stays with its version and reader",
                         {{f, "cannot be changed; record a new acknowledgement"}});
    return Status::Ok();
  }
  if (!ctx.actor.system || !IsSet(a, "reader")) a["reader"] = ctx.actor.name;
  TANDEM_ASSIGN_OR_RETURN(json v, ctx.Read("document_version", Int(a, "document_version")));
  if (Str(v, "state") != "approved")
    return MakeError(ErrorCode::kConflict,
                     Str(v, "number") + " is " + Str(v, "state") +
                         "; only a version in force is acknowledged",
                     {{"document_version", "is not the version in force"}});
  a["acknowledged_at"] = FormatTimestamp(ctx.clock.Now());
  a["summary"] = Str(v, "summary") + ", read by " + Str(a, "reader");
  return Status::Ok();
}

// --- evidence --------------------------------------------------------------------

Status EvidenceSave(records::HookContext& ctx) {
  json& e = ctx.after;
  if (IsSet(e, "trace") && !IsSet(e, "element")) {
    TANDEM_ASSIGN_OR_RETURN(json trace, ctx.Read("trace", Int(e, "trace")));
    e["element"] = trace["element"];
  }
  if (!IsSet(e, "element"))
    return MakeError(ErrorCode::kValidation, "evidence shows that an element operates",
                     {{"element", "name the IMS element (or the trace) it is evidence for"}});
  if (IsSet(e, "trace")) {
    TANDEM_ASSIGN_OR_RETURN(json trace, ctx.Read("trace", Int(e, "trace")));
    if (Int(trace, "element") != Int(e, "element"))
      return MakeError(ErrorCode::kValidation, "the trace is another element's",
                       {{"trace", "must be a trace of the element"}});
  }
  return Status::Ok();
}

Status EvidenceProvide(records::HookContext& ctx) {
  json& e = ctx.after;
  if (!IsSet(e, "file") && !IsSet(e, "link"))
    return MissingFields("providing evidence", {{"file", "attach the evidence, or link to it"},
                                                {"link", "attach the evidence, or link to it"}});
  if (!IsSet(e, "collected_on")) e["collected_on"] = Today(ctx);
  if (!IsSet(e, "valid_until") && Int(e, "review_months") > 0)
    e["valid_until"] = AddMonths(Str(e, "collected_on"), static_cast<int>(Int(e, "review_months")));
  return Status::Ok();
}

// --- measures ----------------------------------------------------------------------

// The latest measurement of the measure, its status and when the next is due.
Status RefreshMeasure(records::HookContext& ctx, int64_t measure_id) {
  TANDEM_ASSIGN_OR_RETURN(json m, ctx.Read("measure", measure_id));
  TANDEM_ASSIGN_OR_RETURN(
      auto values,
      records::SelectRecords(ctx.conn, TypeOf(ctx, "measurement"), "measure", measure_id));
  const json* latest = nullptr;
  for (const auto& v : values)
    if (!latest || Str(v, "taken_on") > Str(*latest, "taken_on")) latest = &v;
  json changes = {{"latest_value", latest ? (*latest)["value"] : json()},
                  {"latest_on", latest ? (*latest)["taken_on"] : json()}};
  m.update(changes);
  ComputeMeasureStatus(m);
  changes["status"] = m["status"];
  changes["next_due"] = m["next_due"];
  return ctx.effects->Update("measure", measure_id, changes).status();
}

Status MeasureSave(records::HookContext& ctx) {
  ComputeMeasureStatus(ctx.after);
  return Status::Ok();
}

Status MeasurementSave(records::HookContext& ctx) {
  json& v = ctx.after;
  if (ctx.before && Int(*ctx.before, "measure") != Int(v, "measure"))
    return MakeError(ErrorCode::kValidation, "a measurement stays with its measure",
                     {{"measure", "record a new measurement instead"}});
  TANDEM_ASSIGN_OR_RETURN(json m, ctx.Read("measure", Int(v, "measure")));
  v["status"] = MeasurementStatus(m, v["value"].get<double>());
  const std::string value = SvgNumber(v["value"].get<double>(), 4);
  v["summary"] = Str(m, "title") + ": " + value +
                 (IsSet(m, "unit") ? " " + Str(m, "unit") : "") + " on " + Str(v, "taken_on");
  return Status::Ok();
}

Status MeasurementWritten(records::HookContext& ctx) {
  return RefreshMeasure(ctx, Int(ctx.after, "measure"));
}

// --- competence -------------------------------------------------------------------

Status TrainingSave(records::HookContext& ctx) {
  json& t = ctx.after;
  TANDEM_ASSIGN_OR_RETURN(json person, ctx.Read("person", Int(t, "person")));
  TANDEM_ASSIGN_OR_RETURN(json competence, ctx.Read("competence", Int(t, "competence")));
  if (!IsSet(t, "expires_on") && Int(competence, "validity_months") > 0)
    t["expires_on"] = AddMonths(Str(t, "completed_on"),
                                static_cast<int>(Int(competence, "validity_months")));
  if (IsSet(t, "expires_on") && Str(t, "expires_on") < Str(t, "completed_on"))
    return MakeError(ErrorCode::kValidation, "the record expires before it was completed",
                     {{"expires_on", "must not be before completed_on"}});
  t["summary"] = Str(person, "name") + ": " + Str(competence, "title");
  return Status::Ok();
}

// --- objectives ---------------------------------------------------------------------

Status ObjectiveOutcome(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "outcome"))
    return MissingFields("closing an objective", {{"outcome", "say what was achieved"}});
  return Status::Ok();
}

// --- nonconformities, actions, improvements ---------------------------------------

Status NcPlanAction(records::HookContext& ctx) {
  std::vector<FieldError> missing;
  if (!IsSet(ctx.after, "root_cause"))
    missing.push_back({"root_cause", "determine the cause first"});
  if (!IsSet(ctx.after, "corrective_action")) {
    TANDEM_ASSIGN_OR_RETURN(auto actions,
                            records::SelectRecords(ctx.conn, TypeOf(ctx, "corrective_action"),
                                                   "nonconformity", Int(ctx.after, "id")));
    if (actions.empty())
      missing.push_back({"corrective_action", "plan the corrective action"});
  }
  if (!missing.empty()) return MissingFields("planning corrective action", std::move(missing));
  return Status::Ok();
}

// Closed once its effectiveness was reviewed and none of its actions is open.
Status NcClose(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "effectiveness_review"))
    return MissingFields(
        "closing a nonconformity",
        {{"effectiveness_review", "review the effectiveness of the corrective action"}});
  TANDEM_ASSIGN_OR_RETURN(auto actions,
                          records::SelectRecords(ctx.conn, TypeOf(ctx, "corrective_action"),
                                                 "nonconformity", Int(ctx.after, "id")));
  std::string open;
  for (const auto& a : actions)
    if (Str(a, "state") == "open" || Str(a, "state") == "done")
      open += (open.empty() ? "" : ", ") + Str(a, "number");
  if (!open.empty())
    return MakeError(ErrorCode::kConflict, "actions are not verified yet: " + open,
                     {{"corrective_actions", "verify or cancel " + open + " first"}});
  return Status::Ok();
}

Status ActionSave(records::HookContext& ctx) {
  TANDEM_ASSIGN_OR_RETURN(json nc, ctx.Read("nonconformity", Int(ctx.after, "nonconformity")));
  if (!ctx.before && Str(nc, "state") == "closed")
    return MakeError(ErrorCode::kConflict, Str(nc, "number") + " is closed",
                     {{"nonconformity", "is closed"}});
  ctx.after["summary"] = Str(nc, "number") + " " + Str(nc, "title") + ": " +
                         (Str(ctx.after, "kind") == "correction" ? "correction" : "action");
  return Status::Ok();
}

Status ActionComplete(records::HookContext& ctx) {
  ctx.after["completed_on"] = Today(ctx);
  return Status::Ok();
}

Status ActionReopen(records::HookContext& ctx) {
  ctx.after["completed_on"] = nullptr;
  return Status::Ok();
}

// The owner of a new improvement, unless named: the holder of the role that
// manages improvements of the first system it serves (ISO/IEC 27013 6.3.3).
Status ImprovementSave(records::HookContext& ctx) {
  json& imp = ctx.after;
  if (ctx.before || IsSet(imp, "owner")) return Status::Ok();
  for (const char* ms : {"isms", "sms", "qms"}) {
    if (!Flag(imp, (std::string("for_") + ms).c_str())) continue;
    TANDEM_ASSIGN_OR_RETURN(auto roles, records::SelectRecords(ctx.conn, TypeOf(ctx, "ims_role"),
                                                               std::string("improvement_owner_") + ms,
                                                               int64_t{1}));
    for (const auto& r : roles)
      if (IsSet(r, "holder")) {
        imp["owner"] = r["holder"];
        return Status::Ok();
      }
  }
  return Status::Ok();
}

Status ImprovementClose(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "measured_benefit"))
    return MissingFields("closing an improvement",
                         {{"measured_benefit", "measure the benefit it brought"}});
  return Status::Ok();
}

// "MR-000001 action: Recruit a second on-call engineer ..."
Status ReviewActionSave(records::HookContext& ctx) {
  TANDEM_ASSIGN_OR_RETURN(json review, ctx.Read("management_review", Int(ctx.after, "review")));
  std::string text = Str(ctx.after, "description");
  if (text.size() > 120) text = text.substr(0, text.rfind(' ', 117)) + "...";
  ctx.after["summary"] =
      Str(review, "number") + " " + (Str(ctx.after, "kind") == "resource_need"    ? "resource need"
                                     : Str(ctx.after, "kind") == "change_to_ims" ? "change"
                                                                                 : Str(ctx.after, "kind")) +
      ": " + text;
  return Status::Ok();
}

Status ReviewActionComplete(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "outcome"))
    return MissingFields("completing a review output", {{"outcome", "say what was done"}});
  return Status::Ok();
}

}  // namespace

void RegisterGovernanceHooks(records::HookRegistry& hooks) {
  hooks.OnSave("document_version", VersionSave);
  hooks.OnTransition("document_version", "submit_for_review", VersionSubmit);
  hooks.OnTransition("document_version", "approve", VersionApprove);
  hooks.OnTransition("document_version", "supersede", VersionSupersede);
  hooks.AfterTransition("document_version", "approve", VersionApproved);
  hooks.OnTransition("document", "bring_into_force", DocumentIntoForce);
  hooks.OnSave("acknowledgement", AcknowledgementSave);
  hooks.OnSave("evidence", EvidenceSave);
  hooks.OnTransition("evidence", "provide", EvidenceProvide);
  hooks.OnSave("measure", MeasureSave);
  hooks.OnSave("measurement", MeasurementSave);
  hooks.AfterSave("measurement", MeasurementWritten);
  hooks.OnSave("training_record", TrainingSave);
  hooks.OnTransition("objective", "achieve", ObjectiveOutcome);
  hooks.OnTransition("objective", "miss", ObjectiveOutcome);
  hooks.OnTransition("nonconformity", "plan_action", NcPlanAction);
  hooks.OnTransition("nonconformity", "close", NcClose);
  hooks.OnSave("corrective_action", ActionSave);
  hooks.OnTransition("corrective_action", "complete", ActionComplete);
  hooks.OnTransition("corrective_action", "reopen", ActionReopen);
  hooks.OnSave("improvement", ImprovementSave);
  hooks.OnTransition("improvement", "close", ImprovementClose);
  hooks.OnSave("review_action", ReviewActionSave);
  hooks.OnTransition("review_action", "complete", ReviewActionComplete);
}

}  // namespace tandem::domains
