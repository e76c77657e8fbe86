// OSCAL catalogs: ParseOscalCatalog and ToOscalCatalog (catalog_io.h).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json_depth.h"
#include "domains/standards/catalog_io.h"
#include "domains/standards/catalog_io_internal.h"

namespace tandem::domains {

using nlohmann::json;
using namespace catalog_io;

namespace {

constexpr int kMaxJsonDepth = 100;
constexpr size_t kMaxReported = 100;
constexpr char kOscalNs[] = "http://csrc.nist.gov/ns/oscal";

const std::string* StringMember(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// A prop of OSCAL's own namespace (no ns, or OSCAL's) or of `ns` when given.
bool PropIs(const json& prop, std::string_view name, const char* ns = nullptr) {
  const std::string* n = StringMember(prop, "name");
  if (!n || *n != name) return false;
  const std::string* p = StringMember(prop, "ns");
  if (ns) return p && *p == ns;
  return !p || *p == kOscalNs;
}

std::string PropValue(const json& prop) {
  const std::string* v = StringMember(prop, "value");
  return v ? *v : std::string();
}

// Walks a catalog, collecting entries in document order and every problem.
class Reader {
 public:
  Catalog catalog;
  std::vector<FieldError> errors;  // the first kMaxReported
  size_t error_count = 0;

  void Fail(const std::string& where, std::string message) {
    ++error_count;
    if (errors.size() < kMaxReported) errors.push_back({where, std::move(message)});
  }

  // The groups or controls in `node[member]`.
  void ReadList(const json& node, const char* member, const std::string& where,
                const std::string& parent_ref, bool groups, bool in_control, size_t depth) {
    auto it = node.find(member);
    if (it == node.end()) return;
    const std::string list = where + "." + member;
    if (!it->is_array()) return Fail(list, "must be an array");
    for (size_t i = 0; i < it->size(); ++i)
      ReadEntry((*it)[i], list + "[" + std::to_string(i) + "]", parent_ref, groups, in_control,
                depth);
  }

 private:
  std::map<std::string, std::string> seen_;  // ref -> where it was first

  void ReadEntry(const json& node, const std::string& where, const std::string& parent_ref,
                 bool group, bool in_control, size_t depth) {
    if (!node.is_object()) return Fail(where, "must be an object");
    if (depth > kMaxCatalogDepth)
      return Fail(where, "nested more than " + std::to_string(kMaxCatalogDepth) + " levels deep");
    CatalogEntry e;
    e.parent_ref = parent_ref;
    std::string id;
    if (auto it = node.find("id"); it != node.end()) {
      if (it->is_string())
        id = it->get<std::string>();
      else
        Fail(where + ".id", "must be a string");
    }
    bool untitled = false;
    const json* label = nullptr;
    if (auto it = node.find("props"); it != node.end()) {
      static const json kNone = json::array();
      if (!it->is_array()) Fail(where + ".props", "must be an array");
      for (const auto& prop : it->is_array() ? *it : kNone) {
        if (!prop.is_object()) continue;
        // NIST gives some labels a class (e.g. "zero-padded"): the plain
        // one is the printed label.
        if (PropIs(prop, "label") &&
            (!label || (label->contains("class") && !prop.contains("class"))))
          label = &prop;
        if (PropIs(prop, "status") && PropValue(prop) == "withdrawn") e.withdrawn = true;
        if (PropIs(prop, "untitled", kTandemOscalNs) && PropValue(prop) == "true") untitled = true;
      }
    }
    e.ref = label ? PropValue(*label) : "";
    if (e.ref.empty()) e.ref = id;
    if (id.empty() && !group)
      Fail(where, "missing id");
    else if (e.ref.empty())
      Fail(where, "missing id (or a label prop)");
    if (const std::string* title = StringMember(node, "title"))
      e.title = untitled ? std::string() : *title;
    else
      Fail(where, node.contains("title") ? "title must be a string" : "missing title");
    const std::string* cls = StringMember(node, "class");
    e.kind = cls && IsCatalogKind(*cls) ? *cls
             : group                    ? "group"
             : in_control               ? "enhancement"
                                        : "control";
    if (!e.ref.empty()) {
      for (auto& problem : CheckRefAndTitle(e.ref, e.title))
        Fail(where, problem + " (" + e.ref + ")");
      auto [first, fresh] = seen_.emplace(e.ref, where);
      if (!fresh) Fail(where, "duplicate ref " + e.ref + " (first at " + first->second + ")");
    }
    const std::string ref = e.ref;
    catalog.entries.push_back(std::move(e));
    if (group) {
      ReadList(node, "controls", where, ref, false, false, depth + 1);
      ReadList(node, "groups", where, ref, true, false, depth + 1);
    } else {
      ReadList(node, "controls", where, ref, false, true, depth + 1);
    }
  }
};

// The name of the party in the "publisher" role, or "".
std::string Publisher(const json& metadata) {
  auto rp = metadata.find("responsible-parties");
  auto parties = metadata.find("parties");
  if (rp == metadata.end() || !rp->is_array() || parties == metadata.end() || !parties->is_array())
    return "";
  for (const auto& r : *rp) {
    const std::string* role = r.is_object() ? StringMember(r, "role-id") : nullptr;
    if (!role || *role != "publisher") continue;
    auto uuids = r.find("party-uuids");
    if (uuids == r.end() || !uuids->is_array() || uuids->empty() || !(*uuids)[0].is_string())
      continue;
    for (const auto& p : *parties) {
      const std::string* uuid = p.is_object() ? StringMember(p, "uuid") : nullptr;
      const std::string* name = p.is_object() ? StringMember(p, "name") : nullptr;
      if (uuid && name && *uuid == (*uuids)[0].get<std::string>()) return *name;
    }
  }
  return "";
}

// See ParseOscalCatalog in catalog_io.h for the rule.
std::string DerivedKey(const std::string& title, const std::string& version) {
  std::string slug;
  for (char c : title.substr(0, title.find(':'))) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9'))
      slug += lower;
    else if (!slug.empty() && slug.back() != '-')
      slug += '-';
  }
  if (slug.size() > 48) slug.resize(48);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "oscal-catalog";
  return version.empty() ? slug : slug + ":" + version;
}

}  // namespace

Result<Catalog> ParseOscalCatalog(std::string_view text) {
  if (JsonNestingDepth(text) > kMaxJsonDepth)
    return MakeError(ErrorCode::kBadRequest, "the document nests arrays and objects more than " +
                                                 std::to_string(kMaxJsonDepth) + " levels deep");
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return MakeError(ErrorCode::kBadRequest, "the document is not JSON");
  auto cat = doc.is_object() ? doc.find("catalog") : doc.end();
  if (!doc.is_object() || cat == doc.end() || !cat->is_object())
    return MakeError(ErrorCode::kValidation,
                     "not an OSCAL catalog: the document has no \"catalog\" object");
  auto meta = cat->find("metadata");
  if (meta == cat->end() || !meta->is_object())
    return MakeError(ErrorCode::kValidation,
                     "not an OSCAL catalog: catalog.metadata is missing or not an object");

  Reader reader;
  Catalog& catalog = reader.catalog;
  if (const std::string* title = StringMember(*meta, "title")) catalog.title = *title;
  if (const std::string* version = StringMember(*meta, "version")) catalog.version = *version;
  catalog.publisher = Publisher(*meta);
  if (auto props = meta->find("props"); props != meta->end() && props->is_array())
    for (const auto& prop : *props)
      if (prop.is_object() && PropIs(prop, "catalog-key", kTandemOscalNs))
        catalog.key = PropValue(prop);
  if (catalog.key.empty()) catalog.key = DerivedKey(catalog.title, catalog.version);

  // OSCAL's order: a catalog's controls, then its groups.
  reader.ReadList(*cat, "controls", "catalog", "", false, false, 1);
  reader.ReadList(*cat, "groups", "catalog", "", true, false, 1);
  if (reader.error_count > 0) {
    const auto& first = reader.errors[0];
    return MakeError(
        ErrorCode::kValidation,
        std::to_string(reader.error_count) + (reader.error_count == 1 ? " problem" : " problems") +
            " in the OSCAL catalog, the first at " + first.field + ": " + first.message,
        std::move(reader.errors));
  }
  return std::move(reader.catalog);
}

json ToOscalCatalog(const Catalog& catalog, std::string_view last_modified) {
  const OscalLayout layout = LayOut(catalog);
  const auto& entries = catalog.entries;
  // Built from the last entry to the first: children come after their
  // parents, so each node's children are complete when it is built, and no
  // recursion is needed however deep the catalog.
  std::vector<json> nodes(entries.size());
  for (size_t i = entries.size(); i-- > 0;) {
    const CatalogEntry& e = entries[i];
    json node = {{"id", layout.ids[i]}, {"title", e.title.empty() ? e.ref : e.title}};
    if (IsCatalogKind(e.kind)) node["class"] = e.kind;
    json props = json::array({{{"name", "label"}, {"value", e.ref}}});
    if (e.withdrawn) props.push_back({{"name", "status"}, {"value", "withdrawn"}});
    if (e.title.empty())
      props.push_back({{"name", "untitled"}, {"ns", kTandemOscalNs}, {"value", "true"}});
    node["props"] = std::move(props);
    const auto& children = layout.children[i];
    if (!children.empty()) {
      // Every child of a group is a group or every one a control (LayOut).
      json& list = node[layout.is_group[children[0]] ? "groups" : "controls"];
      for (size_t c : children) list.push_back(std::move(nodes[c]));
    }
    nodes[i] = std::move(node);
  }

  json body = json::object();
  for (size_t r : layout.roots)
    body[layout.is_group[r] ? "groups" : "controls"].push_back(std::move(nodes[r]));
  json metadata = {
      {"title", !catalog.title.empty() ? catalog.title
                : !catalog.key.empty() ? catalog.key
                                       : std::string("Untitled catalog")},
      {"version", catalog.version.empty() ? std::string("unspecified") : catalog.version},
      {"oscal-version", kOscalVersion}};
  if (!catalog.key.empty())
    metadata["props"] =
        json::array({{{"name", "catalog-key"}, {"ns", kTandemOscalNs}, {"value", catalog.key}}});
  if (!catalog.publisher.empty()) {
    const std::string party = DerivedUuid("tandem:oscal-party\n" + catalog.publisher);
    metadata["roles"] = json::array({{{"id", "publisher"}, {"title", "Publisher"}}});
    metadata["parties"] = json::array(
        {{{"uuid", party}, {"type", "organization"}, {"name", OneLine(catalog.publisher)}}});
    metadata["responsible-parties"] =
        json::array({{{"role-id", "publisher"}, {"party-uuids", json::array({party})}}});
  }
  body["metadata"] = std::move(metadata);
  // The UUID names this content: the same catalog exported twice gets the
  // same one, a changed one a new one, whatever the date.
  body["uuid"] = DerivedUuid("tandem:oscal-catalog\n" + catalog.key + "\n" +
                             body.dump(-1, ' ', false, json::error_handler_t::replace));
  body["metadata"]["last-modified"] = std::string(last_modified);
  return json{{"catalog", std::move(body)}};
}

}  // namespace tandem::domains
