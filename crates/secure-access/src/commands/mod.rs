//! The command line's subcommands: each file holds one command's arguments (clap) and
//! what it does, over the same wiring as the server (`crate::wiring`). Every command
//! takes its time from the one clock `main` hands in.

pub mod account_help;
pub mod accounts;
pub mod apps;
pub mod audit;
pub mod keys;
pub mod letters;
pub mod proofing;
pub mod records;
pub mod report;
pub mod serve;
pub mod staff;

use std::sync::Arc;

use clap::Subcommand;
use sa_domain::clock::Clock;

use crate::config::Config;
use crate::wiring::open_store;

// Parsed once per run of the command line: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum Command {
    /// Run the service (migrates the database first).
    Serve {
        /// Also create the demo account and print a guide.
        #[arg(long)]
        demo: bool,
    },
    /// Run the service with a demo account and a printed guide (same as `serve --demo`).
    Demo,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Reference records for identity proofing.
    Records {
        #[command(subcommand)]
        command: records::RecordsCommand,
    },
    /// The data keys that seal personal data at rest.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Activation-code letters.
    Letters {
        #[command(subcommand)]
        command: letters::LettersCommand,
    },
    /// Identity proofing: the simulator.
    Proofing {
        #[command(subcommand)]
        command: proofing::ProofingCommand,
    },
    /// Reports for the agency.
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Person accounts: moving the users of older tools over; helping one person.
    Accounts {
        #[command(subcommand)]
        command: accounts::AccountsCommand,
    },
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: staff::StaffCommand,
    },
    /// Apps that sign people in through the OpenID Connect provider.
    Apps {
        #[command(subcommand)]
        command: apps::AppsCommand,
    },
    /// The hash-chained audit log.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
}

/// Run one command. `clock` is the one clock every command reads time from.
pub async fn run(command: Command, config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            let store = open_store(&config).await?;
            store.close().await;
            println!("database is up to date");
            Ok(())
        }
        Command::Serve { demo } => serve::run(config, clock, demo).await,
        Command::Records { command } => records::run(command, &config, clock).await,
        Command::Keys { command } => keys::run(command, &config, clock).await,
        Command::Apps { command } => apps::run(command, &config, clock).await,
        Command::Demo => serve::run(config, clock, true).await,
        Command::Letters { command } => letters::run(command, &config, clock).await,
        Command::Proofing { command } => proofing::run(command, &config).await,
        Command::Report { command } => report::run(command, &config, clock).await,
        Command::Audit { command } => audit::run(command, &config, clock).await,
        Command::Staff { command } => staff::run(command, &config, clock).await,
        Command::Accounts { command } => accounts::run(command, &config, clock).await,
    }
}
