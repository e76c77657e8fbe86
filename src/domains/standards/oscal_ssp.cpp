// The Statement of Applicability as an OSCAL 1.2.1 system security plan
// (ToOscalSsp, oscal_ssp.h). The system is the ISMS the statement is made
// for; a statement knows its controls, their entries, the IMS elements that
// implement them and the risks they treat, not the ISMS scope, so the plan
// points to the scope instead of restating it. Props Tandem adds are in the
// kTandemOscalNs namespace; values Tandem shares with the JSON statement keep
// its spelling (not_applicable, risk_treatment).
//
//  - uuid: derived from the content without last-modified (as the catalog
//    writer does): the same statement exported twice gets the same UUID.
//    The other UUIDs name their subject, so they stay the same across
//    revisions: the system, the catalog resource (the same one the mapping
//    writer uses) and this-system from the standard's key, an element's
//    component from its number, an implemented requirement from the key
//    and the control's ref.
//  - metadata: title "<SoA title>, revision N"; version the revision;
//    published the approval time of an approved statement; props soa-number,
//    soa-state (draft, approved, discarded), catalog-key, approved-by and
//    approved-at; the change summary as remarks; one role, isms-manager.
//  - import-profile: "#<uuid>" of a back-matter resource describing the
//    standard's catalog, with a link to GET /api/v1/standards/{key}/oscal
//    (OSCAL lets a plan import a catalog as its baseline; no profile
//    tailors it: every control of the standard is stated).
//  - system-characteristics: one system id (an RFC 4122 UUID), the name
//    "Information security management system", descriptions of the system,
//    its information and its boundary that refer to the ISMS scope, and a
//    status: approved statement -> operational; draft or discarded -> other,
//    with a remark saying so.
//  - system-implementation: one user, the ISMS manager (who holds the role
//    is not part of a statement); a this-system component; one component per
//    IMS element in any row, in order of first appearance: type by element
//    kind (policy -> policy, process and procedure -> process-procedure,
//    plan -> plan; control, record_type, role, other as they are, with '-'
//    for '_', which OSCAL allows), status by element state (approved and
//    operating -> operational, draft -> under-development, retired ->
//    disposition), props element-number, element-kind, element-state.
//  - control-implementation: one implemented requirement per row with an
//    entry, in the statement's order; control-id is OscalIdFromRef(ref), the
//    id the catalog export gives the control. Rows without an entry are left
//    out and listed in the description. Each requirement has:
//      props: applicability; implementation-status in OSCAL's words:
//        not applicable -> not-applicable, implemented -> implemented,
//        partial -> partial, planned -> planned, not_implemented -> planned
//        (an applicable control not yet implemented is one the organization
//        has to implement: risk treatment plans it), none when undecided;
//        implementation with Tandem's own value when set; one
//        inclusion-reason per reason (risk_treatment, legal, contractual,
//        business); one risk per risk treated (the number, its title as the
//        prop's remarks).
//      by-components: this-system, carrying the same status as OSCAL's
//        implementation-status; then one per implementing element, its
//        description and an extent prop (fully, partly) saying how far.
//      remarks: the justification and the note ("how it is implemented").
#include "domains/standards/oscal_ssp.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/url.h"
#include "domains/standards/catalog_io.h"
#include "domains/standards/catalog_io_internal.h"

namespace tandem::domains {

using nlohmann::json;
using namespace catalog_io;

namespace {

constexpr char kSystemName[] = "Information security management system";
constexpr char kRole[] = "isms-manager";

const json* Member(const json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string Str(const json& object, const char* name) {
  const json* m = Member(object, name);
  if (!m) return "";
  if (m->is_string()) return m->get<std::string>();
  if (m->is_number_integer()) return std::to_string(m->get<int64_t>());
  return "";
}

const json& Array(const json& object, const char* name) {
  static const json kEmpty = json::array();
  const json* m = Member(object, name);
  return m && m->is_array() ? *m : kEmpty;
}

// Appends a Tandem prop unless `value` is blank (OSCAL values cannot be).
void AddProp(json& props, const char* name, const std::string& value,
             const std::string& remarks = "") {
  std::string v = OneLine(value);
  if (v.empty()) return;
  json prop = {{"name", name}, {"ns", kTandemOscalNs}, {"value", std::move(v)}};
  if (!Trim(remarks).empty()) prop["remarks"] = Trim(remarks);
  props.push_back(std::move(prop));
}

// RFC 3339 with a time zone, as OSCAL's date-time-with-timezone needs:
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM). OSCAL's own pattern is
// stricter on zones; Tandem writes UTC ("Z").
bool IsUtcTimestamp(const std::string& s) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i)
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (s.size() < 20 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
      !digits(8, 2) || s[10] != 'T' || !digits(11, 2) || s[13] != ':' || !digits(14, 2) ||
      s[16] != ':' || !digits(17, 2))
    return false;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits(i, 1)) return false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  return i + 1 == s.size() && s[i] == 'Z';
}

