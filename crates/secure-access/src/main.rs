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
    /// The data keys that seal personal data at rest.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Activation-code letters.
    Letters {
        #[command(subcommand)]
        command: LettersCommand,
    },
    /// Reports for the agency.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Apps that sign people in through the OpenID Connect provider.
    Apps {
        #[command(subcommand)]
        command: AppsCommand,
    },
    /// The hash-chained audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain: prints `audit log intact: N entries`, or names the first
    /// broken entry and exits non-zero.
    Verify,
    /// Write the whole log to a JSON Lines file (the export is itself recorded).
    Export {
        /// Output file (created with mode 0600, replaced if it exists).
        #[arg(long)]
        out: PathBuf,
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

#[derive(Subcommand)]
enum LettersCommand {
    /// Write the waiting letters as one printable PDF and a CSV manifest (in
    /// `letters_dir`), and mark them printed. A letter is never printed twice.
    Print,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The verification funnel per day: started, passed and failed per step and why,
    /// letters sent and activated, verification rate.
    Funnel {
        /// First day, YYYY-MM-DD (default: 29 days before --to).
        #[arg(long, value_parser = parse_date)]
        from: Option<time::Date>,
        /// Last day, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        to: Option<time::Date>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Give an existing account a staff role (help_desk, assistance_center, admin).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
    },
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).map_err(|_| format!("{text:?} is not a date like 2026-03-01"))
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new data key, make it current and re-seal every sealed value under it.
    /// Running servers keep their old keyring: restart them, then run `keys reseal`.
    /// Exits non-zero if values remain under older keys.
    Rotate,
    /// Re-seal values still under an older key under the current one (after a restart,
    /// or to finish an interrupted rotation). Exits non-zero if any remain.
    Reseal,
    /// Remove the older data keys from the keys file; refused while any stored value
    /// still uses one.
    Retire,
    /// Re-wrap the keys file under a new key-encryption key: reads it with
    /// SA_KEY_ENCRYPTION_KEY (or as plain JSON) and writes it wrapped under
    /// SA_NEW_KEY_ENCRYPTION_KEY (ID:BASE64, an id other than the current one). Then set
    /// SA_KEY_ENCRYPTION_KEY to the new key and restart every server.
    Rewrap,
    /// New OpenID Connect signing keys (ES256 and RS256); the old ones stay in the JWKS
    /// until the tokens they signed have expired.
    RotateSigning,
}

