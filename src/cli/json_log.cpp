#include "cli/json_log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace tandem::cli {

namespace {

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using nlohmann::json;
    const auto level = spdlog::level::to_string_view(msg.level);
    json line = {{"time", FormatTimestamp(
                              std::chrono::time_point_cast<std::chrono::milliseconds>(msg.time))},
                 {"level", std::string(level.data(), level.size())},
                 {"logger", std::string(msg.logger_name.data(), msg.logger_name.size())}};
    const std::string payload(msg.payload.data(), msg.payload.size());
    json fields = msg.logger_name == "access" ? json::parse(payload, nullptr, false) : json();
    if (fields.is_object())
      line.update(fields);
    else
      line["msg"] = payload;
    const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void UseJsonLogs() { spdlog::set_formatter(std::make_unique<JsonFormatter>()); }

}  // namespace tandem::cli
