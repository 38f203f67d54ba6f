//! `secure-access staff …`: staff roles administered at the console, over the same
//! domain code an admin uses (`Roles`): each grant and removal is in the audit log and
//! the person's history.

use std::sync::Arc;

use clap::Subcommand;
use sa_domain::clock::Clock;
use sa_domain::journeys::RoleAdmin;

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
        /// Why (kept in the audit log; one line, no personal data).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take a staff role away (never the last admin).
    Remove {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        /// Why (kept in the audit log; one line, no personal data).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Everyone holding a staff role: username, roles (granted when), last sign-in.
    List,
}

fn day(at: time::OffsetDateTime) -> String {
    at.date().to_string()
}

/// `secure-access staff …`.
pub async fn run(
    command: StaffCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let (store, services) = open_for_command(config, clock).await?;
    let roles = services.roles();
    let done = match command {
        StaffCommand::Add {
            username,
            role,
            reason,
        } => roles
            .grant_staff_role(RoleAdmin::Console, &username, &role, reason.as_deref())
            .await
            .map(|()| format!("{username} now has the {role} role")),
        StaffCommand::Remove {
            username,
            role,
            reason,
        } => roles
            .revoke_staff_role(RoleAdmin::Console, &username, &role, reason.as_deref())
            .await
            .map(|()| format!("{username} no longer has the {role} role")),
        StaffCommand::List => roles
            .staff_members(RoleAdmin::Console)
            .await
            .map(|members| {
                let mut out = String::from("username\troles\tlast sign-in\tmethod");
                for member in members {
                    let roles: Vec<String> = member
                        .roles
                        .iter()
                        .map(|(role, at)| format!("{role} (since {})", day(*at)))
                        .collect();
                    let last = member.last_sign_in.map_or("never".to_owned(), day);
                    let method = member.last_method.as_deref().unwrap_or("-");
                    out.push_str(&format!(
                        "\n{}\t{}\t{last}\t{method}",
                        member.username,
                        roles.join(", ")
                    ));
                }
                out
            }),
    };
    store.close().await;
    println!("{}", done.map_err(|e| anyhow::anyhow!("{e}"))?);
    Ok(())
}
