//! Apps that sign people in through the OpenID Connect provider: building the provider
//! for the server and the command line, registering apps (`secure-access apps add` and
//! the `[[apps]]` configuration), looking after them (`apps list`, `apps show`, `apps
//! remove`; adding and removing are in the audit log), and rotating the signing keys
//! (`secure-access keys rotate-signing`).

use std::sync::Arc;

use sa_domain::clock::Clock;
use sa_domain::oidc::clients::Registered;

use crate::config::{AppConfig, Config};
use crate::wiring::{new_client, open_provider};
use clap::Subcommand;
use std::path::PathBuf;

/// `secure-access apps add`.
pub async fn add(
    config: &Config,
    clock: Arc<dyn Clock>,
    app: &AppConfig,
) -> anyhow::Result<Registered> {
    let (store, provider) = open_provider(config, clock).await?;
    let registered = match provider.register_client(new_client(app)?).await {
        Ok(registered) => provider
            .record_console_registration(&registered.client_id)
            .await
            .map(|()| registered)
            .map_err(|e| anyhow::anyhow!("{e}")),
        Err(e) => Err(anyhow::anyhow!("{}", e.description)),
    };
    store.close().await;
    registered
}

/// What `apps show` prints of the tokens sent to an app, newest first: enough for an
/// operator to see whether the app is hearing, and if not, why.
fn deliveries(sent: &[sa_domain::app_events::AppDelivery]) -> String {
    if sent.is_empty() {
        return "security events and logout tokens sent: none".to_owned();
    }
    let mut out = String::from("security events and logout tokens sent (newest first):");
    for token in sent {
        let state = match token.status.as_str() {
            "sent" => "delivered".to_owned(),
            "dead" => "given up".to_owned(),
            _ => "waiting to be tried again".to_owned(),
        };
        out.push_str(&format!(
            "\n  {} {}: {state} after {} attempt(s)",
            sa_domain::clock::rfc3339(token.created_at),
            token.kind,
            token.attempts
        ));
        if let Some(error) = token
            .last_error
            .as_deref()
            .filter(|_| token.status != "sent")
        {
            out.push_str(&format!(" ({error})"));
        }
    }
    out
}

/// What `apps show` prints of a registration (never a secret or its hash).
fn describe(app: &sa_domain::oidc::records::Client) -> String {
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_owned()
        } else {
            items.join(" ")
        }
    };
    [
        format!("client_id: {}", app.client_id),
        format!("name: {}", app.name),
        format!("auth: {}", app.auth_method.as_str()),
        format!("redirect_uris: {}", list(&app.redirect_uris)),
        format!(
            "post_logout_redirect_uris: {}",
            list(&app.post_logout_redirect_uris)
        ),
        format!("scopes: {}", app.scopes.join(" ")),
        format!("identity_level: {}", app.required_ial),
        format!("id_token_alg: {}", app.id_token_alg),
        format!("social_security_number: {}", app.can_receive_ssn),
        format!(
            "machine_account: {}",
            app.machine_account_id.as_deref().unwrap_or("(none)")
        ),
        format!(
            "events_uri: {}",
            app.events_uri.as_deref().unwrap_or("(none)")
        ),
        format!(
            "backchannel_logout_uri: {}",
            app.backchannel_logout_uri.as_deref().unwrap_or("(none)")
        ),
        format!("saml: {}", describe_saml(app.saml.as_ref())),
        format!("registered: {}", app.created_at.date()),
    ]
    .join("\n")
}

/// A SAML service provider's registration in one line.
fn describe_saml(sp: Option<&sa_domain::oidc::records::SamlServiceProvider>) -> String {
    let Some(sp) = sp else {
        return "(not a SAML service provider)".to_owned();
    };
    format!(
        "{} consumer(s), {} signing certificate(s), requests must be signed: {}, wants signed assertions: {}",
        sp.consumers.len(),
        sp.signing_certificates.len(),
        sp.authn_requests_signed,
        sp.want_assertions_signed
    )
}

/// What `apps list`, `apps show` and `apps remove` print.
enum Care {
    List,
    Show(String),
    Remove(String, Option<String>),
}

