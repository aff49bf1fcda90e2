// Time: a replaceable clock (tests fix it) and the civil-date and timestamp formats idreg prints.
#ifndef IDREG_CORE_CLOCK_H_
#define IDREG_CORE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "idreg/core/result.h"

namespace idreg {

// A calendar date (proleptic Gregorian, UTC).
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  // "YYYY-MM-DD".
  std::string ToString() const;
  bool IsValid() const;
  auto operator<=>(const Date&) const = default;
};

Result<Date> ParseDate(const std::string& yyyy_mm_dd);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;

  Date Today() const;
  // UTC, millisecond precision: "2026-11-30T04:57:20.123Z".
  std::string NowIso8601() const;

  // The wall clock; lives for the whole program.
  static const Clock& System();
};

// A clock that always reads the same instant (for tests and reproducible runs).
class FixedClock : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  static FixedClock AtDate(const Date& d);
  std::chrono::system_clock::time_point Now() const override { return t_; }

 private:
  std::chrono::system_clock::time_point t_;
};

std::string FormatIso8601(std::chrono::system_clock::time_point t);

}  // namespace idreg

#endif  // IDREG_CORE_CLOCK_H_
