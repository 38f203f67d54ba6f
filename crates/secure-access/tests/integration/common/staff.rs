//! Staff members for the staff suites: a verified account (marked verified directly,
//! as staff prove their identity like anyone) with a confirmed authenticator app and
//! the given roles.

use reqwest::Method;
use serde_json::json;

use super::applicant::sign_up_to_proofing;
use super::{Person, TestServer, call};

/// A staff member made through the API.
pub struct StaffMember {
    /// A session that passed the app code (fully signed in).
    pub token: String,
    /// The authenticator app's secret.
    pub secret: String,
}

/// Sign `name` up, mark the identity verified, confirm an authenticator app and grant
/// `roles`. The clock then moves 30 s on, so the next app code is a new one (codes
/// are single use).
pub async fn staff_member(
    server: &TestServer,
    client: &reqwest::Client,
    name: &str,
    roles: &[&str],
) -> StaffMember {
    use sa_domain::store::{Change, Store, Write};
    let token = sign_up_to_proofing(server, client, &Person::new(name)).await;
    let store = &server.running().store;
    let account = store
        .account_by_username(name)
        .await
        .unwrap()
        .expect("account");
    store
        .apply(Change::new().with(Write::MarkIdentityVerified {
            account_id: account.id,
            at: server.clock_now(),
            by: "in_person".into(),
        }))
        .await
        .unwrap();
    let begun = call(
        client,
        Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().unwrap().to_owned();
    let id = begun["factor_id"].as_str().unwrap();
    let confirmed = call(
        client,
        Method::POST,
        server.url(&format!("/api/v1/factors/totp/{id}/confirm")),
        Some(&token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    for role in roles {
        server
            .running()
            .services
            .roles()
            .grant_staff_role(sa_domain::journeys::RoleAdmin::Console, name, role, None)
            .await
            .unwrap();
    }
    server.clock.advance(time::Duration::seconds(30));
    StaffMember {
        token: confirmed["session_token"].as_str().unwrap().to_owned(),
        secret,
    }
}
