//! Dates as journalists know them: EDTF strings (ISO 8601-2 level 1) resolved to a span of
//! time that keeps its precision and its qualifiers, so "in October" stays a month and
//! "about 24–26 October" stays approximate all the way to the drawing.
//!
//! Parsing and validation come from `edtf-core`; calendar arithmetic from [`crate::story::calendar`]. Times are
//! seconds since the Unix epoch, UTC; a date without a time zone is taken as UTC.

use crate::story::calendar::{Date, DateTime, Time, ToSpan};
use edtf_core::{Bound, BoundDate, Edtf, IntervalEndpoint, Precision as EdtfPrecision};

/// Seconds in a day, the unit of every date without a time.
pub const DAY_SECS: i64 = 86_400;

/// How finely a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    /// A season or quarter (EDTF sub-year groupings 21–41).
    Season,
    Month,
    Day,
    /// A date with a time of day.
    Time,
}

/// A resolved date: the span `[start_secs, end_secs)` it covers, and what is known about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub start_secs: i64,
    /// Exclusive end: `2025-10` ends at the first second of November.
    pub end_secs: i64,
    /// The coarsest precision among the given endpoints.
    pub precision: Precision,
    /// Written as an interval `a/b` rather than a single date.
    pub interval: bool,
    /// `~` somewhere: the date is an estimate.
    pub approximate: bool,
    /// `?` somewhere: the source is unsure of it.
    pub uncertain: bool,
    /// `../b` or `/b`: the start is open or unknown; `start_secs` is then the start of `b`.
    pub open_start: bool,
    /// `a/..` or `a/`: the end is open or unknown; `end_secs` is then the end of `a`.
    pub open_end: bool,
}

/// Why a date string could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("the date is empty")]
    Empty,
    #[error(
        "\"{text}\" is not a valid date ({reason}); write dates like 2025-11-18, 2025-10, 2025-10-24/2025-10-26 or 2025-10~"
    )]
    Invalid { text: String, reason: String },
    #[error("\"{0}\" is a set of dates; give one date or an interval instead")]
    Set(String),
    #[error("\"{0}\" has no known date at either end")]
    Unbounded(String),
    #[error("\"{0}\" is outside the years this tool can draw")]
    OutOfRange(String),
    #[error("\"{0}\" ends before it starts")]
    Reversed(String),
}

