#include "core/clock.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

struct TimestampCase {
  const char* input;
  const char* normalized;  // nullptr: must be rejected
};

TEST(Clock, ParseTimestampTable) {
  const TimestampCase cases[] = {
      {"2026-11-23T09:00:00Z", "2026-11-23T09:00:00.000Z"},
      {"2026-11-23t09:00:00z", "2026-11-23T09:00:00.000Z"},
      {"2026-11-23T09:00:00.5Z", "2026-11-23T09:00:00.500Z"},
      {"2026-11-23T09:00:00.123456Z", "2026-11-23T09:00:00.123Z"},
      {"2026-11-23T09:00:00+02:00", "2026-11-23T07:00:00.000Z"},
      {"2026-11-23T01:00:00-03:30", "2026-11-23T04:30:00.000Z"},
      {"2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000Z"},
      {"2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"},
      {"2026-11-23T09:00:00", nullptr},  // no zone: ambiguous
      {"2026-11-23 09:00:00Z", nullptr},
      {"2026-02-29T12:00:00Z", nullptr},  // not a leap year
      {"2026-13-01T00:00:00Z", nullptr},
      {"2026-11-23T24:00:00Z", nullptr},
      {"2026-11-23T09:60:00Z", nullptr},
      {"2026-11-23T09:00:00.Z", nullptr},
      {"2026-11-23T09:00:00+2:00", nullptr},
      {"2026-11-23T09:00:00Zjunk", nullptr},
      {"", nullptr},
      {"yesterday", nullptr},
  };
  for (const auto& c : cases) {
    auto t = ParseTimestamp(c.input);
    if (!c.normalized) {
      EXPECT_FALSE(t.has_value()) << c.input;
    } else {
      ASSERT_TRUE(t.has_value()) << c.input;
      EXPECT_EQ(FormatTimestamp(*t), c.normalized) << c.input;
    }
  }
}

TEST(Clock, IsValidDateTable) {
  const std::pair<const char*, bool> cases[] = {
      {"2026-11-23", true},  {"2024-02-29", true}, {"2026-02-29", false},
      {"2026-04-31", false}, {"2026-1-01", false}, {"2026-01-01T00:00:00Z", false},
      {"", false},           {"0000-01-01", true},
  };
  for (const auto& [text, ok] : cases) EXPECT_EQ(IsValidDate(text), ok) << text;
}

TEST(Clock, CalendarArithmeticTable) {
  struct Case {
    const char* date;
    int months, days;
    const char* want;
  };
  const Case cases[] = {
      {"2026-01-31", 1, 0, "2026-02-28"},  {"2028-01-31", 1, 0, "2028-02-29"},
      {"2026-11-30", 3, 0, "2027-02-28"},  {"2026-03-15", -3, 0, "2025-12-15"},
      {"2026-12-06", 12, 0, "2027-12-06"}, {"2026-12-31", 0, 1, "2027-01-01"},
      {"2028-02-28", 0, 1, "2028-02-29"},  {"2026-03-01", 0, -1, "2026-02-28"},
      {"2026-12-06", 0, 30, "2027-01-05"},
  };
  for (const auto& c : cases) {
    const std::string got = c.months ? AddMonths(c.date, c.months) : AddDays(c.date, c.days);
    EXPECT_EQ(got, c.want) << c.date << " + " << c.months << " months " << c.days << " days";
  }
  EXPECT_EQ(DateOf(*ParseTimestamp("2026-12-06T23:59:59Z")), "2026-12-06");
}

TEST(Clock, ManualClockAdvances) {
  ManualClock clock(*ParseTimestamp("2026-11-23T09:00:00Z"));
  clock.Advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2026-11-23T09:00:01.500Z");
}

}  // namespace
}  // namespace tandem
