// The set of record types the engine serves, and the typed link relations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/record_type.h"

namespace tandem::model {

struct RelationDecl {
  std::string name;     // stored on the link, read from its source: "mitigates"
  std::string inverse;  // read from its target: "mitigated_by"
  std::string description;
};

class Registry {
 public:
  explicit Registry(std::vector<RecordType> types);

  const std::vector<RecordType>& types() const { return types_; }
  const RecordType* Find(std::string_view name) const;
  const RecordType* FindByCollection(std::string_view collection) const;
  // Finds the record type whose number prefix is `prefix` ("INC").
  const RecordType* FindByPrefix(std::string_view prefix) const;

  static const std::vector<RelationDecl>& Relations();
  static const RelationDecl* FindRelation(std::string_view name);

 private:
  std::vector<RecordType> types_;
};

// Every built-in record type, declared in model/types/*.cpp.
const Registry& BuiltinRegistry();

// Per-area declaration lists, concatenated by BuiltinRegistry().
std::vector<RecordType> StandardsTypes();
std::vector<RecordType> AssetTypes();
std::vector<RecordType> RiskTypes();
std::vector<RecordType> OperationsTypes();
std::vector<RecordType> DeliveryTypes();
std::vector<RecordType> GovernanceTypes();
std::vector<RecordType> GovernanceContextTypes();
std::vector<RecordType> GovernanceSupportTypes();
std::vector<RecordType> GovernanceAssuranceTypes();
std::vector<RecordType> TraceabilityTypes();
std::vector<RecordType> ScopeTypes();
std::vector<RecordType> AssessmentTypes();
std::vector<RecordType> IntegrationTypes();
std::vector<RecordType> SoaTypes();

}  // namespace tandem::model
