//! `secure-access demo`: the server with a ready-made account and a printed guide.

use crate::server::RunningServer;

pub const DEMO_USERNAME: &str = "demo.taxpayer";
pub const DEMO_EMAIL: &str = "demo.taxpayer@example.test";
/// A synthetic password for a synthetic account, printed on purpose.
pub const DEMO_PASSWORD: &str = "plum orbit canyon lantern";

/// Make sure the demo account exists and print what a newcomer should do.
pub async fn prepare(server: &RunningServer, outbox: &std::path::Path) -> anyhow::Result<()> {
    let demo = server
        .services
        .ensure_demo_account(DEMO_USERNAME, DEMO_EMAIL, DEMO_PASSWORD)
        .await
        .map_err(|e| anyhow::anyhow!("demo account: {e}"))?;
    let url = &server.public_url;
    println!(
        "\nSecure Access demo is running at {url}\n\n\
         Try the whole journey as a new person:\n  \
         1. Open {url}/sign-up and create an account (any made-up email address).\n  \
         2. The confirmation code is not emailed: it is appended to {outbox}\n     \
         (see it with: tail -n 1 {outbox})\n  \
         3. Set up an authenticator app by scanning the QR code, sign out, sign in again,\n     \
         and see the sign-in listed on your security page.\n\n\
         Or sign in at once with the demo account:\n  \
         username: {user}\n  password: {password}\n  \
         authenticator key: {secret}\n  (add it to an authenticator app, or scan {uri})\n\n\
         The JSON API is described at {url}/api/openapi.json. Stop with Ctrl-C.\n",
        outbox = outbox.display(),
        user = demo.username,
        password = DEMO_PASSWORD,
        secret = demo.totp_secret,
        uri = demo.otpauth_uri,
    );
    Ok(())
}
