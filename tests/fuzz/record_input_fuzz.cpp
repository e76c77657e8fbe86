// A request body on its way to a record: the nesting check and JSON parser
// the API runs (http/api.cpp ParseBody), then validation against a record
// type's declaration as a create and as a patch (records/codec.h).
// Input: a record type name (e.g. "incident"), a newline, the body.
// Properties: nothing crashes; what validation accepts serializes again and
// validates again unchanged (it is what gets stored).
#include <nlohmann/json.hpp>

#include "core/json_depth.h"
#include "fuzz_input.h"
#include "records/codec.h"

using namespace tandem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [name, body_text] = fuzz::FirstLine(fuzz::AsText(data, size));
  const model::RecordType& type = fuzz::TypeNamed(name);
  if (JsonNestingDepth(body_text) > 64) return 0;  // the API refuses it before parsing
  auto body = nlohmann::json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  for (auto mode : {records::InputMode::kCreate, records::InputMode::kPatch}) {
    auto accepted = records::ValidateInput(type, {}, body, mode);
    if (!accepted.ok()) continue;
    const std::string stored = accepted->dump();
    if (mode == records::InputMode::kPatch) {
      auto again = records::ValidateInput(type, {}, nlohmann::json::parse(stored), mode);
      if (!again.ok()) fuzz::Fail("an accepted patch is refused when sent again");
      if (again->dump() != stored) fuzz::Fail("validating an accepted patch changes it");
    }
  }
  return 0;
}
