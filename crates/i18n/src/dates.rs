//! Dates as a person writes them in each language ("March 2, 2026", "2 de marzo de
//! 2026"): the month names and the order are in the catalogue (`common.ftl`).

use crate::{Lang, Text};

/// A calendar date in words. A month outside 1 to 12 is written as a number.
pub fn long_date(lang: Lang, year: i32, month: u32, day: u32) -> String {
    let month_name = match month {
        1 => "month-january",
        2 => "month-february",
        3 => "month-march",
        4 => "month-april",
        5 => "month-may",
        6 => "month-june",
        7 => "month-july",
        8 => "month-august",
        9 => "month-september",
        10 => "month-october",
        11 => "month-november",
        12 => "month-december",
        _ => return format!("{year:04}-{month:02}-{day:02}"),
    };
    Text::new("date-long")
        .with("month", crate::text(lang, month_name))
        .with("day", day.to_string())
        .with("year", year.to_string())
        .render(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        assert_eq!(long_date(Lang::En, 2026, 3, 2), "March 2, 2026");
        assert_eq!(long_date(Lang::Es, 2026, 3, 2), "2 de marzo de 2026");
        assert_eq!(long_date(Lang::Es, 2026, 12, 31), "31 de diciembre de 2026");
        assert_eq!(long_date(Lang::En, 2026, 13, 1), "2026-13-01");
    }
}