/// `apps list`, `apps show`, `apps remove`: one line per app, one app, or gone.
async fn look_after(care: Care, config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<String> {
    let (store, provider) = open_provider(config, clock).await?;
    let done = match care {
        Care::List => provider.clients().await.map(|apps| {
            let mut out = String::from("client_id\tname\tauth\tidentity level");
            for app in apps {
                out.push_str(&format!(
                    "\n{}\t{}\t{}\t{}",
                    app.client_id,
                    app.name,
                    app.auth_method.as_str(),
                    app.required_ial
                ));
            }
            out
        }),
        Care::Show(client_id) => match provider.client_named(&client_id).await {
            Ok(app) => provider
                .deliveries(&client_id)
                .await
                .map(|sent| format!("{}\n{}", describe(&app), deliveries(&sent))),
            Err(error) => Err(error),
        },
        Care::Remove(client_id, reason) => provider
            .remove_client(&client_id, reason.as_deref())
            .await
            .map(|()| format!("{client_id} removed: it can no longer sign anyone in")),
    };
    store.close().await;
    done.map_err(|e| anyhow::anyhow!("{e}"))
}

/// `secure-access keys rotate-signing`.
pub async fn rotate_signing(
    config: &Config,
    clock: Arc<dyn Clock>,
    activate_after: time::Duration,
) -> anyhow::Result<sa_domain::oidc::keys::RotatedKeys> {
    let (store, provider) = open_provider(config, clock).await?;
    let rotated = provider
        .rotate_signing_keys(activate_after)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.description));
    store.close().await;
    rotated
}

// Parsed once per run of the command line: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum AppsCommand {
    /// Register an app. Prints its client id, and its secret once (client_secret_basic).
    Add {
        #[arg(long)]
        name: String,
        /// Exact redirect URI (repeat for several).
        #[arg(long = "redirect-uri", required_unless_present = "saml_metadata")]
        redirect_uris: Vec<String>,
        /// A SAML 2.0 service provider: the file holding its metadata. Its entity id is
        /// the client id, its HTTP-POST AssertionConsumerServices the redirect URIs, and
        /// `--scopes` the attributes it receives.
        #[arg(long, conflicts_with_all = ["redirect_uris", "auth", "jwks_file", "backchannel_logout_uri", "client_id"])]
        saml_metadata: Option<PathBuf>,
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
        /// Where Security Event Tokens are pushed (RFC 8935): account disabled,
        /// credentials changed, sessions revoked, account purged, ...
        #[arg(long)]
        events_uri: Option<String>,
        /// Where logout tokens are posted (OpenID Connect Back-Channel Logout).
        #[arg(long)]
        backchannel_logout_uri: Option<String>,
        /// Use this client id (else one is generated).
        #[arg(long)]
        client_id: Option<String>,
    },
    /// Every registered app: client id, name, authentication, identity level.
    List,
    /// One app's registration (never its secret).
    Show { client_id: String },
    /// Remove an app: its registration and everything issued to it (codes, tokens,
    /// consents). Recorded in the audit log.
    Remove {
        client_id: String,
        /// Why (kept in the audit log; one line, no personal data).
        #[arg(long)]
        reason: Option<String>,
    },
}

fn print(done: anyhow::Result<String>) -> anyhow::Result<()> {
    println!("{}", done?);
    Ok(())
}

/// `secure-access apps …`.
pub async fn run(
    command: AppsCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
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
            events_uri,
            backchannel_logout_uri,
            client_id,
            saml_metadata,
        } => {
            let app = AppConfig {
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
                events_uri,
                backchannel_logout_uri,
                saml_metadata: saml_metadata.map(|path| path.display().to_string()),
            };
            let registered = add(config, clock, &app).await?;
            println!("client_id: {}", registered.client_id);
            if let Some(secret) = registered.secret {
                println!(
                    "client_secret: {secret}\n(shown once: store it in the app's secret store now)"
                );
            }
            Ok(())
        }
        AppsCommand::List => print(look_after(Care::List, config, clock).await),
        AppsCommand::Show { client_id } => {
            print(look_after(Care::Show(client_id), config, clock).await)
        }
        AppsCommand::Remove { client_id, reason } => {
            print(look_after(Care::Remove(client_id, reason), config, clock).await)
        }
    }
}
