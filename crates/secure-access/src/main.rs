//! `secure-access`: the command line. Parses the arguments and the configuration, starts
//! logging and the runtime, and hands the subcommand (`commands/`) the system clock.
#![forbid(unsafe_code)]

use clap::Parser;
use sa_domain::clock::SystemClock;
use secure_access::Config;
use secure_access::commands::{self, Command};
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
    match runtime.block_on(commands::run(cli.command, config, Arc::new(SystemClock))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("secure-access: {error:#}");
            ExitCode::FAILURE
        }
    }
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
    sa_web::panics::quiet_panic_hook();
}
