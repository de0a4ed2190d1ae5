//! The proleptic Gregorian calendar in UTC: civil dates and times to and from Unix seconds,
//! month arithmetic and weekdays, the few operations the time axis and date labels need.
//!
//! This replaced the `jiff` crate (issue 6, the download size): jiff cost about 90 KB of the
//! page's wasm (30 KB of code, the rest its error and time-zone parser strings and `Debug`
//! tables) for what is here some 150 lines. The names and the range follow jiff's, so the
//! callers read the same: years -9999 to 9999, instants from -377705023201 to 253402207200
//! seconds, `Date::new` refusing days a month does not have, month arithmetic clamping the
//! day (31 January plus a month is 28 or 29 February).
//! The conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`.

use std::fmt;

const DAY_SECS: i64 = 86_400;
/// jiff's `Timestamp::MIN` and `MAX` in seconds: any civil time of years -9999..=9999 at any
/// offset fits.
const MIN_SECS: i64 = -377_705_023_201;
const MAX_SECS: i64 = 253_402_207_200;

/// A date or time outside the calendar's range, or a day a month does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeError;

/// A span of whole months (a year is twelve), for [`Date::checked_add`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    months: i64,
}

/// `3.months()`, `1.years()`, as with jiff.
pub trait ToSpan {
    fn months(self) -> Span;
    fn years(self) -> Span;
}

impl ToSpan for i32 {
    fn months(self) -> Span {
        Span {
            months: i64::from(self),
        }
    }
    fn years(self) -> Span {
        Span {
            months: i64::from(self) * 12,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Monday is 0, Sunday 6.
    pub fn to_monday_zero_offset(self) -> i8 {
        self as i8
    }
}

/// A civil date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i16,
    month: i8,
    day: i8,
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a civil date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `days` after 1970-01-01 (also the generator's).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl Date {
    /// 1 January of the year 0, what jiff calls `Date::ZERO`.
    pub const ZERO: Date = Date {
        year: 0,
        month: 1,
        day: 1,
    };

    pub fn new(year: i16, month: i8, day: i8) -> Result<Date, RangeError> {
        let valid = (-9999..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && i64::from(day) <= days_in_month(i64::from(year), i64::from(month));
        if valid {
            Ok(Date { year, month, day })
        } else {
            Err(RangeError)
        }
    }

    fn from_days(days: i64) -> Result<Date, RangeError> {
        let (y, m, d) = civil_from_days(days);
        Date::new(i16::try_from(y).map_err(|_| RangeError)?, m as i8, d as i8)
    }

    fn days(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    pub fn year(self) -> i16 {
        self.year
    }
    pub fn month(self) -> i8 {
        self.month
    }
    pub fn day(self) -> i8 {
        self.day
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (Monday-zero offset 3).
        match (self.days() + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    pub fn first_of_month(self) -> Date {
        Date { day: 1, ..self }
    }

    pub fn first_of_year(self) -> Date {
        Date {
            month: 1,
            day: 1,
            ..self
        }
    }

    /// Adds whole months, keeping the day when the month has it and else taking its last day.
    pub fn checked_add(self, span: Span) -> Result<Date, RangeError> {
        let months = i64::from(self.year) * 12 + i64::from(self.month) - 1 + span.months;
        let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
        let day = i64::from(self.day).min(days_in_month(year, month));
        Date::new(
            i16::try_from(year).map_err(|_| RangeError)?,
            month as i8,
            day as i8,
        )
    }

    pub fn checked_sub(self, span: Span) -> Result<Date, RangeError> {
        self.checked_add(Span {
            months: -span.months,
        })
    }

    pub fn to_datetime(self, time: Time) -> DateTime {
        DateTime::from_parts(self, time)
    }
}

/// `2025-10-24`; years before 1 as jiff writes them (`-000044-03-15`).
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            f.write_str("-00")?;
        }
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year.unsigned_abs(),
            self.month,
            self.day
        )
    }
}

/// A time of day, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    hour: i8,
    minute: i8,
    second: i8,
}

impl Time {
    /// Like jiff's, with the sub-second part, which must be 0 here (nothing finer is drawn).
    pub fn new(
        hour: i8,
        minute: i8,
        second: i8,
        subsec_nanosecond: i32,
    ) -> Result<Time, RangeError> {
        if (0..24).contains(&hour)
            && (0..60).contains(&minute)
            && (0..60).contains(&second)
            && subsec_nanosecond == 0
        {
            Ok(Time {
                hour,
                minute,
                second,
            })
        } else {
            Err(RangeError)
        }
    }

