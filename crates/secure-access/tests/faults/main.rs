//! Crashes and faults, against the real binary: `secure-access serve` runs as a child
//! process configured through `SA_*` variables, exactly as in production, on SQLite and
//! (with `SA_TEST_POSTGRES_URL`) on a fresh PostgreSQL database.
//!
//! - `killed_mid_journey_loses_nothing` (`killed.rs`): 200 clients, each a different synthetic person
//!   from `records generate` (the one-SSN rule allows one verification per SSN), sign up,
//!   confirm their email, prove their identity and finish by phone (route `online`) or ask
//!   for a letter (route `mail`). Half-way through the letters the server gets SIGKILL and
//!   is started again on the same data. Then every answered sign-up signs in, every
//!   answered online verification is still verified, every `202` letter request has
//!   exactly one letter (the API's `letter_expires_at` and letters left), `letters print`
//!   prints each letter once (and nothing the second time), and the outbox delivers every
//!   committed message exactly once: lines in `outbox.jsonl` = rows marked sent, each
//!   code once to its recipient. The worker hands a message over again when a kill came
//!   between the send and `mark_sent`; the file sender skips a message id it already
//!   wrote, so no line is ever written twice.
//! - `database_outage_answers_503_and_recovers` (`outage.rs`): under load (API sign-ins and sign-ups,
//!   page sign-ins, the home page; one person per loop), the database goes away: PostgreSQL refuses
//!   connections and its backends are terminated; SQLite is locked by another process
//!   holding `BEGIN EXCLUSIVE` (what a stuck admin shell or backup does; `chmod` cannot
//!   make an open SQLite database unwritable: the server keeps its open descriptors, and
//!   root ignores modes anyway). API and pages answer `503` with `Retry-After` and a
//!   plain message (never `500`), the process stays up, `/readyz` reports it (on
//!   SQLite by probing for the write lock), and once the database is back sign-in works again without a restart.
//!
//! Delivery claims are shortened (`SA_DELIVERY__CLAIM_SECS=3`) so that messages claimed
//! by the killed process are sent again within seconds; waits poll for readiness and
//! delivery with bounds, never sleep for a product rule. Tests run one at a time (each
//! loads both cores).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod killed;
mod outage;

use std::time::Duration;

use reqwest::Client;
use sa_test_support::process::Deployment;
use sa_test_support::server::Backend;

const BIN: &str = env!("CARGO_BIN_EXE_secure-access");
const PASSWORD: &str = "violet harbor piano meadow";

/// One test at a time: each one drives a server with many clients on a 2-core machine.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn killed_mid_journey_loses_nothing() {
        super::killed::killed_mid_journey_loses_nothing(super::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn database_outage_answers_503_and_recovers() {
        super::outage::database_outage_answers_503_and_recovers(super::Backend::Sqlite).await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn killed_mid_journey_loses_nothing() {
        if let Some(backend) = super::Backend::postgres() {
            super::killed::killed_mid_journey_loses_nothing(backend).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn database_outage_answers_503_and_recovers() {
        if let Some(backend) = super::Backend::postgres() {
            super::outage::database_outage_answers_503_and_recovers(backend).await;
        }
    }
}

// ---------------------------------------------------------------------------------------
// The deployment: a data directory, a database, the binary as a child process.
// ---------------------------------------------------------------------------------------

/// A deployment configured for these tests: identity verification on, and the per-IP
/// limits lifted (every simulated person comes from 127.0.0.1; in production each has
/// their own address).
async fn deployment(backend: &Backend) -> Deployment {
    let mut deployment = Deployment::new(BIN, backend).await;
    deployment.set("SA_REQUIRE_IDENTITY_VERIFICATION", "true");
    deployment.set("SA_LIMITS__IP_SIGN_IN_PER_MINUTE", "1000000");
    deployment.set("SA_LIMITS__IP_CODE_SENDS_PER_10_MINUTES", "1000000");
    deployment.set("SA_LIMITS__PROOFING_SSNS_PER_IP", "1000000");
    deployment
}

fn api_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(64)
        .user_agent("sa-faults/1.0")
        .build()
        .expect("client")
}
