// Standards and requirements: built-in catalogs stay as shipped, and every
// requirement gets a label and a sort key that puts "A.9" before "A.10".
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// Fields a user may change on a built-in requirement: their own notes and
// whether the requirement applies to the organization.
bool OnlyNotesChanged(const json& before, const json& after) {
  static const std::set<std::string> kUsers = {"note",       "applicability", "justification",
                                               "custom",     "version",       "updated_at",
                                               "updated_by", "state"};
  for (const auto& [name, value] : after.items())
    if (!kUsers.count(name) && before.contains(name) && before[name] != value) return false;
  return true;
}

// At most `bytes` bytes of `s`, never cutting a UTF-8 sequence in two.
std::string Truncate(std::string s, size_t bytes) {
  if (s.size() <= bytes) return s;
  while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
  return s.substr(0, bytes);
}

// Only the system (the catalog loader) makes built-in content; users
// annotate it but do not rewrite it.
Status GuardBuiltin(const records::HookContext& ctx, bool is_builtin, bool was_builtin,
                    const char* field, bool notes_allowed) {
  if (ctx.actor.system) return Status::Ok();
  if (!ctx.before && is_builtin)
    return MakeError(ErrorCode::kValidation, "built-in content ships with Tandem",
                     {{field, "only Tandem's own catalogs are built in"}});
  if (ctx.before && was_builtin && (!notes_allowed || !OnlyNotesChanged(*ctx.before, ctx.after)))
    return MakeError(ErrorCode::kConflict,
                     std::string("built-in catalogs are kept as shipped") +
                         (notes_allowed ? "; only the notes can be changed" : ""));
  return Status::Ok();
}

Status CheckStandard(records::HookContext& ctx) {
  static const std::regex kKey("[a-z0-9][a-z0-9._:-]{1,63}");
  const std::string key = ctx.after.value("key", "");
  if (!std::regex_match(key, kKey))
    return MakeError(
        ErrorCode::kValidation, "the standard's identifier is invalid",
        {{"key", "2 to 64 lower-case letters, digits and . _ : -, e.g. iso27001:2013"}});
  auto builtin = [](const json* r) { return r && r->value("origin", "") == "builtin"; };
  return GuardBuiltin(ctx, builtin(&ctx.after), builtin(ctx.before), "origin", false);
}

// "A.12.3" -> "A.000012.000003": text order is document order.
std::string SortKey(const std::string& ref) {
  std::string out;
  for (size_t i = 0; i < ref.size();) {
    if (!std::isdigit(static_cast<unsigned char>(ref[i]))) {
      out += ref[i++];
      continue;
    }
    size_t j = i;
    while (j < ref.size() && std::isdigit(static_cast<unsigned char>(ref[j]))) ++j;
    std::string digits = ref.substr(i, j - i);
    out += std::string(digits.size() < 6 ? 6 - digits.size() : 0, '0') + digits;
    i = j;
  }
  return out;
}

// ISO/IEC 27001 (4.1 to 10.2) and ISO/IEC 20000-1 accept no exclusion of
// their management-system clauses; 27001's Annex A controls may be excluded
// with a justification, and ISO 9001 allows "not applicable" with one (4.3).
bool ExclusionForbidden(const json& standard, const json& requirement) {
  const std::string key = standard.value("key", "");
  if (standard.value("origin", "") != "builtin" ||
      !(key.starts_with("iso27001:") || key.starts_with("iso20000-1:")))
    return false;
  const std::string kind = requirement.value("kind", "");
  if (kind != "clause" && kind != "item") return false;
  const int clause = std::atoi(requirement.value("ref", "").c_str());
  return clause >= 4 && clause <= 10;
}

