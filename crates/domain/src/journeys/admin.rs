//! The admin's journeys: the dashboard (the verification funnel of the last 30 days,
//! letters by state, lockouts, recent staff activity) and planned maintenance windows.
//!
//! ```text
//!  admin ─► schedule_maintenance ─► maintenance_windows row + audit "maintenance.scheduled"
//!  admin ─► cancel_maintenance ───► cancelled_at (guarded) + audit "maintenance.cancelled"
//!
//!  every request ─► maintenance_status(now)      (windows cached a few seconds)
//!       None ◄──────────┐
//!       Upcoming ◄──────┼── starts within 7 days: pages show a banner
//!       Active ◄────────┘   starts ≤ now < ends: sign-in/sign-up answer 503, /readyz too
//! ```
//!
//! The status is computed against the injected clock every time; only the list of
//! windows is cached (for [`CACHE_SECS`], and dropped at once when this instance
//! schedules or cancels one). If the database cannot be read, the last list read is
//! kept, so a window that takes the database down still shows its honest message.
//! Every aggregate is counted in SQL; nothing here loads a whole table.

use std::sync::Mutex;

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::report::FunnelReport;
use super::report::Reports;
use super::roles::Roles;
use super::{core::Core, sessions::AuthSession};
use crate::audit::staff_actor;
use crate::model::LetterCounts;
use crate::model::LockoutCounts;
use crate::model::MaintenanceWindow;
use crate::model::StaffActivity;
use crate::model::new_id;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// Windows starting within this many days are announced.
pub const UPCOMING_DAYS: i64 = 7;
/// How long one window may last.
pub const MAX_WINDOW_DAYS: i64 = 7;
/// The longest message an admin may add.
pub const MAX_MESSAGE_CHARS: usize = 300;
/// How long the list of windows is reused before it is read again.
pub const CACHE_SECS: i64 = 5;
/// Staff entries shown on the dashboard.
pub const STAFF_ACTIVITY_ENTRIES: i64 = 50;
/// Windows listed on the maintenance page (ended in the last 30 days, or later).
const LISTED_WINDOWS: i64 = 100;

/// What the service is doing about maintenance right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaintenanceStatus {
    /// Starts within [`UPCOMING_DAYS`]: announce it.
    Upcoming {
        window: MaintenanceWindow,
    },
    /// In progress: sign-in and sign-up are closed until it ends.
    Active {
        window: MaintenanceWindow,
    },
    None,
}

impl MaintenanceStatus {
    /// The status at `now` given the windows (cancelled and ended ones are ignored; an
    /// active window wins over an upcoming one, and the soonest upcoming one is shown).
    pub fn at(windows: &[MaintenanceWindow], now: OffsetDateTime) -> Self {
        let live = || windows.iter().filter(|w| w.cancelled_at.is_none());
        if let Some(window) = live()
            .filter(|w| w.starts_at <= now && now < w.ends_at)
            .max_by_key(|w| w.ends_at)
        {
            return Self::Active {
                window: window.clone(),
            };
        }
        match live()
            .filter(|w| w.starts_at > now && w.starts_at <= now + Duration::days(UPCOMING_DAYS))
            .min_by_key(|w| w.starts_at)
        {
            Some(window) => Self::Upcoming {
                window: window.clone(),
            },
            None => Self::None,
        }
    }

    pub fn active(&self) -> Option<&MaintenanceWindow> {
        match self {
            Self::Active { window } => Some(window),
            _ => None,
        }
    }

    pub fn upcoming(&self) -> Option<&MaintenanceWindow> {
        match self {
            Self::Upcoming { window } => Some(window),
            _ => None,
        }
    }
}

/// Everything the admin dashboard shows.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The last 30 days (UTC), today included.
    pub funnel: FunnelReport,
    pub letters: LetterCounts,
    pub lockouts: LockoutCounts,
    /// The newest [`STAFF_ACTIVITY_ENTRIES`] staff entries, newest first.
    pub staff_activity: Vec<StaffActivity>,
}

