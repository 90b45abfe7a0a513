//! Opening hours (`horaires`, OpenStreetMap `opening_hours` syntax), parsed with the
//! `opening-hours` crate (MIT OR Apache-2.0, default features off: no time-zone or
//! country database; French public holidays come from the crate's embedded calendar).
//!
//! # Half-days a week
//! A day has two half-days: the morning until 13:00 and the afternoon from 13:00. A
//! half-day counts as open when the venue is open at least [`MIN_OPEN_MINUTES`] in it.
//! The count is taken over 4 reference weeks (Monday 4 to Sunday 31 March 2024, no
//! public holiday) so that rules such as `week 1-53/2 Tu 09:00-12:30` (every other week)
//! count as half a half-day a week.
//!
//! # Local time
//! "Open now" is evaluated at the local time of the venue's zone ([`Zone`]), with fixed
//! offsets and the daylight-saving rules written here, not a time-zone database:
//! metropolitan France and Corsica follow Europe/Paris (UTC+1, UTC+2 from the last Sunday
//! of March to the last Sunday of October, at 01:00 UTC); Saint-Pierre-et-Miquelon
//! UTC−3, UTC−2 from the second Sunday of March to the first Sunday of November (02:00
//! local); the others have no daylight saving: Antilles UTC−4, Guyane UTC−3, La Réunion
//! UTC+4, Mayotte UTC+3, Nouvelle-Calédonie UTC+11, Polynésie UTC−10 (Tahiti; the
//! Marquesas, UTC−9:30, and Gambier, UTC−9, are not told apart), Wallis-et-Futuna UTC+12.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use maillage_core::{Hours, Zone};
use opening_hours::localization::Country;
use opening_hours::{Context, OpeningHours, RuleKind};
use serde::Serialize;

/// Minutes of opening that make a half-day count.
pub const MIN_OPEN_MINUTES: i64 = 60;

/// Longest parse error kept (characters).
const MAX_ERROR_CHARS: usize = 300;

/// Parses `horaires`; the error is one line of French and the parser's message.
pub fn parse(horaires: &str) -> Result<OpeningHours, String> {
    let oh = horaires.trim().parse::<OpeningHours>().map_err(|e| {
        let msg: String = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let msg: String = msg.chars().take(MAX_ERROR_CHARS).collect();
        format!("horaires illisibles (syntaxe OpenStreetMap opening_hours attendue) : {msg}")
    })?;
    Ok(oh.with_context(Context::default().with_holidays(Country::FR.holidays())))
}

fn at(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

/// The first day of the 4 reference weeks (Monday 4 March 2024).
fn reference_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 4).unwrap_or(NaiveDate::MIN)
}

/// Open half-days over the 4 reference weeks. Each day's schedule is evaluated once;
/// a slot past midnight (`Fr 20:00-02:00`) counts on the next day (the last day's
/// overflow wraps to the first, the weeks being a sample of a periodic timetable).
pub fn half_days_in_4_weeks(oh: &OpeningHours) -> u8 {
    const DAYS: usize = 28;
    const NOON: i64 = 13 * 60;
    const DAY: i64 = 24 * 60;
    let start = reference_start();
    // Open minutes per (day, half).
    let mut open = [[0i64; 2]; DAYS];
    for d in 0..DAYS {
        let date = start + Duration::days(d as i64);
        for range in oh.schedule_at(date) {
            if range.kind != RuleKind::Open {
                continue;
            }
            let (s, e) = (
                i64::from(range.range.start.mins_from_midnight()),
                i64::from(range.range.end.mins_from_midnight()),
            );
            // Up to 48:00: today, then the next day.
            for (offset, day) in [(0, d), (DAY, (d + 1) % DAYS)] {
                for (k, (hs, he)) in [(0, NOON), (NOON, DAY)].into_iter().enumerate() {
                    let overlap = e.min(he + offset) - s.max(hs + offset);
                    if overlap > 0 {
                        open[day][k] += overlap;
                    }
                }
            }
        }
    }
    let n = open
        .iter()
        .flatten()
        .filter(|m| **m >= MIN_OPEN_MINUTES)
        .count();
    u8::try_from(n).unwrap_or(u8::MAX)
}

/// What the import keeps of a row's `horaires`.
///
/// ```
/// use maillage_core::Hours;
/// use maillage_ingest::venues::hours::summarize;
/// assert_eq!(summarize(""), Hours::Unknown);
/// assert_eq!(summarize("Mo-Fr 09:00-12:00,14:00-17:00"), Hours::Parsed { half_days_in_4_weeks: 40 });
/// assert!(matches!(summarize("lundi matin"), Hours::Invalid { .. }));
/// ```
pub fn summarize(horaires: &str) -> Hours {
    if horaires.trim().is_empty() {
        return Hours::Unknown;
    }
    match parse(horaires) {
        Ok(oh) => Hours::Parsed {
            half_days_in_4_weeks: half_days_in_4_weeks(&oh),
        },
        Err(error) => Hours::Invalid { error },
    }
}