    pub const fn midnight() -> Time {
        Time {
            hour: 0,
            minute: 0,
            second: 0,
        }
    }
}

/// A civil date and time, read as UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    date: Date,
    time: Time,
}

impl DateTime {
    pub const fn from_parts(date: Date, time: Time) -> DateTime {
        DateTime { date, time }
    }

    /// The UTC date and time at `secs`; `Err` outside the calendar's range.
    pub fn from_unix_seconds(secs: i64) -> Result<DateTime, RangeError> {
        if !(MIN_SECS..=MAX_SECS).contains(&secs) {
            return Err(RangeError);
        }
        let date = Date::from_days(secs.div_euclid(DAY_SECS))?;
        let s = secs.rem_euclid(DAY_SECS);
        let time = Time {
            hour: (s / 3600) as i8,
            minute: (s / 60 % 60) as i8,
            second: (s % 60) as i8,
        };
        Ok(DateTime { date, time })
    }

    /// Seconds since 1970-01-01T00:00:00Z; `Err` outside the calendar's range.
    pub fn unix_seconds(self) -> Result<i64, RangeError> {
        let t = self.time;
        let secs = self.date.days() * DAY_SECS
            + i64::from(t.hour) * 3600
            + i64::from(t.minute) * 60
            + i64::from(t.second);
        if (MIN_SECS..=MAX_SECS).contains(&secs) {
            Ok(secs)
        } else {
            Err(RangeError)
        }
    }

    pub fn date(self) -> Date {
        self.date
    }
    pub fn time(self) -> Time {
        self.time
    }
    pub fn year(self) -> i16 {
        self.date.year
    }
    pub fn month(self) -> i8 {
        self.date.month
    }
    pub fn day(self) -> i8 {
        self.date.day
    }
    pub fn hour(self) -> i8 {
        self.time.hour
    }
    pub fn minute(self) -> i8 {
        self.time.minute
    }
    pub fn second(self) -> i8 {
        self.time.second
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip_across_eras_and_leap_years() {
        for days in (-4_000_000..4_000_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(0, 1, 1), -719_528);
    }

    #[test]
    fn dates_are_checked_like_jiff() {
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2025, 2, 29).is_err());
        assert!(Date::new(1900, 2, 29).is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(10_000, 1, 1).is_err());
        assert!(Date::new(-9999, 1, 1).is_ok());
        assert!(Date::new(2025, 13, 1).is_err());
        assert!(Time::new(24, 0, 0, 0).is_err());
    }

    #[test]
    fn instants_convert_within_jiffs_range() {
        let dt = DateTime::from_unix_seconds(1_761_302_096).expect("in range");
        assert_eq!(
            (
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            ),
            (2025, 10, 24, 10, 34, 56)
        );
        assert_eq!(dt.unix_seconds(), Ok(1_761_302_096));
        assert!(DateTime::from_unix_seconds(MAX_SECS).is_ok());
        assert!(DateTime::from_unix_seconds(MAX_SECS + 1).is_err());
        assert!(DateTime::from_unix_seconds(MIN_SECS - 1).is_err());
        let last = Date::new(9999, 12, 31)
            .expect("valid")
            .to_datetime(Time::midnight());
        assert!(last.unix_seconds().is_err(), "past jiff's Timestamp::MAX");
    }

    #[test]
    fn months_clamp_the_day_and_weekdays_follow_the_calendar() {
        let jan31 = Date::new(2024, 1, 31).expect("valid");
        assert_eq!(jan31.checked_add(1.months()), Date::new(2024, 2, 29));
        assert_eq!(jan31.checked_sub(2.months()), Date::new(2023, 11, 30));
        assert_eq!(
            Date::new(2024, 2, 29)
                .expect("valid")
                .checked_sub(1.years()),
            Date::new(2023, 2, 28)
        );
        assert!(
            Date::new(9999, 12, 1)
                .expect("valid")
                .checked_add(1.months())
                .is_err()
        );
        assert_eq!(
            Date::new(2025, 11, 24).expect("valid").weekday(),
            Weekday::Monday
        );
        assert_eq!(
            Date::new(1970, 1, 1).expect("valid").weekday(),
            Weekday::Thursday
        );
        assert_eq!(
            Date::new(-44, 3, 15).expect("valid").to_string(),
            "-000044-03-15"
        );
        assert_eq!(Date::new(5, 3, 1).expect("valid").to_string(), "0005-03-01");
    }
}