// A component's type for an element kind: OSCAL's word where it has one.
std::string ComponentType(const std::string& kind) {
  if (kind == "policy" || kind == "plan") return kind;
  if (kind == "process" || kind == "procedure") return "process-procedure";
  std::string out = kind.empty() ? std::string("other") : kind;
  for (auto& c : out)
    if (c == '_') c = '-';
  return out;
}

std::string ComponentState(const std::string& element_state) {
  if (element_state == "approved" || element_state == "operating") return "operational";
  if (element_state == "draft") return "under-development";
  if (element_state == "retired") return "disposition";
  return "other";
}

// OSCAL's implementation status of a row with an entry; "" when undecided.
std::string ImplementationStatus(const std::string& applicability,
                                 const std::string& implementation) {
  if (applicability == "not_applicable") return "not-applicable";
  if (implementation == "implemented" || implementation == "partial" || implementation == "planned")
    return implementation;
  if (implementation == "not_implemented") return "planned";
  return "";
}

std::string StatusSentence(const std::string& applicability, const std::string& implementation) {
  if (applicability == "not_applicable") return "Not applicable.";
  if (implementation == "implemented") return "Applicable, implemented.";
  if (implementation == "partial") return "Applicable, partially implemented.";
  if (implementation == "planned") return "Applicable, implementation planned.";
  if (implementation == "not_implemented")
    return "Applicable, not implemented yet; OSCAL's status planned stands for it.";
  return "Applicable; how far it is implemented is not decided yet.";
}

std::string Words(std::string s) {
  for (auto& c : s)
    if (c == '_') c = ' ';
  return s;
}

struct Component {
  std::string uuid;
  json doc;
};

}  // namespace

