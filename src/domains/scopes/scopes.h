// Scopes of the management systems and how they overlap (ISO/IEC 27013 5.2).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "records/engine.h"
#include "records/hooks.h"

namespace tandem::domains {

void RegisterScopeHooks(records::HookRegistry& hooks);

// The scope in force of each management system ("isms", "sms", "qms") that
// has one: the approved scope of the latest period, else the latest draft.
Result<std::map<std::string, nlohmann::json>> ScopesInForce(records::Engine& engine,
                                                            const records::Actor& actor);

// What the ISMS and SMS scopes in force hold (per system the approved scope of
// the latest period, else the latest draft), by kind of member, as `actor`
// sees it:
// {"scopes": {"isms": {...}|null, "sms": ...}, "kinds": {"service": {"in_both":
// [...], "isms_only": [...], "sms_only": [...]}, ...}, "warnings": [{"code",
// "member", "message"}]}. Warnings are what ISO/IEC 27013 5.2 implies: a
// service in the SMS scope but outside the ISMS scope; a process operated by
// another party inside the SMS scope; a management system without a scope.
Result<nlohmann::json> ScopeOverlap(records::Engine& engine, const records::Actor& actor);

}  // namespace tandem::domains
