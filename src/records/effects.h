// The changes a hook makes to other records (records::Effects), as the
// engine carries them out, and a create body once validated: internal to
// src/records.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "records/engine.h"

namespace tandem::records {

struct Engine::NewRecord {
  nlohmann::json values;
  std::optional<std::string> restricted_to;
};

class Engine::HookEffects : public Effects {
 public:
  // `depth`: how many hooks deep the write being hooked is; `cause`: the
  // number of its record (what the changes name as their cause).
  HookEffects(Engine& engine, store::Connection& c, const Actor& actor, int depth,
              std::string cause)
      : engine_(engine), c_(c), actor_(actor), depth_(depth), cause_(std::move(cause)) {}
  void SetCause(std::string cause) { cause_ = std::move(cause); }

  Result<nlohmann::json> Create(const std::string& type, const nlohmann::json& body) override;
  Result<nlohmann::json> Update(const std::string& type, int64_t id,
                                const nlohmann::json& changes) override;
  Result<nlohmann::json> Transition(const std::string& type, int64_t id,
                                    const std::string& transition) override;
  Status Link(const std::string& from_type, int64_t from_id, const std::string& relation,
              const std::string& to_type, int64_t to_id, const std::string& note) override;

 private:
  // The type named, when one more level of hooks is allowed.
  Result<const model::RecordType*> Next(const std::string& type) const;

  Engine& engine_;
  store::Connection& c_;
  const Actor& actor_;
  int depth_;
  std::string cause_;
};

}  // namespace tandem::records