impl When {
    /// Parses an EDTF date, date-time or interval.
    pub fn parse(text: &str) -> Result<When, DateError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DateError::Empty);
        }
        let normalised = add_missing_seconds(text);
        let edtf = Edtf::parse(&normalised).map_err(|e| DateError::Invalid {
            text: text.to_owned(),
            reason: e.message.to_owned(),
        })?;
        let out_of_range = || DateError::OutOfRange(text.to_owned());
        let when = match &edtf {
            Edtf::Date(d) => {
                let (start_secs, end_secs) = day_span(&edtf.bounds()).ok_or_else(out_of_range)?;
                When::single(start_secs, end_secs, precision_of(d.precision()))
            }
            Edtf::DateTime(dt) => {
                let date = bound_day(dt.date.year.value(), dt.date.month, dt.date.day)
                    .ok_or_else(out_of_range)?;
                let time = Time::new(
                    dt.time.hour as i8,
                    dt.time.minute as i8,
                    dt.time.second.min(59) as i8,
                    0,
                )
                .map_err(|_| out_of_range())?;
                let shift_secs = match dt.time.shift {
                    Some(edtf_core::TimeShift::Offset { minutes, .. }) => i64::from(minutes) * 60,
                    _ => 0,
                };
                let start = secs_of(DateTime::from_parts(date, time)).ok_or_else(out_of_range)?
                    - shift_secs;
                When::single(start, start + 60, Precision::Time)
            }
            Edtf::Interval(iv) => {
                let start = endpoint_span(&iv.start).map_err(|()| out_of_range())?;
                let end = endpoint_span(&iv.end).map_err(|()| out_of_range())?;
                let (s, e) = match (start, end) {
                    (Some(s), Some(e)) => (s, e),
                    (Some(s), None) => (s, s),
                    (None, Some(e)) => (e, e),
                    (None, None) => return Err(DateError::Unbounded(text.to_owned())),
                };
                if e.1 < s.0 + 1 || e.0 < s.0 {
                    return Err(DateError::Reversed(text.to_owned()));
                }
                When {
                    start_secs: s.0,
                    end_secs: e.1,
                    precision: s.2.min(e.2),
                    interval: true,
                    approximate: false,
                    uncertain: false,
                    open_start: start.is_none(),
                    open_end: end.is_none(),
                }
            }
            Edtf::Set(_) => return Err(DateError::Set(text.to_owned())),
        };
        Ok(When {
            approximate: edtf.is_approximate(),
            uncertain: edtf.is_uncertain(),
            ..when
        })
    }

    fn single(start_secs: i64, end_secs: i64, precision: Precision) -> When {
        When {
            start_secs,
            end_secs,
            precision,
            interval: false,
            approximate: false,
            uncertain: false,
            open_start: false,
            open_end: false,
        }
    }

    /// The middle of the span, where a point mark is drawn.
    pub fn mid_secs(&self) -> f64 {
        (self.start_secs as f64 + self.end_secs as f64) / 2.0
    }

    /// True if the span shares any instant with `[start, end)`; open ends reach forever.
    pub fn overlaps(&self, start_secs: i64, end_secs: i64) -> bool {
        (self.open_start || self.start_secs < end_secs)
            && (self.open_end || self.end_secs > start_secs)
    }

    /// Drawn as a single point (a day or a moment) rather than a band or a bar.
    pub fn is_point(&self) -> bool {
        !self.interval && self.precision >= Precision::Day
    }

    /// The resolved date in words, e.g. "24–26 Oct 2025 (approximate)".
    pub fn label(&self) -> String {
        let mut out = if self.interval {
            let first = self.start_secs;
            let last = self.end_secs - 1;
            let from = describe(first, self.precision, true);
            let to = describe(last, self.precision, false);
            match (self.open_start, self.open_end) {
                (true, false) => format!("until {}", describe(last, self.precision, false)),
                (false, true) => format!("from {}", describe(first, self.precision, false)),
                _ => join_range(&from, &to, first, last, self.precision),
            }
        } else {
            describe(self.start_secs, self.precision, false)
        };
        let qualifiers = match (self.approximate, self.uncertain) {
            (true, true) => " (approximate, uncertain)",
            (true, false) => " (approximate)",
            (false, true) => " (uncertain)",
            (false, false) => "",
        };
        out.push_str(qualifiers);
        out
    }
}

/// EDTF level 0 wants `hh:mm:ss`; newsrooms write `14:30Z`. Add the seconds rather than refuse.
fn add_missing_seconds(text: &str) -> String {
    let Some((date, time)) = text.split_once('T') else {
        return text.to_owned();
    };
    let clock_len = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let clock = &time[..clock_len];
    if clock.len() == 5 && clock.as_bytes().get(2) == Some(&b':') {
        format!("{date}T{clock}:00{}", &time[clock_len..])
    } else {
        text.to_owned()
    }
}

fn precision_of(p: EdtfPrecision) -> Precision {
    match p {
        EdtfPrecision::Year => Precision::Year,
        EdtfPrecision::Season => Precision::Season,
        EdtfPrecision::Month => Precision::Month,
        EdtfPrecision::Day => Precision::Day,
    }
}

/// The span of one interval endpoint: `Ok(None)` for an open or unknown end.
#[allow(clippy::result_unit_err)]
fn endpoint_span(end: &IntervalEndpoint) -> Result<Option<(i64, i64, Precision)>, ()> {
    match end {
        IntervalEndpoint::Date(d)
        | IntervalEndpoint::OnOrBefore(d)
        | IntervalEndpoint::OnOrAfter(d) => {
            let bounds = Edtf::Date(*d).bounds();
            let (s, e) = day_span(&bounds).ok_or(())?;
            Ok(Some((s, e, precision_of(d.precision()))))
        }
        IntervalEndpoint::Open | IntervalEndpoint::Unknown => Ok(None),
    }
}

