// Writing responses: JSON bodies and RFC 9457 problem details.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace tandem::http {

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body);

// problem+json from an Error. 5xx responses carry only the request id, never
// internals; the detail goes to the log instead.
void WriteProblem(httplib::Response& res, const Error& error, const std::string& instance,
                  const std::string& request_id);

}  // namespace tandem::http
