// Record fields as the pages show and edit them: display text, form inputs
// and reading a submitted form back into the engine's JSON (internal to
// src/web).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "web/pages.h"

namespace tandem::web {

// A declared or custom field. `key` names it in forms and errors: "title",
// or "custom.vendor" for a custom field (as the engine's errors do).
struct FieldRef {
  model::FieldDecl decl;
  bool custom = false;
  std::string key;
};

enum class Fields { kShown, kEditable };
// Declared fields, then custom ones: every field a person may see (internal
// ones never), or only those a form may set (not computed).
std::vector<FieldRef> FieldsOf(const records::Engine& engine, const model::RecordType& type,
                               Fields which);

// The field's value in a record (null when unset).
const nlohmann::json& ValueOf(const nlohmann::json& record, const FieldRef& f);
// The value as a person reads it: "Yes", "in progress", "2026-11-23 09:00 UTC".
std::string DisplayText(const model::FieldDecl& f, const nlohmann::json& v);
// "policy-v3.pdf (120 KiB, application/pdf)" for a file field's value.
std::string FileLabel(const nlohmann::json& file);
// A file field's value on a record page: its label, linked to its download.
Data FileData(const model::RecordType& type, int64_t id, const model::FieldDecl& f,
              const nlohmann::json& v);
// Template data for a value: text, and href for a reference or pre for prose.
Data DisplayData(const records::Engine& engine, const model::FieldDecl& f, const nlohmann::json& v);

// The value as a form input holds it ("" for null).
std::string InputText(const model::Registry& registry, const model::FieldDecl& f,
                      const nlohmann::json& v);
// What the form sent, in the shape of a record (strings), to show it again.
nlohmann::json FormEcho(const Page& p, const std::vector<FieldRef>& fields);

// The submitted form as an engine body for `fields`. Empty inputs are left
// out on create (defaults apply) and sent as null on edit. Inputs the form
// itself can tell are wrong (a number that is not one, an unknown record
// number) are added to `errors`, keyed like the engine's.
nlohmann::json ReadForm(const Page& p, const std::vector<FieldRef>& fields, bool create,
                        std::vector<FieldError>& errors);

// Form controls for `fields` of `type` with `values` (the record, or what
// was typed), `errors` beside each, and the modules' hints in their help.
Data FormFieldsData(Page& p, const model::RecordType& type, const std::vector<FieldRef>& fields,
                    const nlohmann::json& values, const std::vector<FieldError>& errors);

}  // namespace tandem::web