fn day_span(bounds: &edtf_core::Bounds) -> Option<(i64, i64)> {
    match (bounds.earliest, bounds.latest) {
        (Bound::Date(a), Bound::Date(b)) => Some((day_secs(a)?, day_secs(b)? + DAY_SECS)),
        _ => None,
    }
}

fn day_secs(d: BoundDate) -> Option<i64> {
    let date = Date::new(i16::try_from(d.year).ok()?, d.month as i8, d.day as i8).ok()?;
    secs_of(date.to_datetime(Time::midnight()))
}

fn bound_day(
    year: Option<i64>,
    month: Option<edtf_core::DateField>,
    day: Option<edtf_core::DateField>,
) -> Option<Date> {
    let year = i16::try_from(year?).ok()?;
    Date::new(year, month?.value()? as i8, day?.value()? as i8).ok()
}

fn secs_of(dt: DateTime) -> Option<i64> {
    dt.unix_seconds().ok()
}

/// The UTC civil date and time at `secs`.
pub fn civil(secs: i64) -> DateTime {
    DateTime::from_unix_seconds(secs).unwrap_or(DateTime::from_parts(Date::ZERO, Time::midnight()))
}

/// Seconds at midnight UTC of a civil date.
pub fn secs_of_date(date: Date) -> i64 {
    secs_of(date.to_datetime(Time::midnight())).unwrap_or(0)
}

/// Adds whole months to the date at `secs` (the day clamped to the month's last).
pub fn add_months(secs: i64, months: i32) -> i64 {
    let date = civil(secs).date();
    date.checked_add(months.months())
        .map(secs_of_date)
        .unwrap_or(secs)
}

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub fn month_name(month: i8) -> &'static str {
    MONTHS
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("?")
}

fn describe(secs: i64, precision: Precision, _as_start: bool) -> String {
    let dt = civil(secs);
    let (y, m, d) = (dt.year(), dt.month(), dt.day());
    match precision {
        Precision::Year => format!("{y}"),
        Precision::Season | Precision::Month => format!("{} {y}", month_name(m)),
        Precision::Day => format!("{d} {} {y}", month_name(m)),
        Precision::Time => format!(
            "{d} {} {y}, {:02}:{:02} UTC",
            month_name(m),
            dt.hour(),
            dt.minute()
        ),
    }
}

/// "24–26 Oct 2025" rather than "24 Oct 2025 – 26 Oct 2025" when the parts agree.
fn join_range(from: &str, to: &str, first: i64, last: i64, precision: Precision) -> String {
    let (a, b) = (civil(first), civil(last));
    match precision {
        Precision::Day if a.year() == b.year() && a.month() == b.month() => {
            if a.day() == b.day() {
                to.to_owned()
            } else {
                format!(
                    "{}–{} {} {}",
                    a.day(),
                    b.day(),
                    month_name(a.month()),
                    a.year()
                )
            }
        }
        Precision::Day if a.year() == b.year() => format!(
            "{} {} – {} {} {}",
            a.day(),
            month_name(a.month()),
            b.day(),
            month_name(b.month()),
            a.year()
        ),
        Precision::Month | Precision::Season if a.year() == b.year() => {
            if a.month() == b.month() {
                to.to_owned()
            } else {
                format!(
                    "{}–{} {}",
                    month_name(a.month()),
                    month_name(b.month()),
                    a.year()
                )
            }
        }
        Precision::Year if a.year() == b.year() => to.to_owned(),
        _ => format!("{from} – {to}"),
    }
}

/// ISO 8601 text for an instant: a bare date at midnight, else a UTC date-time.
pub fn iso(secs: i64) -> String {
    let dt = civil(secs);
    if dt.time() == Time::midnight() {
        dt.date().to_string()
    } else {
        iso_datetime(secs)
    }
}

