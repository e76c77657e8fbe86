#include "domains/module.h"

#include <algorithm>

namespace tandem::domains {

namespace {

bool Has(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

void NameCheck::Missing(const std::string& what) {
  missing_.push_back((module_.empty() ? "" : module_ + ": ") + what);
}

const model::RecordType* NameCheck::Find(const std::string& type) {
  const model::RecordType* t = registry_.Find(type);
  if (!t) Missing("record type '" + type + "'");
  return t;
}

NameCheck& NameCheck::Type(const std::string& type) {
  Find(type);
  return *this;
}

NameCheck& NameCheck::Fields(const std::string& type, std::initializer_list<const char*> fields) {
  if (const auto* t = Find(type))
    for (const char* f : fields)
      if (!t->Field(f) && !model::IsReservedFieldName(f)) Missing(type + "." + f);
  return *this;
}

NameCheck& NameCheck::Values(const std::string& type, const std::string& field,
                             std::initializer_list<const char*> values) {
  const auto* t = Find(type);
  if (!t) return *this;
  const auto* f = t->Field(field);
  if (!f || f->type != model::FieldType::kEnum) {
    Missing(type + "." + field + " (an enum)");
    return *this;
  }
  for (const char* v : values)
    if (!Has(f->enum_values, v)) Missing(type + "." + field + " value '" + v + "'");
  return *this;
}

NameCheck& NameCheck::States(const std::string& type, std::initializer_list<const char*> states) {
  const auto* t = Find(type);
  if (!t) return *this;
  for (const char* s : states)
    if (!t->states || !Has(t->states->states, s)) Missing(type + " state '" + s + "'");
  return *this;
}

NameCheck& NameCheck::Transitions(const std::string& type,
                                  std::initializer_list<const char*> transitions) {
  const auto* t = Find(type);
  if (!t) return *this;
  for (const char* tr : transitions)
    if (!t->states || !t->states->Find(tr)) Missing(type + " transition '" + tr + "'");
  return *this;
}

NameCheck& NameCheck::Relations(std::initializer_list<const char*> relations) {
  for (const char* r : relations)
    if (!model::Registry::FindRelation(r)) Missing(std::string("relation '") + r + "'");
  return *this;
}

Status NameCheck::Verify() const {
  if (missing_.empty()) return Status::Ok();
  std::string list;
  for (const auto& m : missing_) list += (list.empty() ? "" : "; ") + m;
  return MakeError(ErrorCode::kInternal, "names used by domain code are not declared: " + list);
}

std::vector<std::unique_ptr<Module>> BuiltinModules() {
  std::vector<std::unique_ptr<Module>> m;
  m.push_back(StandardsModule());
  m.push_back(ScopesModule());
  m.push_back(IntegrationModule());
  m.push_back(RiskModule());
  m.push_back(OperationsModule());
  m.push_back(DeliveryModule());
  m.push_back(GovernanceModule());
  return m;
}

records::HookRegistry HooksOf(const std::vector<std::unique_ptr<Module>>& modules) {
  records::HookRegistry hooks;
  for (const auto& m : modules) m->AddHooks(hooks);
  return hooks;
}

Status CheckNames(const std::vector<std::unique_ptr<Module>>& modules,
                  const model::Registry& registry) {
  NameCheck names(registry);
  for (const auto& m : modules) {
    names.SetModule(std::string(m->name()));
    m->DeclareNames(names);
  }
  return names.Verify();
}

}  // namespace tandem::domains