/// The windows last read, and when (by the injected clock). One request at a time
/// refreshes a lapsed list; the others answer from the last list meanwhile, so a busy
/// database never holds up every page at once.
#[derive(Debug, Default)]
pub(crate) struct MaintenanceCache {
    inner: Mutex<Option<(OffsetDateTime, Vec<MaintenanceWindow>)>>,
    refreshing: std::sync::atomic::AtomicBool,
}

/// The one refresh in progress; ends (even if its request is dropped) with the guard.
struct Refreshing<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for Refreshing<'_> {
    fn drop(&mut self) {
        self.0.store(false, std::sync::atomic::Ordering::Release);
    }
}

impl MaintenanceCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(OffsetDateTime, Vec<MaintenanceWindow>)>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached windows if read less than [`CACHE_SECS`] before `now`.
    fn fresh(&self, now: OffsetDateTime) -> Option<Vec<MaintenanceWindow>> {
        match &*self.lock() {
            Some((at, windows)) if *at <= now && now - *at < Duration::seconds(CACHE_SECS) => {
                Some(windows.clone())
            }
            _ => None,
        }
    }

    /// Become the one refresher, unless another request already is.
    fn start_refresh(&self) -> Option<Refreshing<'_>> {
        use std::sync::atomic::Ordering;
        self.refreshing
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| Refreshing(&self.refreshing))
    }

    fn any(&self) -> Option<Vec<MaintenanceWindow>> {
        self.lock().as_ref().map(|(_, windows)| windows.clone())
    }

    fn store(&self, now: OffsetDateTime, windows: Vec<MaintenanceWindow>) {
        *self.lock() = Some((now, windows));
    }

    /// Mark the cached list as read at `now` without changing it (after a failed read,
    /// so a database that is down is not asked again on every request).
    fn touch(&self, now: OffsetDateTime) {
        if let Some((at, _)) = &mut *self.lock() {
            *at = now;
        }
    }

    fn clear(&self) {
        *self.lock() = None;
    }
}

/// The admin's dashboard and planned maintenance.
#[derive(Clone, Copy)]
pub struct Admin<'a> {
    core: &'a Core,
    maintenance: &'a MaintenanceCache,
}

impl<'a> Admin<'a> {
    pub(crate) fn new(core: &'a Core, maintenance: &'a MaintenanceCache) -> Self {
        Self { core, maintenance }
    }
}

