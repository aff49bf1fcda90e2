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
  Date d;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &tail) != 3 ||
      !d.IsValid()) {
    return Status::InvalidArgument("date must be a real calendar date as YYYY-MM-DD, got '" + s + "'");
  }
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
