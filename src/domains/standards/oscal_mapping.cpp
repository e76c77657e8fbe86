// OSCAL mapping collections: ToOscalMappingCollection (catalog_io.h).
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "domains/standards/catalog_io.h"
#include "domains/standards/catalog_io_internal.h"

namespace tandem::domains {

using nlohmann::json;
using namespace catalog_io;

namespace {

// Tandem's relationships (NIST OLIR's words) -> OSCAL's, both read from the
// source to the target.
const std::map<std::string, std::string>& Relationships() {
  static const std::map<std::string, std::string> kMap = {
      {"equal", "equal-to"},
      {"subset", "subset-of"},
      {"superset", "superset-of"},
      {"intersect", "intersects-with"},
      {"no-relationship", "no-relationship"},
  };
  return kMap;
}

bool OneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (value == a) return true;
  return false;
}

// Appends a Tandem prop unless `value` is blank (OSCAL values cannot be).
void AddProp(json& props, const char* name, const std::string& value) {
  std::string v = OneLine(value);
  if (!v.empty()) props.push_back({{"name", name}, {"ns", kTandemOscalNs}, {"value", v}});
}

std::string NameOf(const Catalog& c) {
  return !c.title.empty() ? c.title : !c.key.empty() ? c.key : std::string("unnamed catalog");
}

// A catalog as a back-matter resource.
json Resource(const Catalog& c, const std::string& uuid) {
  json r = {{"uuid", uuid}, {"title", OneLine(NameOf(c))}};
  json props = json::array();
  AddProp(props, "catalog-key", c.key);
  AddProp(props, "version", c.version);
  if (!props.empty()) r["props"] = std::move(props);
  return r;
}

// One side of the mapping: a catalog and how ToOscalCatalog lays it out.
struct Side {
  const Catalog& catalog;
  OscalLayout layout;
  const char* name;  // "source" or "target", for messages

  // The OSCAL id of `ref`, or a problem.
  const std::string* Find(const std::string& ref, std::string& problem) const {
    auto it = layout.by_ref.find(ref);
    if (it == layout.by_ref.end()) {
      problem = std::string(name) + " ref " + ref + " is not in " + NameOf(catalog);
      return nullptr;
    }
    if (layout.is_group[it->second]) {
      problem = std::string(name) + " ref " + ref +
                " is a group in the OSCAL catalog; a map can only name controls";
      return nullptr;
    }
    return &layout.ids[it->second];
  }
};

json Item(const std::string& id, const std::string& qualifier) {
  json item = {{"type", "control"}, {"id-ref", id}};
  json props = json::array();
  AddProp(props, "qualifier", qualifier);
  if (!props.empty()) item["props"] = std::move(props);
  return item;
}

}  // namespace

