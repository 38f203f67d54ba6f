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
        Command::Demo => serve(config, true).await,
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
