//! What people read about planned maintenance: the banner before and during a window,
//! the message while it runs, and the UTC times both use (and admins type).

use sa_domain::DomainError;
use sa_domain::journeys::MaintenanceStatus;
use sa_domain::model::MaintenanceWindow;
use time::{OffsetDateTime, PrimitiveDateTime};

/// The stable error code of requests refused during a window.
pub const CODE: &str = "maintenance";

/// `2026-03-02 16:00 UTC`.
pub fn utc(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.format(&format)
        .unwrap_or_else(|_| sa_domain::clock::rfc3339(at))
}

/// What a person is told while a window is in progress.
pub fn down_message(window: &MaintenanceWindow) -> String {
    sa_i18n::Text::new("maintenance-down")
        .with("until", utc(window.ends_at))
        .render(crate::locale::current())
}

/// The banner shown on every page while a window is upcoming or in progress.
pub struct Banner {
    /// In progress (a warning) rather than upcoming (information).
    pub active: bool,
    pub text: String,
}

impl Banner {
    pub fn from_status(status: &MaintenanceStatus) -> Option<Self> {
        let with_message = |text: String, window: &MaintenanceWindow| {
            if window.message.is_empty() {
                text
            } else {
                format!("{text} {}", window.message)
            }
        };
        match status {
            MaintenanceStatus::Upcoming { window } => {
                let date_format = time::macros::format_description!("[year]-[month]-[day] ");
                let start = utc(window.starts_at);
                let start = start.trim_end_matches(" UTC");
                let end = utc(window.ends_at);
                // "… 16:00 to 18:00 UTC" on one day; both dates when it spans two.
                let same_day = window.starts_at.date() == window.ends_at.date();
                let end = match (same_day, window.ends_at.format(&date_format)) {
                    (true, Ok(date)) => end.trim_start_matches(date.as_str()).to_owned(),
                    _ => end,
                };
                Some(Self {
                    active: false,
                    text: with_message(
                        sa_i18n::Text::new("maintenance-planned")
                            .with("start", start)
                            .with("end", end)
                            .render(crate::locale::current()),
                        window,
                    ),
                })
            }
            MaintenanceStatus::Active { window } => Some(Self {
                active: true,
                text: with_message(down_message(window), window),
            }),
            MaintenanceStatus::None => None,
        }
    }
}

/// A time typed by an admin, in UTC: `2026-03-02T16:00` (what a `datetime-local` field
/// sends), with a space instead of `T`, seconds, or a trailing `Z`/`UTC`; or RFC 3339
/// with any offset.
pub fn parse_utc(field: &'static str, text: &str) -> Result<OffsetDateTime, DomainError> {
    let text = text.trim();
    let invalid = || DomainError::invalid(field, "Enter a time in UTC like 2026-03-02T16:00.");
    if text.is_empty() {
        return Err(DomainError::invalid(field, "Enter a time in UTC."));
    }
    if let Ok(at) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
        return Ok(at.to_offset(time::UtcOffset::UTC));
    }
    let bare = text
        .strip_suffix("UTC")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text)
        .trim()
        .replacen(' ', "T", 1);
    let minutes = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(&bare, &minutes)
        .or_else(|_| PrimitiveDateTime::parse(&bare, &seconds))
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn window(message: &str) -> MaintenanceWindow {
        MaintenanceWindow {
            id: "w".into(),
            starts_at: datetime!(2026-03-02 16:00 UTC),
            ends_at: datetime!(2026-03-02 18:30 UTC),
            message: message.into(),
            created_by: "a".into(),
            created_at: datetime!(2026-03-01 10:00 UTC),
            cancelled_at: None,
        }
    }

    #[test]
    fn admin_times_are_read_as_utc() {
        let at = datetime!(2026-03-02 16:00 UTC);
        for text in [
            "2026-03-02T16:00",
            "2026-03-02 16:00",
            "2026-03-02T16:00:00Z",
            "2026-03-02 16:00 UTC",
            "2026-03-02T17:00:00+01:00",
        ] {
            assert_eq!(parse_utc("starts_at", text).unwrap(), at, "{text}");
        }
        assert!(parse_utc("starts_at", "tomorrow").is_err());
        assert!(parse_utc("starts_at", "").is_err());
    }

    #[test]
    fn banners_say_when_and_what() {
        let upcoming = Banner::from_status(&MaintenanceStatus::Upcoming {
            window: window("Database upgrade."),
        })
        .unwrap();
        assert!(!upcoming.active);
        assert_eq!(
            upcoming.text,
            "Planned maintenance: 2026-03-02 16:00 to 18:30 UTC. Database upgrade."
        );
        let active =
            Banner::from_status(&MaintenanceStatus::Active { window: window("") }).unwrap();
        assert!(active.active);
        assert!(active.text.contains("until 2026-03-02 18:30 UTC."));
        assert!(Banner::from_status(&MaintenanceStatus::None).is_none());
    }
}