/// ISO 8601 date-time in UTC, even at midnight.
pub fn iso_datetime(secs: i64) -> String {
    let dt = civil(secs);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        dt.date(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> i64 {
        secs_of_date(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn a_month_covers_the_whole_month() {
        let w = When::parse("2025-10").unwrap();
        assert_eq!(w.start_secs, day(2025, 10, 1));
        assert_eq!(w.end_secs, day(2025, 11, 1));
        assert_eq!(w.precision, Precision::Month);
        assert!(!w.is_point());
        assert_eq!(w.label(), "Oct 2025");
    }

    #[test]
    fn a_day_is_a_point() {
        let w = When::parse("2025-11-18").unwrap();
        assert_eq!(
            (w.start_secs, w.end_secs),
            (day(2025, 11, 18), day(2025, 11, 19))
        );
        assert!(w.is_point());
        assert_eq!(w.label(), "18 Nov 2025");
    }

    #[test]
    fn approximate_interval_keeps_its_qualifier() {
        let w = When::parse("2025-10-24~/2025-10-26~").unwrap();
        assert!(w.interval && w.approximate && !w.uncertain);
        assert_eq!(
            (w.start_secs, w.end_secs),
            (day(2025, 10, 24), day(2025, 10, 27))
        );
        assert_eq!(w.label(), "24–26 Oct 2025 (approximate)");
    }

    #[test]
    fn uncertain_dates_are_marked() {
        let w = When::parse("2025-10?/2025-11?").unwrap();
        assert!(w.uncertain);
        assert_eq!(w.precision, Precision::Month);
        assert_eq!(w.label(), "Oct–Nov 2025 (uncertain)");
        assert!(When::parse("2025-11-18?").unwrap().uncertain);
    }

    #[test]
    fn impossible_and_malformed_dates_are_errors() {
        assert!(matches!(
            When::parse("2025-02-30"),
            Err(DateError::Invalid { .. })
        ));
        assert!(matches!(
            When::parse("18 Nov 2025"),
            Err(DateError::Invalid { .. })
        ));
        assert_eq!(When::parse("  "), Err(DateError::Empty));
        assert!(When::parse("2025-11-20/2025-11-18").is_err());
        assert!(matches!(When::parse("[2025,2026]"), Err(DateError::Set(_))));
    }

    #[test]
    fn times_with_and_without_seconds() {
        let w = When::parse("2025-11-18T14:30Z").unwrap();
        assert_eq!(w.start_secs, day(2025, 11, 18) + 14 * 3600 + 30 * 60);
        assert_eq!(w.precision, Precision::Time);
        assert_eq!(iso(w.start_secs), "2025-11-18T14:30:00Z");
        let shifted = When::parse("2025-11-18T14:30:00+02:00").unwrap();
        assert_eq!(shifted.start_secs, w.start_secs - 2 * 3600);
    }

    #[test]
    fn open_ends() {
        let w = When::parse("../2025-11").unwrap();
        assert!(w.open_start && !w.open_end);
        assert_eq!(w.end_secs, day(2025, 12, 1));
        assert!(w.overlaps(day(1990, 1, 1), day(1990, 1, 2)));
        assert_eq!(w.label(), "until Nov 2025");
        let w = When::parse("2025-10-24/..").unwrap();
        assert!(w.open_end && w.overlaps(day(2030, 1, 1), day(2030, 1, 2)));
    }

    #[test]
    fn year_and_cross_year_ranges() {
        assert_eq!(When::parse("2025").unwrap().label(), "2025");
        assert_eq!(
            When::parse("2025-12-30/2026-01-02").unwrap().label(),
            "30 Dec 2025 – 2 Jan 2026"
        );
        assert_eq!(
            When::parse("2025-10-30/2025-11-02").unwrap().label(),
            "30 Oct – 2 Nov 2025"
        );
    }

    #[test]
    fn month_arithmetic_and_iso() {
        assert_eq!(add_months(day(2025, 11, 1), 2), day(2026, 1, 1));
        assert_eq!(iso(day(2025, 11, 1)), "2025-11-01");
        assert_eq!(iso_datetime(day(2025, 11, 1)), "2025-11-01T00:00:00Z");
    }
}
