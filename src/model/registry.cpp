#include "model/registry.h"

#include <algorithm>
#include <stdexcept>

namespace tandem::model {

namespace {

template <typename Fail>
void CheckRule(const RecordType& t, const TransitionDecl& tr, const DutyRule& rule, Fail& fail) {
  const std::string where = "transition " + tr.name + ", rule " + rule.Name() + ": ";
  if (rule.kind == DutyRule::Kind::kNotUser) {
    const FieldDecl* f = t.Field(rule.field);
    if (!f || f->type != FieldType::kUser) fail(where + "'" + rule.field + "' is not a user field");
  }
  if (rule.kind == DutyRule::Kind::kNotActorOf && !t.states->Find(rule.transition))
    fail(where + "'" + rule.transition + "' is not a transition");
  if (rule.kind == DutyRule::Kind::kRole && rule.roles.empty()) fail(where + "names no role");
  if (!rule.when_field.empty()) {
    const FieldDecl* f = t.Field(rule.when_field);
    if (!f || f->type != FieldType::kEnum) fail(where + "'" + rule.when_field + "' is not an enum");
    for (const auto& v : rule.when_values)
      if (std::find(f->enum_values.begin(), f->enum_values.end(), v) == f->enum_values.end())
        fail(where + "'" + v + "' is not a value of " + rule.when_field);
  }
}

// Declarations are code, so a malformed one is a bug: fail at start-up, loudly.
void CheckDeclaration(const RecordType& t, const std::vector<RecordType>& all) {
  auto fail = [&](const std::string& why) {
    throw std::logic_error("record type '" + t.name + "': " + why);
  };
  if (t.name.empty() || t.collection.empty() || t.prefix.empty())
    fail("name, collection and prefix are required");
  if (!t.Field(t.display_field)) fail("display field '" + t.display_field + "' is not declared");
  for (const auto& f : t.fields) {
    if (IsReservedFieldName(f.name)) fail("field '" + f.name + "' collides with a system field");
    if (f.type == FieldType::kEnum && f.enum_values.empty()) fail(f.name + ": enum without values");
    if (f.type == FieldType::kReference) {
      bool found = false;
      for (const auto& o : all) found |= o.name == f.ref_type;
      if (!found) fail(f.name + ": reference to unknown type '" + f.ref_type + "'");
    }
    for (const auto& source : f.derived_from) {
      const FieldDecl* s = t.Field(source);
      if (!s || s->type != FieldType::kReference)
        fail(f.name + ": derived from '" + source + "', which is not a reference field");
    }
  }
  if (!t.key_field.empty()) {
    const FieldDecl* k = t.Field(t.key_field);
    const bool unique = std::find(t.unique.begin(), t.unique.end(),
                                  std::vector<std::string>{t.key_field}) != t.unique.end();
    if (!k || k->type != FieldType::kText || !k->required || !unique)
      fail("key field '" + t.key_field + "' is not a required text field with a unique key");
  }
  for (const auto& key : t.unique)
    for (const auto& name : key)
      if (!t.Field(name)) fail("unique key names undeclared field '" + name + "'");
  for (const auto& index : t.indexes)
    for (const auto& name : index)
      if (!t.Field(name) && !IsReservedFieldName(name))
        fail("index names undeclared field '" + name + "'");
  for (const auto& o : all) {
    if (&o == &t) continue;
    if (o.name == t.name) fail("declared twice");
    if (o.collection == t.collection)
      fail("collection '" + t.collection + "' is also " + o.name + "'s");
    if (o.prefix == t.prefix) fail("prefix '" + t.prefix + "' is also " + o.name + "'s");
    // Indexes are named table_field (records/schema.cpp): one must not take
    // another type's table name.
    for (const auto& f : o.fields)
      if ((f.indexed || f.type == FieldType::kReference) && o.table() + "_" + f.name == t.table())
        fail("its table " + t.table() + " has the name of the index on " + o.name + "." + f.name);
  }
  for (size_t i = 0; i < t.fields.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (t.fields[i].name == t.fields[j].name)
        fail("field '" + t.fields[i].name + "' declared twice");
  if (t.states) {
    auto known = [&](const std::string& s) {
      for (const auto& x : t.states->states)
        if (x == s) return true;
      return false;
    };
    if (!known(t.states->initial)) fail("initial state is not a state");
    for (const auto& tr : t.states->transitions) {
      if (!known(tr.to)) fail("transition " + tr.name + " goes to an unknown state");
      for (const auto& f : tr.from)
        if (!known(f)) fail("transition " + tr.name + " starts from an unknown state");
      if (t.states->Find(tr.name) != &tr) fail("transition " + tr.name + " is declared twice");
      for (const auto& rule : tr.rules) CheckRule(t, tr, rule, fail);
    }
  }
}

}  // namespace

Registry::Registry(std::vector<RecordType> types) : types_(std::move(types)) {
  for (const auto& t : types_) CheckDeclaration(t, types_);
}

const RecordType* Registry::Find(std::string_view name) const {
  for (const auto& t : types_)
    if (t.name == name) return &t;
  return nullptr;
}

const RecordType* Registry::FindByCollection(std::string_view collection) const {
  for (const auto& t : types_)
    if (t.collection == collection) return &t;
  return nullptr;
}

const RecordType* Registry::FindByPrefix(std::string_view prefix) const {
  for (const auto& t : types_)
    if (t.prefix == prefix) return &t;
  return nullptr;
}

const std::vector<RelationDecl>& Registry::Relations() {
  static const std::vector<RelationDecl> kRelations = {
      {"affects", "affected_by", "an incident, change or risk affects a service or asset"},
      {"depends_on", "supports", "a service or CI needs another to work"},
      {"part_of", "has_part", "a component belongs to a larger service or asset"},
      {"mitigates", "mitigated_by", "a control, change or document reduces a risk"},
      {"caused_by", "causes", "an incident or problem was caused by another record"},
      {"supplied_by", "supplies", "a service or asset is provided by a supplier"},
      {"covered_by", "covers", "a service is covered by an agreement"},
      {"implements", "implemented_by", "a change implements a corrective action or treatment"},
      {"raised_from", "raises", "a nonconformity or problem was raised from another record"},
      {"documents", "documented_by", "a document describes a process, service or asset"},
      {"fulfils", "fulfilled_by",
       "a control, element, document or agreement meets an obligation or requirement"},
      {"arises_from", "gives_rise_to",
       "a risk arises from an obligation, context issue, vulnerability or change"},
      {"serves", "served_by", "an objective or measure serves a requirement or objective"},
      {"requires", "required_by", "a role requires a competence"},
      {"relates_to", "relates_to", "any other association"},
  };
  return kRelations;
}

const RelationDecl* Registry::FindRelation(std::string_view name) {
  for (const auto& r : Relations())
    if (r.name == name) return &r;
  return nullptr;
}

const Registry& BuiltinRegistry() {
  static const Registry kRegistry = [] {
    std::vector<RecordType> all;
    for (auto part : {StandardsTypes(), AssetTypes(), RiskTypes(), OperationsTypes(),
                      DeliveryTypes(), GovernanceContextTypes(), GovernanceSupportTypes(),
                      GovernanceTypes(), GovernanceAssuranceTypes(), TraceabilityTypes(),
                      ScopeTypes(), AssessmentTypes(), IntegrationTypes(), SoaTypes()})
      for (auto& t : part) all.push_back(std::move(t));
    return Registry(std::move(all));
  }();
  return kRegistry;
}

}  // namespace tandem::model