/// A zone's UTC offset in minutes at a UTC instant, and the zone's time-zone name.
pub fn utc_offset_minutes(zone: Zone, utc: NaiveDateTime) -> (i32, &'static str) {
    // The n-th (1-based) or last (n = 0) Sunday of a month.
    let sunday = |year: i32, month: u32, n: u32| -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
        let to_sunday = (7 - first.weekday().num_days_from_sunday()) % 7;
        let first_sunday = first + Duration::days(i64::from(to_sunday));
        if n > 0 {
            return first_sunday + Duration::weeks(i64::from(n - 1));
        }
        let mut d = first_sunday;
        while (d + Duration::weeks(1)).month() == month {
            d += Duration::weeks(1);
        }
        d
    };
    let year = utc.year();
    match zone {
        Zone::Metropole => {
            let begin = at(sunday(year, 3, 0), 1, 0);
            let end = at(sunday(year, 10, 0), 1, 0);
            let summer = utc >= begin && utc < end;
            (if summer { 120 } else { 60 }, "Europe/Paris")
        }
        Zone::SaintPierreEtMiquelon => {
            // 02:00 local standard time (UTC−3) = 05:00 UTC; 02:00 local summer time = 04:00 UTC.
            let begin = at(sunday(year, 3, 2), 5, 0);
            let end = at(sunday(year, 11, 1), 4, 0);
            let summer = utc >= begin && utc < end;
            (if summer { -120 } else { -180 }, "America/Miquelon")
        }
        Zone::Antilles => (-240, "America/Guadeloupe"),
        Zone::Guyane => (-180, "America/Cayenne"),
        Zone::Reunion => (240, "Indian/Reunion"),
        Zone::Mayotte => (180, "Indian/Mayotte"),
        Zone::NouvelleCaledonie => (660, "Pacific/Noumea"),
        Zone::Polynesie => (-600, "Pacific/Tahiti"),
        Zone::WallisEtFutuna => (720, "Pacific/Wallis"),
    }
}

/// Whether a venue is open at an instant, and when that changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenState {
    /// Open at that instant (`None`: the hours say "unknown" then).
    pub open_now: Option<bool>,
    /// Local time of the next opening (`YYYY-MM-DDTHH:MM`), `None` when none comes in
    /// the next year; when open now, the opening after the current one.
    pub next_opening: Option<String>,
    /// Local time when the current state ends, if it does within a year.
    pub next_change: Option<String>,
    /// The local time the state was evaluated at.
    pub local_time: String,
    /// Time-zone name of the zone (offsets applied as in the module docs).
    pub timezone: &'static str,
}

fn local_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// The open state of parsed hours at a UTC instant, in the zone's local time.
pub fn open_state(oh: &OpeningHours, zone: Zone, utc: NaiveDateTime) -> OpenState {
    let (offset, timezone) = utc_offset_minutes(zone, utc);
    let local = utc + Duration::minutes(i64::from(offset));
    let horizon = local + Duration::days(366);
    let mut ranges = oh.iter_range(local, horizon);
    let (open_now, next_change) = match ranges.next() {
        Some(r) => (
            match r.kind {
                RuleKind::Open => Some(true),
                RuleKind::Closed => Some(false),
                RuleKind::Unknown => None,
            },
            (r.range.end < horizon).then(|| local_text(r.range.end)),
        ),
        None => (Some(false), None),
    };
    let next_opening = ranges
        .find(|r| r.kind == RuleKind::Open)
        .map(|r| local_text(r.range.start));
    OpenState {
        open_now,
        next_opening,
        next_change,
        local_time: local_text(local),
        timezone,
    }
}

/// [`open_state`] for a `horaires` text and the current time; `None` when the hours are
/// missing or unreadable.
pub fn open_state_now(horaires: &str, zone: Zone) -> Option<OpenState> {
    if horaires.trim().is_empty() {
        return None;
    }
    let oh = parse(horaires).ok()?;
    let now = DateTime::from_timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
        0,
    )?
    .naive_utc();
    Some(open_state(&oh, zone, now))
}

#[cfg(test)]
mod tests {
    //! Hand-made hours strings (invented) and fixed instants.
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn half_days(s: &str) -> Option<f64> {
        summarize(s).half_days_per_week()
    }

