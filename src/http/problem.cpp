#include "http/problem.h"

#include <spdlog/spdlog.h>

namespace tandem::http {

using nlohmann::json;

void WriteJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void WriteProblem(httplib::Response& res, const Error& error, const std::string& instance,
                  const std::string& request_id) {
  const ErrorInfo& info = Describe(error.code);
  json p = {{"type", info.type},
            {"title", info.title},
            {"status", info.http_status},
            {"instance", instance},
            {"request_id", request_id}};
  if (info.http_status >= 500) {
    spdlog::error("request {} {}: {}", request_id, instance, error.detail);
    p["detail"] = "The server could not complete the request. Quote request id " + request_id +
                  " when reporting this.";
  } else {
    p["detail"] = error.detail;
  }
  if (!error.fields.empty()) {
    p["errors"] = json::array();
    for (const auto& f : error.fields)
      p["errors"].push_back({{"field", f.field}, {"message", f.message}});
  }
  if (!error.rule.empty()) p["rule"] = error.rule;
  res.status = info.http_status;
  if (info.http_status == 503 || info.http_status == 429)
    res.set_header("Retry-After",
                   std::to_string(error.retry_after_seconds > 0 ? error.retry_after_seconds
                                  : info.http_status == 503     ? 1
                                                                : 60));
  // RFC 9110 11.6.1: every 401 names the scheme that would be accepted.
  if (info.http_status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"tandem\"");
  res.set_content(p.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/problem+json");
}

}  // namespace tandem::http
