//! `secure-access accounts unlock|end-sessions|disable|enable --username U --reason R`:
//! help a person from the console, over the same domain code an admin uses
//! (`AccountHelp`): each is in the audit log (actor `system`, `via: console`) and the
//! person's history, and turning an account off ends its sessions and emails the person.

use std::sync::Arc;

use sa_domain::clock::Clock;
use sa_domain::journeys::RoleAdmin;

use crate::config::Config;
use crate::wiring::open_for_command;

/// What to do for the person.
#[derive(Clone, Copy, Debug)]
pub enum Help {
    Unlock,
    EndSessions,
    Disable,
    Enable,
}

/// Do `help` for the account named `username`, with `reason`; prints what was done.
pub async fn run(
    help: Help,
    username: &str,
    reason: &str,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let (store, services) = open_for_command(config, clock).await?;
    let account_help = services.account_help();
    let by = RoleAdmin::Console;
    let reason = Some(reason);
    let done = match account_help.account_id_of(username).await {
        Ok(id) => match help {
            Help::Unlock => account_help.unlock(by, &id, reason).await.map(|unlocked| {
                if unlocked {
                    format!("{username}: the sign-in lock was lifted")
                } else {
                    format!("{username}: sign-in was not locked (nothing changed)")
                }
            }),
            Help::EndSessions => account_help
                .end_sessions(by, &id, reason)
                .await
                .map(|()| format!("{username}: signed out everywhere")),
            Help::Disable => account_help
                .disable(by, &id, reason)
                .await
                .map(|()| format!("{username}: turned off, signed out and told by email")),
            Help::Enable => account_help
                .enable(by, &id, reason)
                .await
                .map(|()| format!("{username}: turned on again and told by email")),
        },
        Err(error) => Err(error),
    };
    store.close().await;
    println!("{}", done.map_err(|e| anyhow::anyhow!("{e}"))?);
    Ok(())
}