    #[test]
    fn half_days_per_week() {
        assert_eq!(half_days("Mo-Fr 09:00-12:00,14:00-17:00"), Some(10.0));
        assert_eq!(half_days("Tu 09:00-17:00"), Some(2.0));
        assert_eq!(half_days("24/7"), Some(14.0));
        // 30 minutes is not a half-day; 12:00-13:30 is one morning only.
        assert_eq!(half_days("We 10:00-10:30"), Some(0.0));
        assert_eq!(half_days("We 12:00-13:30"), Some(1.0));
        // Every other week (the Charente bus).
        assert_eq!(half_days("week 1-53/2 Tu 09:00-12:30"), Some(0.5));
        assert_eq!(half_days("off"), Some(0.0));
    }

    #[test]
    fn malformed_and_missing_hours() {
        assert_eq!(summarize("  "), Hours::Unknown);
        let h = summarize("Mo 9h-12h, le reste sur rendez-vous");
        assert_eq!(h.parsed(), Some(false));
        assert!(
            h.error()
                .is_some_and(|e| e.starts_with("horaires illisibles"))
        );
        assert_eq!(h.half_days_per_week(), None);
    }

    #[test]
    fn paris_offsets_follow_daylight_saving() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            utc_offset_minutes(Zone::Metropole, utc("2026-03-29 00:59")).0,
            60
        );
        assert_eq!(
            utc_offset_minutes(Zone::Metropole, utc("2026-03-29 01:00")).0,
            120
        );
        assert_eq!(
            utc_offset_minutes(Zone::Metropole, utc("2026-10-25 00:59")).0,
            120
        );
        assert_eq!(
            utc_offset_minutes(Zone::Metropole, utc("2026-10-25 01:00")).0,
            60
        );
        // Saint-Pierre-et-Miquelon: 8 March and 1 November 2026.
        let spm = Zone::SaintPierreEtMiquelon;
        assert_eq!(utc_offset_minutes(spm, utc("2026-03-08 04:59")).0, -180);
        assert_eq!(utc_offset_minutes(spm, utc("2026-03-08 05:00")).0, -120);
        assert_eq!(utc_offset_minutes(spm, utc("2026-11-01 04:00")).0, -180);
        assert_eq!(
            utc_offset_minutes(Zone::Reunion, utc("2026-07-01 00:00")).0,
            240
        );
    }

    #[test]
    fn open_now_in_paris_and_overseas() {
        let oh = parse("Mo-Fr 09:00-12:00,14:00-17:00").unwrap();
        // Friday 4 December 2026, 09:30 UTC = 10:30 in Paris (winter): open until 12:00.
        let s = open_state(&oh, Zone::Metropole, utc("2026-12-04 09:30"));
        assert_eq!(s.open_now, Some(true));
        assert_eq!(s.next_change.as_deref(), Some("2026-12-04T12:00"));
        assert_eq!(s.next_opening.as_deref(), Some("2026-12-04T14:00"));
        assert_eq!(s.local_time, "2026-12-04T10:30");
        // Same instant at La Réunion: 13:30 local, closed, opens at 14:00.
        let r = open_state(&oh, Zone::Reunion, utc("2026-12-04 09:30"));
        assert_eq!(r.open_now, Some(false));
        assert_eq!(r.next_opening.as_deref(), Some("2026-12-04T14:00"));
        // Nouméa (UTC+11): 20:30 on Friday → next opening on Monday.
        let n = open_state(&oh, Zone::NouvelleCaledonie, utc("2026-12-04 09:30"));
        assert_eq!(n.open_now, Some(false));
        assert_eq!(n.next_opening.as_deref(), Some("2026-12-07T09:00"));
    }

    #[test]
    fn open_across_midnight() {
        let oh = parse("Fr 20:00-02:00").unwrap();
        // Saturday 5 December 2026, 00:30 UTC = 01:30 Paris: still open from Friday.
        let s = open_state(&oh, Zone::Metropole, utc("2026-12-05 00:30"));
        assert_eq!(s.open_now, Some(true));
        assert_eq!(s.next_change.as_deref(), Some("2026-12-05T02:00"));
        assert_eq!(s.next_opening.as_deref(), Some("2026-12-11T20:00"));
        // A night slot counts in both halves it covers for at least an hour:
        // Friday afternoon/evening (4 h) and Saturday morning (2 h).
        assert_eq!(summarize("Fr 20:00-02:00").half_days_per_week(), Some(2.0));
    }

    #[test]
    fn never_open() {
        let oh = parse("off").unwrap();
        let s = open_state(&oh, Zone::Metropole, utc("2026-12-04 09:30"));
        assert_eq!(s.open_now, Some(false));
        assert_eq!(s.next_opening, None);
    }
}
