//! `secure-access staff …`: staff roles granted at the console.

use std::sync::Arc;

use clap::Subcommand;
use sa_domain::clock::Clock;

use crate::config::Config;
use crate::wiring::open_for_command;

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Give an existing account a staff role (help_desk, assistance_center, admin).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
    },
}

/// `secure-access staff …`.
pub async fn run(
    command: StaffCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
        StaffCommand::Add { username, role } => {
            let (store, services) = open_for_command(config, clock).await?;
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
