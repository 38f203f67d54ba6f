//! Browser end-to-end tests: the real server in-process (SQLite in a temp directory,
//! manual clock), driven by headless Chromium over WebDriver the way a person uses it,
//! each journey once with JavaScript and once without. Every page is screenshotted to
//! `target/browser-artifacts/<journey>/<nn>-<page>.png` and checked with axe-core; a
//! serious or critical finding fails the journey.
//!
//! Needs `chromium` and `chromium-driver` (Debian) and `npm ci --prefix tests/a11y`;
//! without them the tests print a notice and pass, except in CI. See `driver.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod common;
mod driver;

/// Run each named async test function (taking a `Js`) with JavaScript on and off.
#[macro_export]
macro_rules! with_and_without_javascript {
    ($($name:ident),* $(,)?) => {
        mod with_javascript {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::driver::Js::On).await;
                }
            )*
        }
        mod without_javascript {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::driver::Js::Off).await;
                }
            )*
        }
    };
}

mod account_life;
mod axe_check;
mod errors;
mod journeys;
mod keyboard;
mod passkeys;
mod recovery;
mod spanish;