#[derive(Subcommand)]
enum AppsCommand {
    /// Register an app. Prints its client id, and its secret once (client_secret_basic).
    Add {
        #[arg(long)]
        name: String,
        /// Exact redirect URI (repeat for several).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// Where the app may send people after sign-out (repeat for several).
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// private_key_jwt | client_secret_basic | none (public app: PKCE required).
        #[arg(long, default_value = "private_key_jwt")]
        auth: String,
        /// For private_key_jwt: a file holding the app's public JWKS.
        #[arg(long)]
        jwks_file: Option<PathBuf>,
        /// Scopes the app may ask for, space-separated.
        #[arg(long, default_value = "openid email")]
        scopes: String,
        /// 1: sign-in only; 2: a verified identity is required.
        #[arg(long, default_value_t = 1)]
        identity_level: u8,
        /// ES256 (default) or RS256.
        #[arg(long)]
        id_token_alg: Option<String>,
        /// May receive the social_security_number claim.
        #[arg(long)]
        social_security_number: bool,
        /// For client_credentials: the verified account the app acts for.
        #[arg(long)]
        machine_username: Option<String>,
        /// Use this client id (else one is generated).
        #[arg(long)]
        client_id: Option<String>,
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
        Command::Keys { command } => keys(command, &config).await,
        Command::Apps {
            command:
                AppsCommand::Add {
                    name,
                    redirect_uris,
                    post_logout_redirect_uris,
                    auth,
                    jwks_file,
                    scopes,
                    identity_level,
                    id_token_alg,
                    social_security_number,
                    machine_username,
                    client_id,
                },
        } => {
            let app = secure_access::config::AppConfig {
                client_id: client_id.unwrap_or_default(),
                name,
                redirect_uris,
                post_logout_redirect_uris,
                auth_method: auth,
                client_secret: None,
                jwks_file,
                scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                identity_level: Some(identity_level),
                id_token_alg,
                social_security_number,
                machine_username,
            };
            let registered = secure_access::apps::add(&config, Arc::new(SystemClock), &app).await?;
            println!("client_id: {}", registered.client_id);
            if let Some(secret) = registered.secret {
                println!(
                    "client_secret: {secret}\n(shown once: store it in the app's secret store now)"
                );
            }
            Ok(())
        }
        Command::Demo => serve(config, true).await,
        Command::Letters {
            command: LettersCommand::Print,
        } => {
            let report = secure_access::letters::print(&config, Arc::new(SystemClock)).await?;
            println!("{report}");
            Ok(())
        }
        Command::Report {
            command: ReportCommand::Funnel { from, to, json },
        } => {
            let report =
                secure_access::report::funnel(&config, Arc::new(SystemClock), from, to).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", secure_access::report::as_table(&report));
            }
            Ok(())
        }
        Command::Audit { command } => audit(command, &config).await,
        Command::Staff {
            command: StaffCommand::Add { username, role },
        } => {
            let store = server::open_store(&config).await?;
            let services = server::build_services(
                &config,
                &store,
                Arc::new(SystemClock),
                Arc::new(tokio::sync::Notify::new()),
            )
            .await?;
            services
                .roles()
                .grant_staff_role(&username, &role)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            store.close().await;
            println!("{username} now has the {role} role");
            Ok(())
        }
    }
}

async fn audit(command: AuditCommand, config: &Config) -> anyhow::Result<()> {
    use secure_access::audit;
    match command {
        AuditCommand::Verify => {
            let outcome = audit::verify(config).await?;
            let message = audit::verify_message(&outcome);
            println!("{message}");
            if outcome.is_err() {
                anyhow::bail!("{message}");
            }
            Ok(())
        }
        AuditCommand::Export { out } => {
            let written = audit::export(config, Arc::new(SystemClock), &out).await?;
            println!("exported {written} audit entries to {}", out.display());
            Ok(())
        }
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

async fn keys(command: KeysCommand, config: &Config) -> anyhow::Result<()> {
    use secure_access::keys;
    let remaining = match command {
        KeysCommand::Rotate => {
            let report = keys::rotate(config).await?;
            println!("{report}");
            report.reseal.remaining()
        }
        KeysCommand::Reseal => {
            let outcome = keys::reseal(config).await?;
            println!("{outcome}");
            outcome.remaining()
        }
        KeysCommand::Retire => {
            println!("{}", keys::retire(config).await?);
            0
        }
        KeysCommand::Rewrap => {
            println!("{}", keys::rewrap(config, &keys::new_kek_from_env()?)?);
            0
        }
        KeysCommand::RotateSigning => {
            let rotated =
                secure_access::apps::rotate_signing(config, Arc::new(SystemClock)).await?;
            println!(
                "new signing keys: {}; the old keys stay published until {}",
                rotated.new_kids.join(", "),
                rotated.old_published_until
            );
            0
        }
    };
    if remaining > 0 {
        anyhow::bail!(
            "{remaining} value(s) are still sealed under older keys (sealed by servers not yet restarted, changed meanwhile, or unreadable); restart every server, then run `secure-access keys reseal`"
        );
    }
    Ok(())
}

async fn serve(config: Config, demo_mode: bool) -> anyhow::Result<()> {
    let outbox = config.outbox_file();
    let running = server::start(config.clone(), Arc::new(SystemClock), demo_mode).await?;
    server::stop_on_signal(&running).await;
    tracing::info!(url = %running.public_url, "listening");
    if demo_mode {
        demo::prepare(&running, &config, &outbox).await?;
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
    sa_web::panics::quiet_panic_hook();
}