impl Admin<'_> {
    /// The admin dashboard (role `admin`, with an authenticator app).
    pub async fn dashboard(&self, auth: &AuthSession) -> DomainResult<Dashboard> {
        Roles::new(self.core)
            .require_staff(auth, "admin", None)
            .await?;
        let now = self.core.now();
        let today = now.date();
        let funnel = Reports::new(self.core)
            .funnel_report(today - Duration::days(29), today)
            .await?;
        let letters = self.core.store.letter_counts().await?;
        let lockouts = self.core.store.lockout_counts(now).await?;
        let staff_activity = self
            .core
            .store
            .staff_activity(STAFF_ACTIVITY_ENTRIES)
            .await?;
        Ok(Dashboard {
            funnel,
            letters,
            lockouts,
            staff_activity,
        })
    }

    /// Plan a maintenance window (role `admin`). The start may be now (a start typed
    /// for the current minute counts as now); the end must follow it, within
    /// [`MAX_WINDOW_DAYS`]; windows may not overlap. Recorded in the audit log.
    pub async fn schedule_maintenance(
        &self,
        auth: &AuthSession,
        starts_at: OffsetDateTime,
        ends_at: OffsetDateTime,
        message: &str,
    ) -> DomainResult<MaintenanceWindow> {
        Roles::new(self.core)
            .require_staff(auth, "admin", None)
            .await?;
        let now = self.core.now();
        let message = check_message(message)?;
        if starts_at < now - Duration::minutes(5) {
            return Err(DomainError::invalid(
                "starts_at",
                "The start must be now or later.",
            ));
        }
        if starts_at > now + Duration::days(366) {
            return Err(DomainError::invalid(
                "starts_at",
                "The start must be within a year.",
            ));
        }
        let starts_at = starts_at.max(now);
        if ends_at <= starts_at {
            return Err(DomainError::invalid(
                "ends_at",
                "The end must be after the start.",
            ));
        }
        if ends_at - starts_at > Duration::days(MAX_WINDOW_DAYS) {
            return Err(DomainError::invalid(
                "ends_at",
                format!("A maintenance window may last at most {MAX_WINDOW_DAYS} days."),
            ));
        }
        let existing = self
            .core
            .store
            .maintenance_windows(now, LISTED_WINDOWS)
            .await?;
        if existing
            .iter()
            .any(|w| w.cancelled_at.is_none() && w.starts_at < ends_at && starts_at < w.ends_at)
        {
            return Err(DomainError::Conflict(
                "error-time-overlaps-another-planned-maintenance",
            ));
        }
        let window = MaintenanceWindow {
            id: new_id(now),
            starts_at,
            ends_at,
            message,
            created_by: auth.account.id.clone(),
            created_at: now,
            cancelled_at: None,
        };
        let change = Change::new()
            .with(Write::InsertMaintenanceWindow(window.clone()))
            .with(self.core.audit(
                staff_actor(&auth.account.id),
                "maintenance.scheduled",
                None,
                json!({
                    "window": window.id,
                    "starts_at": crate::clock::to_millis(starts_at),
                    "ends_at": crate::clock::to_millis(ends_at),
                }),
            ));
        self.core.commit(change).await?;
        self.maintenance.clear();
        Ok(window)
    }

    /// Cancel a window that has not ended (an active one ends now). Role `admin`;
    /// recorded in the audit log.
    pub async fn cancel_maintenance(
        &self,
        auth: &AuthSession,
        id: &str,
    ) -> DomainResult<MaintenanceWindow> {
        Roles::new(self.core)
            .require_staff(auth, "admin", None)
            .await?;
        let now = self.core.now();
        let mut window = self
            .core
            .store
            .maintenance_window(id)
            .await?
            .ok_or(DomainError::NotFound("error-no-maintenance-window-id"))?;
        match window.state(now) {
            "cancelled" => {
                return Err(DomainError::Conflict(
                    "error-maintenance-window-was-already-cancelled",
                ));
            }
            "ended" => {
                return Err(DomainError::Conflict(
                    "error-maintenance-window-already-over",
                ));
            }
            _ => {}
        }
        let change = Change::new()
            .with(Write::CancelMaintenanceWindow {
                id: window.id.clone(),
                at: now,
            })
            .with(self.core.audit(
                staff_actor(&auth.account.id),
                "maintenance.cancelled",
                None,
                json!({"window": window.id, "was": window.state(now)}),
            ));
        self.core.commit(change).await?;
        self.maintenance.clear();
        window.cancelled_at = Some(now);
        Ok(window)
    }

    /// Windows for the admin's list: those ending in the last 30 days or later,
    /// cancelled ones included, by start. Role `admin`.
    pub async fn maintenance_windows(
        &self,
        auth: &AuthSession,
    ) -> DomainResult<Vec<MaintenanceWindow>> {
        Roles::new(self.core)
            .require_staff(auth, "admin", None)
            .await?;
        Ok(self
            .core
            .store
            .maintenance_windows(self.core.now() - Duration::days(30), LISTED_WINDOWS)
            .await?)
    }

    /// The maintenance status at `now`, from windows read at most [`CACHE_SECS`] ago.
    /// If the database cannot be read, the last windows read are used (an error only
    /// when none were ever read).
    pub async fn maintenance_status(&self, now: OffsetDateTime) -> DomainResult<MaintenanceStatus> {
        if let Some(windows) = self.maintenance.fresh(now) {
            return Ok(MaintenanceStatus::at(&windows, now));
        }
        let refresh = self.maintenance.start_refresh();
        if refresh.is_none()
            && let Some(windows) = self.maintenance.any()
        {
            // Another request is reading the list; the last one read will do.
            return Ok(MaintenanceStatus::at(&windows, now));
        }
        match self
            .core
            .store
            .maintenance_windows(now, LISTED_WINDOWS)
            .await
        {
            Ok(windows) => {
                let status = MaintenanceStatus::at(&windows, now);
                self.maintenance.store(now, windows);
                Ok(status)
            }
            Err(error) => match self.maintenance.any() {
                Some(windows) => {
                    tracing::warn!(%error, "maintenance windows unreadable; using the last ones read");
                    self.maintenance.touch(now);
                    Ok(MaintenanceStatus::at(&windows, now))
                }
                None => Err(error.into()),
            },
        }
    }

    /// The status now from the windows last read, without touching the database (for
    /// page layouts; the maintenance layer refreshes the list on every request).
    pub fn maintenance_status_cached(&self) -> MaintenanceStatus {
        let windows = self.maintenance.any().unwrap_or_default();
        MaintenanceStatus::at(&windows, self.core.now())
    }
}