Status PrepareRequirement(records::HookContext& ctx) {
  json& r = ctx.after;
  auto builtin = [](const json* rec) { return rec && rec->value("builtin", false); };
  TANDEM_RETURN_IF_ERROR(GuardBuiltin(ctx, builtin(&r), builtin(ctx.before), "builtin", true));
  if (!ctx.before && !ctx.actor.system) {
    TANDEM_ASSIGN_OR_RETURN(json standard, ctx.Read("standard", r["standard"].get<int64_t>()));
    if (standard["origin"] == "builtin")
      return MakeError(
          ErrorCode::kValidation, "built-in catalogs are kept as shipped",
          {{"standard", "is a built-in catalog; add requirements to a custom framework"}});
  }
  const std::string ref = r.value("ref", "");
  if (!IsSet(r, "ref"))
    return MakeError(ErrorCode::kValidation, "the reference is invalid",
                     {{"ref", "must not be blank"}});
  // An imported catalog keeps its file's order; otherwise the reference
  // gives it ("#" sorts before every reference).
  if (r["position"].is_number_integer() && r["position"].get<int64_t>() >= 0) {
    const std::string n = std::to_string(r["position"].get<int64_t>());
    r["sort_key"] = "#" + std::string(n.size() < 8 ? 8 - n.size() : 0, '0') + n;
  } else {
    r["sort_key"] = SortKey(ref);
  }
  r["label"] = IsSet(r, "title") ? ref + " " + r["title"].get<std::string>() : ref;
  if (r.value("applicability", "applicable") == "not_applicable") {
    if (!IsSet(r, "justification"))
      return MakeError(ErrorCode::kValidation, "say why the requirement is not applicable",
                       {{"justification", "is required when the requirement is not applicable"}});
    TANDEM_ASSIGN_OR_RETURN(json standard, ctx.Read("standard", r["standard"].get<int64_t>()));
    if (ExclusionForbidden(standard, r))
      return MakeError(ErrorCode::kValidation,
                       "clauses 4 to 10 of ISO/IEC 27001 and ISO/IEC 20000-1 cannot be excluded",
                       {{"applicability",
                         "a requirement of clauses 4 to 10 applies to every organization "
                         "claiming conformity; only Annex A controls may be excluded"}});
  }
  return Status::Ok();
}

// "iso27001:2013 5.1 c)": a requirement as a correspondence names it.
Result<std::string> Describe(const records::HookContext& ctx, const json& requirement,
                             const json& qualifier) {
  TANDEM_ASSIGN_OR_RETURN(json standard,
                          ctx.Read("standard", requirement["standard"].get<int64_t>()));
  std::string out =
      standard["key"].get<std::string>() + " " + requirement["ref"].get<std::string>();
  if (qualifier.is_string() && !qualifier.get<std::string>().empty())
    out += " " + qualifier.get<std::string>();
  return out;
}

