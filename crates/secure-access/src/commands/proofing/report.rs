//! The simulator's tallies and how they are printed (a text report, or JSON).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::journey::Ending;
use super::population::{Genuine, Impostor};

/// The targets of issue 13, printed beside the numbers.
pub const FIRST_TRY_TARGET: f64 = 0.90;
pub const ANY_PATH_TARGET: f64 = 0.99;

#[derive(Debug, Default, Serialize)]
pub struct Settings {
    pub people: u64,
    pub seed: u64,
    pub mess: u8,
    pub impostors: usize,
    pub phone_min_tenure_days: i64,
    pub ssns_per_phone: i64,
    pub ssns_per_device: i64,
    pub ssns_per_ip: i64,
}

#[derive(Debug, Default, Serialize)]
pub struct Group {
    pub people: usize,
    pub first_try_online: usize,
    pub verified: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct GenuineTally {
    pub applicants: usize,
    /// An account and a personal mobile in their own name, and they type their own
    /// data (in any form): the target's denominator.
    pub eligible_online: usize,
    pub first_try_online: usize,
    pub first_try_online_rate: f64,
    /// Everyone with an account and a personal mobile in their own name, including
    /// those who type a different value (which the rules must refuse).
    pub records_for_online: usize,
    pub records_for_online_first_try: usize,
    pub with_account: usize,
    pub verified_any_path: usize,
    pub any_path_rate: f64,
    pub verified_online: usize,
    pub verified_by_mail: usize,
    /// Eligible people whose line is under 90 days old, and how they fared.
    pub recent_line: Group,
    /// People whose latest return is addressed to a PO box or route.
    pub postal_box: Group,
    pub by_scenario: BTreeMap<String, Group>,
}

#[derive(Debug, Default, Serialize)]
pub struct KindTally {
    pub tried: usize,
    pub verified_online: usize,
    pub verified_by_mail: usize,
    /// Letters that went to the victim's address (the victim may notice).
    pub letters_to_victims: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub settings: Settings,
    pub genuine: GenuineTally,
    pub impostors_verified: usize,
    pub impostors: BTreeMap<String, KindTally>,
    /// Reason codes of eligible people who did not pass online at the first try.
    pub first_try_failures: BTreeMap<String, usize>,
    /// Reason codes of people with an account who were not verified by any path.
    pub not_verified: BTreeMap<String, usize>,
    /// Reason codes met by impostors.
    pub impostor_reasons: BTreeMap<String, usize>,
    pub seconds: f64,
}

fn count(into: &mut BTreeMap<String, usize>, reasons: &[String]) {
    let mut seen: Vec<&String> = Vec::new();
    for reason in reasons {
        if !seen.contains(&reason) {
            seen.push(reason);
            *into.entry(reason.clone()).or_default() += 1;
        }
    }
}

fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl Report {
    pub fn genuine(&mut self, person: &Genuine, ending: &Ending) {
        let g = &mut self.genuine;
        g.applicants += 1;
        let verified = ending.verified_by.is_some();
        let scenario = g.by_scenario.entry(person.scenario.clone()).or_default();
        scenario.people += 1;
        scenario.first_try_online += usize::from(ending.first_try_online);
        scenario.verified += usize::from(verified);
        if person.eligible_online {
            g.records_for_online += 1;
            g.records_for_online_first_try += usize::from(ending.first_try_online);
        }
        if person.eligible_online && person.types_own_data {
            g.eligible_online += 1;
            g.first_try_online += usize::from(ending.first_try_online);
            if !ending.first_try_online {
                count(&mut self.first_try_failures, &ending.reasons);
            }
        }
        for (applies, group) in [
            (person.recent_line, &mut g.recent_line),
            (person.postal_box, &mut g.postal_box),
        ] {
            if applies {
                group.people += 1;
                group.first_try_online += usize::from(ending.first_try_online);
                group.verified += usize::from(verified);
            }
        }
        if !person.accounts.is_empty() {
            g.with_account += 1;
            g.verified_any_path += usize::from(verified);
            if !verified {
                count(&mut self.not_verified, &ending.reasons);
            }
        }
        match ending.verified_by {
            Some("online") => g.verified_online += 1,
            Some(_) => g.verified_by_mail += 1,
            None => {}
        }
    }

    pub fn impostor(&mut self, impostor: &Impostor, ending: &Ending) {
        let tally = self.impostors.entry(impostor.kind.to_owned()).or_default();
        tally.tried += 1;
        tally.letters_to_victims += usize::from(ending.letter_sent);
        match ending.verified_by {
            Some("online") => tally.verified_online += 1,
            Some(_) => tally.verified_by_mail += 1,
            None => {}
        }
        self.impostors_verified += usize::from(ending.verified_by.is_some());
        count(&mut self.impostor_reasons, &ending.reasons);
    }

    pub fn finish(&mut self, seconds: f64) {
        let g = &mut self.genuine;
        g.first_try_online_rate = rate(g.first_try_online, g.eligible_online);
        g.any_path_rate = rate(g.verified_any_path, g.with_account);
        self.seconds = seconds;
    }

    /// Whether every target holds.
    pub fn meets_targets(&self) -> bool {
        self.genuine.first_try_online_rate >= FIRST_TRY_TARGET
            && self.genuine.any_path_rate >= ANY_PATH_TARGET
            && self.impostors_verified == 0
    }

    pub fn text(&self) -> String {
        let s = &self.settings;
        let g = &self.genuine;
        let mark = |ok: bool| if ok { "met" } else { "NOT MET" };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Proofing simulation: {} people (seed {}, mess level {}), {} impostors; line tenure {} days, SSNs per phone {}, per device {}, per IP {}; {:.1} s",
            s.people,
            s.seed,
            s.mess,
            s.impostors,
            s.phone_min_tenure_days,
            s.ssns_per_phone,
            s.ssns_per_device,
            s.ssns_per_ip,
            self.seconds
        );
        let _ = writeln!(out, "\nGenuine applicants: {}", g.applicants);
        let _ = writeln!(
            out,
            "  first try online: {} of {} eligible, typing their own data in any form ({:.2}%; target ≥ 90%: {})",
            g.first_try_online,
            g.eligible_online,
            g.first_try_online_rate * 100.0,
            mark(g.first_try_online_rate >= FIRST_TRY_TARGET)
        );
        let _ = writeln!(
            out,
            "  (of all {} with an account and a mobile in their name, including those who type another value: {} first try online, {:.2}%)",
            g.records_for_online,
            g.records_for_online_first_try,
            rate(g.records_for_online_first_try, g.records_for_online) * 100.0
        );
        let _ = writeln!(
            out,
            "  any path: {} of {} with an account ({:.2}%; target ≥ 99%: {}): {} online, {} by mail",
            g.verified_any_path,
            g.with_account,
            g.any_path_rate * 100.0,
            mark(g.any_path_rate >= ANY_PATH_TARGET),
            g.verified_online,
            g.verified_by_mail
        );
        let _ = writeln!(
            out,
            "  line taken in the last 90 days: {} people, {} first try online, {} verified",
            g.recent_line.people, g.recent_line.first_try_online, g.recent_line.verified
        );
        let _ = writeln!(
            out,
            "  PO box or route on the return: {} people, {} first try online, {} verified",
            g.postal_box.people, g.postal_box.first_try_online, g.postal_box.verified
        );
        let _ = writeln!(
            out,
            "\nImpostors verified: {} (target 0: {})",
            self.impostors_verified,
            mark(self.impostors_verified == 0)
        );
        for (kind, t) in &self.impostors {
            let _ = writeln!(
                out,
                "  {kind}: {} tried, {} verified online, {} by mail, {} letters went to the victim",
                t.tried, t.verified_online, t.verified_by_mail, t.letters_to_victims
            );
        }
        let sections = [
            (
                "Why eligible people did not pass online at the first try",
                &self.first_try_failures,
            ),
            (
                "Why people with an account were not verified by any path",
                &self.not_verified,
            ),
            ("What stopped impostors", &self.impostor_reasons),
        ];
        for (title, reasons) in sections {
            let _ = writeln!(out, "\n{title} (people per reason code):");
            let mut sorted: Vec<(&String, &usize)> = reasons.iter().collect();
            sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            if sorted.is_empty() {
                let _ = writeln!(out, "  (none)");
            }
            for (reason, n) in sorted {
                let _ = writeln!(out, "  {reason}: {n}");
            }
        }
        let _ = writeln!(out, "\nBy scenario (people, first try online, verified):");
        for (scenario, group) in &g.by_scenario {
            let _ = writeln!(
                out,
                "  {scenario}: {}, {}, {}",
                group.people, group.first_try_online, group.verified
            );
        }
        out
    }
}
