//! `secure-access proofing simulate`: the proofing simulator. It generates a synthetic
//! population (`sa-population`), grows it with what real applicants and impostors
//! bring ([`population`]), types every form the way people type ([`typing`]), and runs
//! each person through the real proofing journeys on a database of its own
//! ([`journey`]), with the limits of the configuration in force: so an agency can see
//! what a threshold costs (`SA_LIMITS__PROOFING_PHONE_MIN_TENURE_DAYS=60 secure-access
//! proofing simulate ...`) before deploying it. [`report`] prints the pass rates,
//! false accepts by impostor kind, and the reasons behind every failure.

mod journey;
mod population;
mod report;
mod typing;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::StdRng;
use sa_domain::clock::{Clock, ManualClock};
use time::macros::datetime;
use tokio::sync::Notify;

use crate::config::{Config, SourcesConfig};
use crate::wiring::{build_services, open_store};
pub use report::Report;
use typing::Typist;

#[derive(Subcommand)]
pub enum ProofingCommand {
    /// Run a synthetic population of applicants and impostors through the real proofing
    /// journeys (on a temporary database; the configured limits apply) and report first-
    /// try and any-path pass rates, false accepts by impostor kind, and failure reasons.
    Simulate {
        /// How many people (1 to 1,000,000).
        #[arg(long, default_value_t = 1000)]
        people: u64,
        /// Same seed, same population and same results.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How messily people type: 0 (as the generator says) to 3 (hardest).
        #[arg(long, default_value_t = 1)]
        mess: u8,
        /// Impostors holding victims' data (default: one per 20 people).
        #[arg(long)]
        impostors: Option<usize>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// When the simulated applications happen (the clock then moves 20 s per person).
const START: time::OffsetDateTime = datetime!(2026-06-01 12:00 UTC);
const PEOPLE_MAX: u64 = 1_000_000;

/// `secure-access proofing …`.
pub async fn run(command: ProofingCommand, config: &Config) -> anyhow::Result<()> {
    let ProofingCommand::Simulate {
        people,
        seed,
        mess,
        impostors,
        json,
    } = command;
    if !(1..=PEOPLE_MAX).contains(&people) {
        anyhow::bail!("--people must be between 1 and {PEOPLE_MAX}");
    }
    if mess > 3 {
        anyhow::bail!("--mess must be 0, 1, 2 or 3");
    }
    let impostors = impostors.unwrap_or(usize::try_from(people / 20).unwrap_or(0));
    let report = simulate(config, people, seed, mess, impostors).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.text());
    }
    Ok(())
}

/// The configuration the simulation runs under: the operator's limits, everything
/// else its own (a SQLite database and keys in `dir`, the embedded tables).
fn simulation_config(config: &Config, dir: &std::path::Path) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        database_url: None,
        keys_file: None,
        key_encryption_key: None,
        password_pepper: None,
        require_identity_verification: true,
        limits: config.limits.clone(),
        sources: SourcesConfig::default(),
        hashing_concurrency: Some(1),
        ..Config::default()
    }
}

pub async fn simulate(
    config: &Config,
    people: u64,
    seed: u64,
    mess: u8,
    impostors: usize,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let progress = std::io::stderr().is_terminal();
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let generated = dir.path().join("population");
    sa_population::run(&sa_population::GenerateOptions {
        people,
        seed,
        out_dir: generated.clone(),
        gzip: false,
    })?;
    let clock = ManualClock::new(START);
    let world = population::build(&generated, seed, impostors, START.date())?;
    let sim_config = simulation_config(config, &dir.path().join("data"));
    std::fs::create_dir_all(&sim_config.data_dir)?;
    let shared_clock: Arc<dyn Clock> = Arc::new(clock.clone());
    for (kind, path) in &world.files {
        let loaded =
            crate::commands::records::import::run(&sim_config, shared_clock.clone(), *kind, path)
                .await?;
        if loaded.rejected > 0 {
            anyhow::bail!("the simulator's own records were rejected: {loaded}");
        }
    }
    let store = open_store(&sim_config).await?;
    let services = build_services(
        &sim_config,
        &store,
        "http://simulator.invalid",
        shared_clock.clone(),
        Arc::new(Notify::new()),
    )
    .await?;
    let harness = journey::Harness::new(services, store.clone(), shared_clock);

    let mut report = Report::default();
    let limits = &sim_config.limits;
    report.settings = report::Settings {
        people,
        seed,
        mess,
        impostors: world.impostors.len(),
        phone_min_tenure_days: limits.proofing_phone_min_tenure_days,
        ssns_per_phone: limits.proofing_ssns_per_phone,
        ssns_per_device: limits.proofing_ssns_per_device,
        ssns_per_ip: limits.proofing_ssns_per_ip,
    };
    // Impostors apply among the genuine people, at places the seed chooses.
    let mut order_rng = StdRng::seed_from_u64(seed.rotate_left(17) ^ 0x0dd5);
    let total = world.genuine.len() + world.impostors.len();
    let mut at_impostor: Vec<bool> = vec![false; world.genuine.len()];
    at_impostor.extend(std::iter::repeat_n(true, world.impostors.len()));
    for i in (1..at_impostor.len()).rev() {
        at_impostor.swap(i, order_rng.random_range(0..=i));
    }
    let mut typing_rng = StdRng::seed_from_u64(seed ^ 0x7e57_1e55);
    let mut typist = Typist {
        rng: &mut typing_rng,
        level: mess,
    };
    let (mut g, mut m) = (0, 0);
    for (done, impostor_turn) in at_impostor.into_iter().enumerate() {
        clock.advance(time::Duration::seconds(20));
        if impostor_turn {
            let impostor = &world.impostors[m];
            let ending = harness.impostor(m, impostor, &mut typist).await?;
            report.impostor(impostor, &ending);
            m += 1;
        } else {
            let person = &world.genuine[g];
            let ending = harness.genuine(person, &mut typist).await?;
            report.genuine(person, &ending);
            g += 1;
        }
        if progress && (done + 1) % 1000 == 0 {
            eprintln!("proofing simulate: {} of {total} applicants", done + 1);
        }
    }
    store.close().await;
    report.finish(started.elapsed().as_secs_f64());
    Ok(report)
}
