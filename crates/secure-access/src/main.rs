//! `secure-access`: the command line. Each subcommand is a thin call into the library.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use sa_domain::clock::SystemClock;
use secure_access::{Config, demo, server};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "secure-access",
    version,
    about = "Secure Access identity service"
)]
struct Cli {
    /// TOML configuration file; `SA_*` environment variables override it.
    #[arg(long, global = true, env = "SA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
        command: RecordsCommand,
    },
}

#[derive(Subcommand)]
enum RecordsCommand {
    /// Load a JSON Lines file (gzip if it ends in .gz) of tax-returns, financial-accounts
    /// or phone-records. Prints `loaded N, updated N, unchanged N, rejected N`; exits
    /// non-zero if any line was rejected.
    Import {
        /// tax-returns | financial-accounts | phone-records
        kind: String,
        file: PathBuf,
    },
    /// Write an obviously synthetic population (the three record files and what each
    /// applicant would type) for demos, tests and benchmarks.
    Generate {
        /// How many people.
        #[arg(long, default_value_t = 1000)]
        people: u64,
        /// Same seed, same population.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long, default_value = "synthetic-population")]
        out: PathBuf,
        /// Write gzip-compressed files.
        #[arg(long)]
        gzip: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("secure-access: {message}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("secure-access: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("secure-access: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            let store = server::open_store(&config).await?;
            store.close().await;
            println!("database is up to date");
            Ok(())
        }
        Command::Serve { demo } => serve(config, demo).await,
        Command::Records { command } => records(command, &config).await,
        Command::Demo => serve(config, true).await,
    }
}

async fn records(command: RecordsCommand, config: &Config) -> anyhow::Result<()> {
    use sa_domain::proofing::records::RecordKind;
    use secure_access::records::{generate, import};
    match command {
        RecordsCommand::Import { kind, file } => {
            let kind = RecordKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!("unknown record kind {kind:?}: use tax-returns, financial-accounts or phone-records")
            })?;
            let report = import::run(config, kind, &file).await?;
            println!("{report}");
            if report.rejected > 0 {
                anyhow::bail!(
                    "{} line(s) were rejected (see above); the other lines were loaded",
                    report.rejected
                );
            }
            Ok(())
        }
        RecordsCommand::Generate {
            people,
            seed,
            out,
            gzip,
        } => {
            let summary = generate::run(&generate::GenerateOptions {
                people,
                seed,
                out_dir: out,
                gzip,
            })?;
            println!("{summary}");
            Ok(())
        }
    }
}

async fn serve(config: Config, demo_mode: bool) -> anyhow::Result<()> {
    let outbox = config.outbox_file();
    let running = server::start(config, Arc::new(SystemClock), demo_mode).await?;
    server::stop_on_signal(&running).await;
    tracing::info!(url = %running.public_url, "listening");
    if demo_mode {
        demo::prepare(&running, &outbox).await?;
    } else {
        println!("Secure Access is listening on {}", running.public_url);
    }
    running.wait().await
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
