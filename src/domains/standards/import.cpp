#include "domains/standards/import.h"

#include <nlohmann/json.hpp>

namespace tandem::domains {

using nlohmann::json;

namespace {

json OrNull(const std::string& s) { return s.empty() ? json() : json(s); }

}  // namespace

Result<json> ImportFramework(records::Engine& engine, const records::Actor& actor,
                             std::string_view text, const FrameworkOptions& options) {
  const bool csv = options.format == CatalogFormat::kCsv;
  TANDEM_ASSIGN_OR_RETURN(Catalog catalog, csv ? ParseCsvCatalog(text) : ParseOscalCatalog(text));
  if (catalog.entries.size() > kMaxFrameworkEntries)
    return MakeError(ErrorCode::kValidation,
                     "a framework import takes at most " + std::to_string(kMaxFrameworkEntries) +
                         " entries, so that other users' work does not wait for it; this catalog "
                         "has " +
                         std::to_string(catalog.entries.size()),
                     {{"entries", "at most " + std::to_string(kMaxFrameworkEntries)}});
  if (!options.key.empty()) catalog.key = options.key;
  if (!options.title.empty()) catalog.title = options.title;
  if (!options.edition.empty()) catalog.version = options.edition;
  if (!options.publisher.empty()) catalog.publisher = options.publisher;
  std::vector<FieldError> missing;
  if (catalog.key.empty()) missing.push_back({"key", "name the framework's key, e.g. acme:2026"});
  if (catalog.title.empty()) missing.push_back({"title", "name the framework's title"});
  if (!missing.empty())
    return MakeError(ErrorCode::kValidation, "the framework needs a key and a title",
                     std::move(missing));

  const std::string from = options.source.empty() ? "" : " " + options.source;
  json standard_body = {
      {"key", catalog.key},
      {"title", catalog.title},
      {"edition", OrNull(catalog.version)},
      {"publisher", OrNull(catalog.publisher)},
      {"management_system", options.management_system},
      {"origin", "imported"},
      {"provenance", "Imported from the " + std::string(csv ? "CSV file" : "OSCAL catalog") + from +
                         " by " + actor.name + "."},
      {"verification", "unverified"}};
  const auto& standard_type = *engine.registry().Find("standard");
  const auto& requirement_type = *engine.registry().Find("requirement");
  json out;
  // The engine's writes nest in this transaction: the standard and its
  // requirements are created together or not at all.
  TANDEM_RETURN_IF_ERROR(engine.db().Write([&](store::Connection&) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json standard, engine.Create(actor, standard_type, standard_body));
    std::vector<json> bodies;
    bodies.reserve(catalog.entries.size());
    int withdrawn = 0;
    for (const auto& e : catalog.entries) {
      withdrawn += e.withdrawn;
      bodies.push_back({{"standard", standard["id"]},
                        {"position", bodies.size()},
                        {"ref", e.ref},
                        {"title", OrNull(e.title)},
                        {"parent_ref", OrNull(e.parent_ref)},
                        {"kind", e.kind},
                        {"withdrawn", e.withdrawn}});
    }
    auto created = engine.CreateBatch(actor, requirement_type, bodies);
    if (!created.ok()) {
      // The batch names items by position; say which entry that is.
      Error e = created.error();
      if (auto at = e.detail.find("items["); at != std::string::npos) {
        const size_t i = std::stoul(e.detail.substr(at + 6));
        if (i < catalog.entries.size()) e.detail += " (entry " + catalog.entries[i].ref + ")";
      }
      return e;
    }
    out = {{"standard", standard}, {"requirements", created->size()}, {"withdrawn", withdrawn}};
    return Status::Ok();
  }));
  return out;
}

}  // namespace tandem::domains