Result<json> ToOscalSsp(const json& statement, std::string_view last_modified) {
  const json* soa = Member(statement, "soa");
  const json* rows = Member(statement, "rows");
  if (!soa || !soa->is_object() || !rows || !rows->is_array())
    return MakeError(ErrorCode::kValidation,
                     "not a statement of applicability: the soa header or the rows are missing");
  const std::string key = Str(*soa, "standard");
  if (OneLine(key).empty())
    return MakeError(ErrorCode::kValidation, "the statement does not name its standard",
                     {{"soa.standard", "is required"}});
  std::vector<FieldError> errors;
  for (size_t i = 0; i < rows->size(); ++i)
    if (OneLine(Str((*rows)[i], "ref")).empty())
      errors.push_back({"rows[" + std::to_string(i) + "]", "has no ref"});
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation,
                     std::to_string(errors.size()) + " rows of the statement have no ref",
                     std::move(errors));

  const std::string number = OneLine(Str(*soa, "number"));
  const std::string revision = OneLine(Str(*soa, "revision"));
  const std::string state = OneLine(Str(*soa, "state"));
  const std::string named = number.empty() ? std::string("the statement") : number;
  const std::string this_system = DerivedUuid("tandem:oscal-component\nthis-system\n" + key);

  // Components: this system, then each element in order of appearance.
  std::vector<Component> components;
  std::map<std::string, size_t> component_of;  // element number (or id) -> index
  json requirements = json::array();
  std::vector<std::string> left_out;
  for (const auto& row : *rows) {
    const std::string ref = OneLine(Str(row, "ref"));
    const json* entry = Member(row, "entry");
    if (!entry || entry->is_null()) {
      left_out.push_back(ref);
      continue;
    }
    const std::string applicability = Str(row, "applicability");
    const std::string implementation = Str(row, "implementation");
    const std::string status = ImplementationStatus(applicability, implementation);
    const std::string name = "tandem:oscal-ssp-requirement\n" + key + "\n" + ref;

    json props = json::array();
    AddProp(props, "applicability", applicability);
    AddProp(props, "implementation-status", status);
    AddProp(props, "implementation", implementation);
    for (const auto& reason : Array(row, "reasons"))
      if (reason.is_string()) AddProp(props, "inclusion-reason", reason.get<std::string>());
    for (const auto& risk : Array(row, "risks"))
      AddProp(props, "risk", Str(risk, "number"), Str(risk, "title"));

    json system_part = {{"component-uuid", this_system},
                        {"uuid", DerivedUuid(name + "\nthis-system")},
                        {"description", StatusSentence(applicability, implementation)}};
    if (!status.empty()) system_part["implementation-status"] = {{"state", status}};
    json by_components = json::array({std::move(system_part)});
    for (const auto& el : Array(row, "elements")) {
      std::string el_number = OneLine(Str(el, "number"));
      const std::string el_key = !el_number.empty() ? el_number : "#" + Str(el, "id");
      const std::string el_title = OneLine(Str(el, "title"));
      const std::string kind = OneLine(Str(el, "kind"));
      auto [it, fresh] = component_of.try_emplace(el_key, components.size());
      if (fresh) {
        const std::string el_state = OneLine(Str(el, "state"));
        const std::string uuid = DerivedUuid("tandem:oscal-component\n" + el_key);
        std::string description = "IMS element";
        if (!el_number.empty()) description += " " + el_number;
        std::string detail = Words(kind);
        if (!el_state.empty()) detail += (detail.empty() ? "" : ", ") + Words(el_state);
        if (!detail.empty()) description += " (" + detail + ")";
        json el_props = json::array();
        AddProp(el_props, "element-number", el_number);
        AddProp(el_props, "element-kind", kind);
        AddProp(el_props, "element-state", el_state);
        json c = {{"uuid", uuid},
                  {"type", ComponentType(kind)},
                  {"title", !el_title.empty() ? el_title : el_key},
                  {"description", description + "."},
                  {"status", {{"state", ComponentState(el_state)}}}};
        if (!el_props.empty()) c["props"] = std::move(el_props);
        components.push_back({uuid, std::move(c)});
      }
      const std::string extent = OneLine(Str(el, "extent"));
      const std::string who = !el_title.empty() ? el_title : el_key;
      json part = {{"component-uuid", components[it->second].uuid},
                   {"uuid", DerivedUuid(name + "\n" + el_key)},
                   {"description", extent == "fully"    ? who + " implements the control fully."
                                   : extent == "partly" ? who + " implements the control in part."
                                                        : who + " is traced to the control."}};
      json part_props = json::array();
      AddProp(part_props, "extent", extent);
      if (!part_props.empty()) part["props"] = std::move(part_props);
      by_components.push_back(std::move(part));
    }

    json requirement = {{"uuid", DerivedUuid(name)}, {"control-id", OscalIdFromRef(ref)}};
    if (!props.empty()) requirement["props"] = std::move(props);
    requirement["by-components"] = std::move(by_components);
    std::string remarks;
    if (std::string j = Trim(Str(row, "justification")); !j.empty())
      remarks = "Justification: " + j;
    if (std::string n = Trim(Str(row, "note")); !n.empty())
      remarks += (remarks.empty() ? "" : "\n\n") + std::string("How it is implemented: ") + n;
    if (!remarks.empty()) requirement["remarks"] = remarks;
    requirements.push_back(std::move(requirement));
  }
  if (requirements.empty())
    return MakeError(ErrorCode::kValidation,
                     "nothing to export: " + named +
                         " has no entry you may see (OSCAL needs at least one control); "
                         "populate the draft first");

  const bool approved = state == "approved";
  const std::string status_remarks =
      approved ? "The statement is approved: it states the controls in force."
      : state == "discarded"
          ? "This revision of the statement was discarded without approval."
          : "This revision of the statement is a draft, not approved yet; the system's own "
            "operating status is not part of a statement.";
  json status = {{"state", approved ? "operational" : "other"}, {"remarks", status_remarks}};

  // metadata
  std::string title = OneLine(Str(*soa, "title"));
  if (title.empty()) title = "Statement of Applicability " + named;
  if (!revision.empty()) title += ", revision " + revision;
  json meta_props = json::array();
  AddProp(meta_props, "soa-number", number);
  AddProp(meta_props, "soa-state", state);
  AddProp(meta_props, "catalog-key", key);
  const std::string approved_at = OneLine(Str(*soa, "approved_at"));
  if (approved) {
    AddProp(meta_props, "approved-by", Str(*soa, "approved_by"));
    AddProp(meta_props, "approved-at", approved_at);
  }
  json metadata = {{"title", title}};
  if (approved && IsUtcTimestamp(approved_at)) metadata["published"] = approved_at;
  metadata["version"] = revision.empty() ? std::string("unspecified") : revision;
  metadata["oscal-version"] = kOscalVersion;
  metadata["props"] = std::move(meta_props);
  metadata["roles"] = json::array({{{"id", kRole}, {"title", "ISMS manager"}}});
  if (std::string changes = Trim(Str(*soa, "change_summary")); !changes.empty())
    metadata["remarks"] = "Changes in this version: " + changes;

  // The catalog the plan imports, as a back-matter resource.
  const std::string resource = DerivedUuid("tandem:oscal-resource\n" + key);
  json resource_props = json::array();
  AddProp(resource_props, "catalog-key", key);
  json back_matter = {
      {"resources",
       json::array({{{"uuid", resource},
                     {"title", "OSCAL catalog of " + OneLine(key)},
                     {"props", std::move(resource_props)},
                     {"rlinks", json::array({{{"href", "/api/v1/standards/" +
                                                           PercentEncode(key, ":@") + "/oscal"},
                                              {"media-type", "application/json"}}})}}})}};

  const std::string scope_note =
      "Its scope and boundaries are those of the ISMS scope, which this document does not "
      "restate: see the ISMS scope.";
  json characteristics = {
      {"system-ids", json::array({{{"identifier-type", "https://ietf.org/rfc/rfc4122"},
                                   {"id", DerivedUuid("tandem:oscal-system\n" + key)}}})},
      {"system-name", kSystemName},
      {"system-name-short", "ISMS"},
      {"description", "The information security management system whose controls " + named +
                          (revision.empty() ? "" : " (revision " + revision + ")") +
                          " states against " + OneLine(key) + ". " + scope_note},
      {"system-information",
       {{"information-types",
         json::array({{{"uuid", DerivedUuid("tandem:oscal-information-type\n" + key)},
                       {"title", "Information in the scope of the ISMS"},
                       {"description",
                        "The information the ISMS protects, as the ISMS scope and the asset "
                        "inventory describe it; not categorized in this document."}}})}}},
      {"status", status},
      {"authorization-boundary",
       {{"description",
         "The boundaries of the ISMS scope; see the ISMS scope. They are not part of a "
         "Statement of Applicability."}}}};

  json component_list = json::array(
      {{{"uuid", this_system},
        {"type", "this-system"},
        {"title", kSystemName},
        {"description",
         "The ISMS as a whole. Each implemented requirement states the control's "
         "implementation status on this component; the IMS elements that implement a control "
         "are components of their own."},
        {"status", status}}});
  for (auto& c : components) component_list.push_back(std::move(c.doc));
  json implementation = {
      {"users", json::array({{{"uuid", DerivedUuid("tandem:oscal-user\n" + std::string(kRole))},
                              {"title", "ISMS manager"},
                              {"role-ids", json::array({kRole})},
                              {"remarks",
                               "Maintains the Statement of Applicability. Who holds the role "
                               "is recorded in Tandem, not in this document."}}})},
      {"components", std::move(component_list)}};

  std::string description =
      "How the controls of " + OneLine(key) +
      " apply to the ISMS and how far each is "
      "implemented, as " +
      named + (revision.empty() ? "" : " revision " + revision) +
      (state.empty() ? "" : " (" + state + ")") +
      " states it: one implemented requirement per control with an entry. Its props (namespace " +
      kTandemOscalNs +
      ") give the applicability, the implementation status in OSCAL's words (Tandem's "
      "not_implemented is written as planned) and Tandem's own, the reasons for inclusion and "
      "the risks the control treats; the same status is stated on the this-system component, "
      "and each IMS element implementing the control is a by-component with its extent.";
  if (!left_out.empty()) {
    description += "\n\nControls without an entry in the statement, left out here: ";
    for (size_t i = 0; i < left_out.size(); ++i) description += (i ? ", " : "") + left_out[i];
    description += ".";
  }

  json body = {
      {"metadata", std::move(metadata)},
      {"import-profile",
       {{"href", "#" + resource},
        {"remarks", "The baseline is the catalog of " + OneLine(key) +
                        " as Tandem exports it (back-matter); no profile tailors it: "
                        "every control is stated."}}},
      {"system-characteristics", std::move(characteristics)},
      {"system-implementation", std::move(implementation)},
      {"control-implementation",
       {{"description", description}, {"implemented-requirements", std::move(requirements)}}},
      {"back-matter", std::move(back_matter)}};
  // The UUID names this content: the same statement exported twice gets the
  // same one, whatever the date.
  body["uuid"] = DerivedUuid("tandem:oscal-ssp\n" + key + "\n" +
                             body.dump(-1, ' ', false, json::error_handler_t::replace));
  body["metadata"]["last-modified"] = std::string(last_modified);
  return json{{"system-security-plan", std::move(body)}};
}

}  // namespace tandem::domains
