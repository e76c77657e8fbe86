// Time: an injectable clock and the one textual form of instants and dates.
//
// Every timestamp Tandem stores is UTC in the fixed form
// "YYYY-MM-DDTHH:MM:SS.mmmZ", so text order is time order in both SQLite and
// PostgreSQL and values round-trip through export/import byte for byte.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock tests can set and advance.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint t) : now_(t) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint t) { now_ = t; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  TimePoint now_;
};

std::string FormatTimestamp(TimePoint t);

// Accepts RFC 3339 / ISO 8601 date-times with "Z" or a numeric offset and an
// optional fraction; returns nullopt for anything else, including impossible
// dates such as 2026-02-30.
std::optional<TimePoint> ParseTimestamp(std::string_view text);

// Accepts exactly "YYYY-MM-DD" naming a real calendar day.
bool IsValidDate(std::string_view text);

// The day of `t` (UTC), "YYYY-MM-DD".
std::string DateOf(TimePoint t);
// `date` ("YYYY-MM-DD", valid) plus `months` calendar months (negative: minus),
// the day clamped to the end of a shorter month: 2026-01-31 + 1 = 2026-02-28.
std::string AddMonths(std::string_view date, int months);
// `date` plus `days` days.
std::string AddDays(std::string_view date, int days);

}  // namespace tandem
