// Standards and requirements: built-in catalogs stay as shipped, and every
// requirement gets a label and a sort key that puts "A.9" before "A.10".
#include <nlohmann/json.hpp>
#include <regex>

#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// Fields a user may change on a built-in requirement: their own notes.
bool OnlyNotesChanged(const json& before, const json& after) {
  for (const auto& [name, value] : after.items())
    if (name != "note" && name != "custom" && name != "version" && name != "updated_at" &&
        name != "updated_by" && before.contains(name) && before[name] != value)
      return false;
  return true;
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

Status PrepareRequirement(records::HookContext& ctx) {
  json& r = ctx.after;
  auto builtin = [](const json* rec) { return rec && rec->value("builtin", false); };
  TANDEM_RETURN_IF_ERROR(GuardBuiltin(ctx, builtin(&r), builtin(ctx.before), "builtin", true));
  const std::string ref = r.value("ref", "");
  if (!IsSet(r, "ref"))
    return MakeError(ErrorCode::kValidation, "the reference is invalid",
                     {{"ref", "must not be blank"}});
  r["sort_key"] = SortKey(ref);
  r["label"] = IsSet(r, "title") ? ref + " " + r["title"].get<std::string>() : ref;
  return Status::Ok();
}

}  // namespace

void RegisterStandardsHooks(records::HookRegistry& hooks) {
  hooks.OnSave("standard", CheckStandard);
  hooks.OnSave("requirement", PrepareRequirement);
}

}  // namespace tandem::domains
