#include "idreg/core/clock.h"

#include <cstdio>

namespace idreg {

namespace chr = std::chrono;

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

bool Date::IsValid() const {
  if (year < 1 || year > 9999) return false;
  return chr::year_month_day(chr::year(year), chr::month(static_cast<unsigned>(month)),
                             chr::day(static_cast<unsigned>(day)))
      .ok();
}

Result<Date> ParseDate(const std::string& s) {
  auto bad = [&] {
    return Status::InvalidArgument("date must be a real calendar date as YYYY-MM-DD, got '" + s + "'");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad();
  auto digits = [&](size_t from, size_t n, int& out) {
    out = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  Date d;
  if (!digits(0, 4, d.year) || !digits(5, 2, d.month) || !digits(8, 2, d.day) || !d.IsValid()) return bad();
  return d;
}

Date Clock::Today() const {
  chr::year_month_day ymd{chr::floor<chr::days>(Now())};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string Clock::NowIso8601() const { return FormatIso8601(Now()); }

namespace {
class SystemClock : public Clock {
 public:
  chr::system_clock::time_point Now() const override { return chr::system_clock::now(); }
};
}  // namespace

const Clock& Clock::System() {
  static const SystemClock* clock = new SystemClock();
  return *clock;
}

FixedClock FixedClock::AtDate(const Date& d) {
  chr::sys_days days{chr::year(d.year) / chr::month(static_cast<unsigned>(d.month)) /
                     chr::day(static_cast<unsigned>(d.day))};
  return FixedClock(chr::system_clock::time_point(days) + chr::hours(12));
}

std::string FormatIso8601(chr::system_clock::time_point t) {
  auto days = chr::floor<chr::days>(t);
  chr::year_month_day ymd{days};
  chr::hh_mm_ss hms{chr::floor<chr::milliseconds>(t - days)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return buf;
}

}  // namespace idreg
