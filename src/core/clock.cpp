#include "core/clock.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace tandem {

using namespace std::chrono;

TimePoint SystemClock::Now() const { return time_point_cast<milliseconds>(system_clock::now()); }

std::string FormatTimestamp(TimePoint t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

namespace {

// Reads exactly `n` digits at `pos`; advances pos.
bool Digits(std::string_view s, size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<sys_days> ParseDay(std::string_view s, size_t& pos) {
  int y, m, d;
  if (!Digits(s, pos, 4, y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, m) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

}  // namespace

bool IsValidDate(std::string_view text) {
  size_t pos = 0;
  return ParseDay(text, pos).has_value() && pos == text.size();
}

std::optional<TimePoint> ParseTimestamp(std::string_view s) {
  size_t pos = 0;
  auto day = ParseDay(s, pos);
  if (!day) return std::nullopt;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return std::nullopt;
  ++pos;
  int hh, mm, ss;
  if (!Digits(s, pos, 2, hh) || !Expect(s, pos, ':') || !Digits(s, pos, 2, mm) ||
      !Expect(s, pos, ':') || !Digits(s, pos, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100, ndigits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      millis += (s[pos] - '0') * scale;  // digits past milliseconds are dropped
      scale /= 10;
      ++pos;
      ++ndigits;
    }
    if (ndigits == 0) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!Digits(s, pos, 2, oh) || !Expect(s, pos, ':') || !Digits(s, pos, 2, om) || oh > 23 ||
        om > 59)
      return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  if (pos != s.size()) return std::nullopt;
  TimePoint t = *day + hours{hh} + minutes{mm} + seconds{ss} + milliseconds{millis};
  return t - minutes{offset_minutes};
}

std::string DateOf(TimePoint t) { return FormatTimestamp(t).substr(0, 10); }

namespace {

std::chrono::year_month_day ParseDay(std::string_view date) {
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = std::stoul(std::string(date.substr(5, 2)));
  const unsigned d = std::stoul(std::string(date.substr(8, 2)));
  return {std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

std::string FormatDay(std::chrono::year_month_day ymd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

std::string AddMonths(std::string_view date, int months) {
  using namespace std::chrono;
  const year_month_day ymd = ParseDay(date);
  const year_month ym = year_month(ymd.year(), ymd.month()) + std::chrono::months(months);
  const day last = year_month_day_last(ym.year(), month_day_last(ym.month())).day();
  return FormatDay({ym.year(), ym.month(), std::min(ymd.day(), last)});
}

std::string AddDays(std::string_view date, int days) {
  using namespace std::chrono;
  return FormatDay(year_month_day(sys_days(ParseDay(date)) + std::chrono::days(days)));
}

}  // namespace tandem
