//! Passkeys in Chromium with the WebDriver virtual authenticator (through the DevTools
//! WebAuthn domain): add a passkey as the first way to sign in, sign in with it alone,
//! then with the password and the passkey; then the step-up page and (as an admin) the
//! staff administration page. Without JavaScript the pages say a passkey needs it, and
//! nothing breaks. Every page is checked with axe.

use serde_json::json;

use crate::common::*;
use crate::driver::*;
use crate::journeys::sign_up_with_pages;

/// A platform authenticator with user verification that always says yes.
async fn add_virtual_authenticator(b: &Browser) {
    let cdp = b.driver.cdp();
    cdp.send_raw("WebAuthn.enable", json!({"enableUI": false}))
        .await
        .expect("WebAuthn domain");
    cdp.send_raw(
        "WebAuthn.addVirtualAuthenticator",
        json!({"options": {
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserVerified": true,
            "automaticPresenceSimulation": true,
        }}),
    )
    .await
    .expect("a virtual authenticator");
}

async fn adds_a_passkey_and_signs_in_with_it(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start(Backend::Sqlite).await;
    // Passkeys belong to a name, not an address: the server is `localhost` to them.
    let base = server.passkey_origin();
    let mut b = Browser::start(&tools, &base, "passkeys", js).await;
    let person = Person::new("passkey.browser");

    b.goto("/sign-in").await;
    b.arrive("/sign-in", "sign-in-offers-passkey").await;
    if js == Js::Off {
        b.says("Using a passkey needs JavaScript").await;
    }

    sign_up_with_pages(&server, &mut b, &person).await;
    b.arrive("/second-factor/setup", "choose-first-factor")
        .await;
    b.press("Set up a passkey").await;
    b.arrive("/second-factor/setup/passkey", "create-passkey")
        .await;
    if js == Js::Off {
        b.says("Using a passkey needs JavaScript").await;
        b.finish().await;
        server.finish().await;
        return;
    }
    add_virtual_authenticator(&b).await;
    b.press("Create the passkey").await;
    b.arrive("/account/security", "security-with-passkey").await;
    b.says("Passkey").await;

    // Signed out, then in again with the passkey alone.
    b.press("Sign out").await;
    b.arrive("/", "signed-out").await;
    b.goto("/sign-in").await;
    b.arrive("/sign-in", "sign-in").await;
    b.press("Sign in with a passkey").await;
    b.arrive("/account/security", "signed-in-by-passkey").await;

    // And with the password, then the passkey as the second step.
    b.press("Sign out").await;
    b.arrive("/", "signed-out-again").await;
    crate::journeys::sign_in_with_password(&mut b, &person).await;
    b.press("Use your passkey").await;
    b.arrive("/account/security", "signed-in-password-and-passkey")
        .await;
    b.says("passkey").await;

    // The page an app's step-up leads to, and (as an admin, who must use the passkey)
    // the staff administration page.
    b.goto("/security/passkey-check").await;
    b.arrive("/security/passkey-check", "passkey-check").await;
    b.says("Use your passkey").await;
    server
        .running()
        .services
        .roles()
        .grant_staff_role(
            sa_domain::journeys::RoleAdmin::Console,
            &person.username,
            "admin",
            Some("browser test"),
        )
        .await
        .expect("admin role");
    b.goto("/admin/staff").await;
    b.arrive("/admin/staff", "admin-staff").await;
    b.says("Give or take away a role").await;
    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(adds_a_passkey_and_signs_in_with_it);