Status PrepareCorrespondence(records::HookContext& ctx) {
  json& c = ctx.after;
  auto builtin = [](const json* r) { return r && r->value("builtin", false); };
  TANDEM_RETURN_IF_ERROR(GuardBuiltin(ctx, builtin(&c), builtin(ctx.before), "builtin", false));
  std::vector<FieldError> errors;
  if (!ctx.actor.system && c["authority"] != "user")
    errors.push_back({"authority", "published and compiled correspondences ship with Tandem"});
  if (!ctx.actor.system && IsSet(c, "content_key"))
    errors.push_back({"content_key", "is set by Tandem for its own content"});
  if (c["authority"] == "user" && !IsSet(c, "rationale"))
    errors.push_back({"rationale", "say why this correspondence holds"});
  TANDEM_ASSIGN_OR_RETURN(json source, ctx.Read("requirement", c["source"].get<int64_t>()));
  c["source_standard"] = source["standard"];
  std::string summary;
  TANDEM_ASSIGN_OR_RETURN(summary, Describe(ctx, source, c["source_qualifier"]));
  summary += " " + c["relationship"].get<std::string>() + " ";
  if (IsSet(c, "target")) {
    TANDEM_ASSIGN_OR_RETURN(json target, ctx.Read("requirement", c["target"].get<int64_t>()));
    c["target_standard"] = target["standard"];
    TANDEM_ASSIGN_OR_RETURN(std::string t, Describe(ctx, target, c["target_qualifier"]));
    summary += t;
  } else if (!IsSet(c, "target_standard")) {
    errors.push_back({"target_standard", "name the other standard when there is no target"});
  } else {
    if (c["relationship"] != "no-relationship" && c["relationship"] != "not-mapped")
      errors.push_back(
          {"target", "is required unless the relationship is no-relationship or not-mapped"});
    TANDEM_ASSIGN_OR_RETURN(json other, ctx.Read("standard", c["target_standard"].get<int64_t>()));
    summary += other["key"].get<std::string>() +
               (c["relationship"] == "not-mapped" ? " (not mapped)" : " (no counterpart)");
  }
  if (c["target_standard"] == c["source_standard"])
    errors.push_back({IsSet(c, "target") ? "target" : "target_standard",
                      "must be in another standard than the source"});
  if (IsSet(c, "overrides")) {
    TANDEM_ASSIGN_OR_RETURN(json old, ctx.Read("correspondence", c["overrides"].get<int64_t>()));
    if (old["source"] != c["source"] || old["target_standard"] != c["target_standard"])
      errors.push_back({"overrides",
                        "must be a correspondence between the same requirement "
                        "and the same other standard"});
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the correspondence is invalid", std::move(errors));
  c["summary"] = Truncate(summary, 200);
  return Status::Ok();
}

// ISO/IEC 27013 5.1 c)-d): an element serves at least one management system;
// merged means it serves several, and keeping one apart needs a reason.
Status CheckElement(records::HookContext& ctx) {
  const json& e = ctx.after;
  const int systems =
      e.value("for_isms", false) + e.value("for_sms", false) + e.value("for_qms", false);
  std::vector<FieldError> errors;
  if (systems == 0)
    errors.push_back({"for_isms", "name at least one management system the element serves"});
  if (e["integration"] == "merged" && systems == 1)
    errors.push_back({"integration", "a merged element serves two or more management systems"});
  if (e["integration"] == "separate" && !IsSet(e, "integration_rationale"))
    errors.push_back({"integration_rationale", "say why the element is kept separate"});
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the element is invalid", std::move(errors));
  return Status::Ok();
}

// A result judges a requirement of the assessment's own standard; exclusions
// follow the same rule as applicability.
Status PrepareAssessmentResult(records::HookContext& ctx) {
  json& r = ctx.after;
  TANDEM_ASSIGN_OR_RETURN(json assessment, ctx.Read("assessment", r["assessment"].get<int64_t>()));
  TANDEM_ASSIGN_OR_RETURN(json requirement,
                          ctx.Read("requirement", r["requirement"].get<int64_t>()));
  TANDEM_ASSIGN_OR_RETURN(json standard,
                          ctx.Read("standard", assessment["standard"].get<int64_t>()));
  if (requirement["standard"] != assessment["standard"])
    return MakeError(
        ErrorCode::kValidation, "the result is invalid",
        {{"requirement", "must be a requirement of " + standard["key"].get<std::string>()}});
  if (assessment["state"] == "completed")
    return MakeError(ErrorCode::kConflict, "the assessment is completed; reopen it first");
  if (r["status"] == "not_applicable") {
    if (ExclusionForbidden(standard, requirement))
      return MakeError(ErrorCode::kValidation,
                       "clauses 4 to 10 of ISO/IEC 27001 and ISO/IEC 20000-1 cannot be excluded",
                       {{"status", "only Annex A controls may be not applicable"}});
    if (!IsSet(r, "justification"))
      return MakeError(ErrorCode::kValidation, "say why the requirement is not applicable",
                       {{"justification", "is required when the requirement is not applicable"}});
  }
  r["summary"] = standard["key"].get<std::string>() + " " + requirement["ref"].get<std::string>() +
                 ": " + r["status"].get<std::string>();
  return Status::Ok();
}

Status PrepareTrace(records::HookContext& ctx) {
  json& t = ctx.after;
  TANDEM_ASSIGN_OR_RETURN(json element, ctx.Read("element", t["element"].get<int64_t>()));
  TANDEM_ASSIGN_OR_RETURN(json requirement,
                          ctx.Read("requirement", t["requirement"].get<int64_t>()));
  t["standard"] = requirement["standard"];
  TANDEM_ASSIGN_OR_RETURN(std::string target, Describe(ctx, requirement, json()));
  t["summary"] = Truncate(element.value("title", ""), 80) + " satisfies " +
                 (t["extent"] == "partly" ? "in part " : "") + target;
  return Status::Ok();
}

}  // namespace

void RegisterStandardsHooks(records::HookRegistry& hooks) {
  hooks.OnSave("standard", CheckStandard);
  hooks.OnSave("requirement", PrepareRequirement);
  hooks.OnSave("correspondence", PrepareCorrespondence);
  hooks.OnSave("element", CheckElement);
  hooks.OnSave("trace", PrepareTrace);
  hooks.OnSave("assessment_result", PrepareAssessmentResult);
}

}  // namespace tandem::domains
