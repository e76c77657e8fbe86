// Building blocks of the OpenAPI 3.1 document. Each route declares its own
// operation with these (http/router.h), beside its handler, so the document
// is written where the behaviour is; BuildOpenApi adds the shared
// components and collects every route's operation.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "model/record_type.h"

namespace tandem::http {

class Router;

// The whole document: the shared components and every route of `router`.
nlohmann::json BuildOpenApi(const Router& router);

namespace oas {

using nlohmann::json;

// The JSON Schema of a declared field's value.
json FieldSchema(const model::FieldDecl& f);

json Ref(const std::string& schema_name);  // #/components/schemas/NAME
json JsonContent(const json& schema);
// PATCH bodies: plain JSON or a JSON merge patch (RFC 7396), read alike.
json MergePatchContent(const json& schema);
json Response(const std::string& description, const json& schema);
json NoContent(const std::string& description);
// References to the shared problem+json responses, one per status code.
json Errors(std::initializer_list<int> codes);
json Header(const std::string& description);
// A response that sets (or clears) the session cookie.
json WithSessionCookie(json response, const std::string& what);
json PathParam(const std::string& name, const json& schema, const std::string& description = "");
json QueryParam(const std::string& name, const json& schema, bool required,
                const std::string& description);
// The shared path parameter {id}: a numeric id or a record number.
json RecordIdParam();

json ArrayOf(const json& items);
json String();
json Int64();
json Boolean();
json DateTime();
json Nullable(json schema);
// An object the server writes: every property is always present but the
// `optional` ones.
json Output(const json& properties, std::initializer_list<const char*> optional = {});
// A request body whose unknown members are refused (422).
json Input(const json& properties, const json& required = json::array());
// A request body of required strings (other members are ignored).
json StringFields(std::initializer_list<const char*> names);

// An operation that needs a session cookie or an API token: 401 without
// valid credentials; 403 when the caller's roles or a read-only token do not
// allow it, a session's X-CSRF-Token is missing, or signing in is unfinished.
json Op(const std::string& id, const std::string& summary, const std::string& tag, json responses);
// An operation anyone may call; credentials are read if sent.
json PublicOp(const std::string& id, const std::string& summary, const std::string& tag,
              json responses);
// The operation's JSON body (`content`, from JsonContent or MergePatchContent)
// and what a bad one gets: 400 malformed, 413 too large, 415 not JSON, 422
// invalid members.
void SetBody(json& op, json content);
// A download: `media_type` with a binary body, beside the JSON answer.
void AddFileContent(json& response, const char* media_type);

}  // namespace oas

}  // namespace tandem::http
