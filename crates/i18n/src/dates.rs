//! Dates as a person writes them in each language ("March 2, 2026", "2 de marzo de
//! 2026"): the month names and the order are in the catalogue (`common.ftl`). Every
//! date the service writes for a person (pages, emails, letters) comes from here.

use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::{Lang, Text};

/// A calendar date in words.
pub fn long_date(lang: Lang, date: Date) -> String {
    let month_name = match date.month() {
        Month::January => "month-january",
        Month::February => "month-february",
        Month::March => "month-march",
        Month::April => "month-april",
        Month::May => "month-may",
        Month::June => "month-june",
        Month::July => "month-july",
        Month::August => "month-august",
        Month::September => "month-september",
        Month::October => "month-october",
        Month::November => "month-november",
        Month::December => "month-december",
    };
    Text::new("date-long")
        .with("month", crate::text(lang, month_name))
        .with("day", date.day().to_string())
        .with("year", date.year().to_string())
        .render(lang)
}

/// A moment in words, in UTC: "March 2, 2026 15:00 UTC".
pub fn long_date_time(lang: Lang, at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!(
        "{} {:02}:{:02} UTC",
        long_date(lang, at.date()),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        assert_eq!(long_date(Lang::En, date!(2026 - 03 - 02)), "March 2, 2026");
        assert_eq!(
            long_date(Lang::Es, date!(2026 - 03 - 02)),
            "2 de marzo de 2026"
        );
        assert_eq!(
            long_date(Lang::Es, date!(2026 - 12 - 31)),
            "31 de diciembre de 2026"
        );
        assert_eq!(
            long_date_time(Lang::Es, datetime!(2026-03-02 10:05 -5)),
            "2 de marzo de 2026 15:05 UTC"
        );
    }
}