Result<json> ToOscalMappingCollection(const Catalog& source, const Catalog& target,
                                      const std::vector<MappingEntry>& maps,
                                      std::string_view last_modified,
                                      const MappingProvenance& provenance) {
  std::vector<FieldError> errors;
  if (!OneOf(provenance.method, {"human", "automation", "hybrid"}))
    errors.push_back({"provenance.method", "must be human, automation or hybrid"});
  if (!OneOf(provenance.matching_rationale, {"syntactic", "semantic", "functional"}))
    errors.push_back(
        {"provenance.matching_rationale", "must be syntactic, semantic or functional"});
  if (!OneOf(provenance.status, {"complete", "not-complete", "draft", "deprecated", "superseded"}))
    errors.push_back(
        {"provenance.status", "must be complete, not-complete, draft, deprecated or superseded"});

  const Side from{source, LayOut(source), "source"};
  const Side to{target, LayOut(target), "target"};
  json out_maps = json::array();
  std::set<std::string> mapped;           // source ids that some map names
  std::vector<std::string> gaps;          // source ids without counterpart, in order
  std::vector<std::string> gap_notes;     // their notes, as Markdown list items
  std::map<std::string, int> uuid_names;  // for identical rows: a count
  std::set<size_t> bad_rows;
  for (size_t i = 0; i < maps.size(); ++i) {
    const MappingEntry& m = maps[i];
    const std::string where = "maps[" + std::to_string(i) + "]";
    const size_t errors_before = errors.size();
    auto rel = Relationships().find(m.relationship);
    if (rel == Relationships().end())
      errors.push_back({where, "unknown relationship \"" + m.relationship +
                                   "\" (expected equal, subset, superset, intersect or "
                                   "no-relationship)"});
    if (!m.authority.empty() && !OneOf(m.authority, {"published", "compiled", "user"}))
      errors.push_back({where, "unknown authority \"" + m.authority +
                                   "\" (expected published, compiled or user)"});
    std::string problem;
    const std::string* source_id = from.Find(m.source_ref, problem);
    if (!source_id) errors.push_back({where, problem});
    const std::string* target_id = nullptr;
    if (m.target_ref.empty()) {
      if (m.relationship != "no-relationship")
        errors.push_back({where, "no target: only a no-relationship row may leave it empty"});
    } else if (!(target_id = to.Find(m.target_ref, problem))) {
      errors.push_back({where, problem});
    }
    if (errors.size() > errors_before) {
      bad_rows.insert(i);
      continue;
    }

    if (!target_id) {  // no counterpart
      gaps.push_back(*source_id);
      std::string line = OneLine(m.note);
      if (!m.origin.empty()) line = "(" + OneLine(m.origin) + ") " + line;
      if (!OneLine(line).empty()) gap_notes.push_back("- " + m.source_ref + ": " + OneLine(line));
      continue;
    }
    mapped.insert(*source_id);
    std::string name = "tandem:oscal-map\n" + source.key + "\n" + target.key + "\n" + m.source_ref +
                       "\n" + m.source_qualifier + "\n" + m.target_ref + "\n" + m.target_qualifier;
    if (int n = uuid_names[name]++; n > 0) name += "\n" + std::to_string(n);
    json map = {{"uuid", DerivedUuid(name)},
                {"relationship", rel->second},
                {"sources", json::array({Item(*source_id, m.source_qualifier)})},
                {"targets", json::array({Item(*target_id, m.target_qualifier)})}};
    json props = json::array();
    AddProp(props, "origin", m.origin);
    AddProp(props, "authority", m.authority);
    if (!props.empty()) map["props"] = std::move(props);
    if (!m.note.empty()) map["remarks"] = m.note;
    out_maps.push_back(std::move(map));
  }
  if (errors.empty() && out_maps.empty())
    errors.push_back({"maps",
                      "nothing to map: an OSCAL mapping needs at least one map with a "
                      "target"});
  if (!errors.empty()) {
    const std::string detail =
        bad_rows.empty()
            ? "the mapping cannot be written: " + errors[0].field + ": " + errors[0].message
            : std::to_string(bad_rows.size()) + " of " + std::to_string(maps.size()) +
                  (bad_rows.size() == 1 ? " maps is" : " maps are") + " invalid";
    return MakeError(ErrorCode::kValidation, detail, std::move(errors));
  }

  const std::string source_uuid = DerivedUuid("tandem:oscal-resource\n" + source.key);
  const std::string target_uuid = DerivedUuid("tandem:oscal-resource\n" + target.key);
  json mapping = {{"uuid", DerivedUuid("tandem:oscal-mapping\n" + source.key + "\n" + target.key)},
                  {"source-resource", {{"type", "catalog"}, {"href", "#" + source_uuid}}},
                  {"target-resource", {{"type", "catalog"}, {"href", "#" + target_uuid}}},
                  {"maps", std::move(out_maps)}};
  // A source with no counterpart, and no map elsewhere, is unmapped.
  json unmapped = json::array();
  std::set<std::string> listed;
  for (const auto& id : gaps)
    if (!mapped.count(id) && listed.insert(id).second) unmapped.push_back(id);
  if (!unmapped.empty())
    mapping["source-gap-summary"] = {
        {"uuid", DerivedUuid("tandem:oscal-gap\n" + source.key + "\n" + target.key)},
        {"unmapped-controls", json::array({{{"with-ids", std::move(unmapped)}}})}};
  if (!gap_notes.empty()) {
    std::string remarks = "No counterpart in " + OneLine(NameOf(target)) + ":\n";
    for (const auto& n : gap_notes) remarks += "\n" + n;
    mapping["remarks"] = remarks;
  }

  json back_matter = {{"resources", json::array({Resource(source, source_uuid)})}};
  if (target_uuid != source_uuid) back_matter["resources"].push_back(Resource(target, target_uuid));
  const std::string title = !provenance.title.empty()
                                ? provenance.title
                                : OneLine(NameOf(source)) + " to " + OneLine(NameOf(target));
  const std::string description =
      !provenance.description.empty()
          ? provenance.description
          : "How the requirements of " + OneLine(NameOf(source)) + " relate to those of " +
                OneLine(NameOf(target)) +
                ". Each map reads from the source to the target; the part of a requirement a "
                "map covers is the side's qualifier prop, and origin and authority (published, "
                "compiled or user) are props of the map.";
  json body = {
      {"metadata",
       {{"title", title},
        {"version", provenance.version.empty() ? std::string(last_modified) : provenance.version},
        {"oscal-version", kOscalVersion}}},
      {"provenance",
       {{"method", provenance.method},
        {"matching-rationale", provenance.matching_rationale},
        {"status", provenance.status},
        {"mapping-description", description}}},
      {"mappings", json::array({std::move(mapping)})},
      {"back-matter", std::move(back_matter)}};
  body["uuid"] = DerivedUuid("tandem:oscal-mapping-collection\n" +
                             body.dump(-1, ' ', false, json::error_handler_t::replace));
  body["metadata"]["last-modified"] = std::string(last_modified);
  return json{{"mapping-collection", std::move(body)}};
}

}  // namespace tandem::domains
