//! `eservices`: run the example portal. Settings come from `EXAMPLE_*` variables (see
//! `config.rs`); on start it prints how to register itself with Secure Access.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("eservices: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("eservices: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let config = eservices::Config::from_env()?;
    let running = eservices::start(config.clone()).await?;
    println!(
        "\ne-Services (example) is running at {url}\n\n\
         {key_note}Register it with Secure Access (run where `secure-access demo` runs, with the same\n\
         configuration; once is enough, running it again updates the registration):\n\n    {command}\n\n\
         Then open {url} and sign in with an account whose identity is verified (the demo\n\
         account is). The records are in {records}: a professional sees a taxpayer only\n\
         with a power of attorney naming their identifier, which the transcripts page shows.\n\
         {discovery}Stop with Ctrl-C.\n",
        url = running.public_url,
        key_note = if running.key_created {
            format!(
                "A new key pair was made; its public half is {}.\n",
                running.jwks_file.display()
            )
        } else {
            String::new()
        },
        command = running.registration_command(),
        records = running.records_file.display(),
        discovery = if running.discovered {
            String::new()
        } else {
            format!(
                "\nSecure Access is not reachable at {} yet; sign-in works once it is.\n",
                config.issuer
            )
        },
    );
    running.wait_for_signal().await
}