/// Trimmed, at most [`MAX_MESSAGE_CHARS`], plain text on one line.
fn check_message(message: &str) -> DomainResult<String> {
    let message = message.trim();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::invalid(
            "message",
            format!("The message must be at most {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    if message
        .chars()
        .any(|c| c.is_control() || c == '<' || c == '>')
    {
        return Err(DomainError::invalid(
            "message",
            "The message must be plain text on one line (no < or >).",
        ));
    }
    Ok(message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn window(id: &str, starts: OffsetDateTime, hours: i64) -> MaintenanceWindow {
        MaintenanceWindow {
            id: id.to_owned(),
            starts_at: starts,
            ends_at: starts + Duration::hours(hours),
            message: String::new(),
            created_by: "admin".to_owned(),
            created_at: starts - Duration::days(1),
            cancelled_at: None,
        }
    }

    #[test]
    fn status_follows_the_clock() {
        let now = datetime!(2026-03-02 15:00 UTC);
        let w = window("a", now + Duration::hours(1), 2);
        let windows = [w.clone()];
        assert_eq!(
            MaintenanceStatus::at(&windows, now),
            MaintenanceStatus::Upcoming { window: w.clone() }
        );
        assert_eq!(
            MaintenanceStatus::at(&windows, now + Duration::hours(1)),
            MaintenanceStatus::Active { window: w.clone() }
        );
        assert_eq!(
            MaintenanceStatus::at(&windows, now + Duration::hours(3)),
            MaintenanceStatus::None
        );
        // More than a week ahead: not announced yet.
        assert_eq!(
            MaintenanceStatus::at(&windows, now - Duration::days(8)),
            MaintenanceStatus::None
        );
    }

    #[test]
    fn cancelled_windows_do_not_count_and_active_wins() {
        let now = datetime!(2026-03-02 15:00 UTC);
        let mut cancelled = window("c", now - Duration::hours(1), 3);
        cancelled.cancelled_at = Some(now);
        let soon = window("s", now + Duration::hours(2), 1);
        let active = window("a", now - Duration::minutes(5), 1);
        assert_eq!(
            MaintenanceStatus::at(&[cancelled.clone(), soon.clone()], now),
            MaintenanceStatus::Upcoming {
                window: soon.clone()
            }
        );
        assert_eq!(
            MaintenanceStatus::at(&[soon, active.clone(), cancelled], now)
                .active()
                .map(|w| w.id.as_str()),
            Some("a")
        );
        assert_eq!(active.state(now), "active");
        assert_eq!(active.seconds_left(now), 55 * 60);
    }

    #[test]
    fn messages_are_short_plain_text() {
        assert_eq!(
            check_message("  Upgrading the database. ").unwrap(),
            "Upgrading the database."
        );
        assert!(check_message(&"x".repeat(300)).is_ok());
        assert!(check_message(&"x".repeat(301)).is_err());
        assert!(check_message("<b>bold</b>").is_err());
        assert!(check_message("two\nlines").is_err());
        assert_eq!(check_message("").unwrap(), "");
    }
}
