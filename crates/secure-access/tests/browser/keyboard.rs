//! Keyboard only: a person who cannot use a mouse signs up, sets up an authenticator
//! app, signs out and signs in again with Tab, typing and Enter alone. Each form is
//! walked in order: from its first field, one Tab reaches the next field and then the
//! submit button, so the focus order follows the form.

use crate::common::*;
use crate::driver::*;

/// Type into `first`, then Tab once to each following field and type into it, then
/// one more Tab must land on the `submit` button: press Enter there. With JavaScript,
/// a password field is followed by its "Show password" button (one more Tab).
async fn complete_form(b: &Browser, fields: &[(&str, &str)], submit: &str) {
    let (first, rest) = fields.split_first().expect("a field");
    b.tab_to_field_and_type(first.0, first.1).await;
    let mut previous = first.0;
    for (id, value) in rest {
        tab_past_show_password(b, previous).await;
        let focused = b.focused().await;
        assert_eq!(focused.id, *id, "Tab goes to #{id} next, not {focused}");
        b.type_text(value).await;
        previous = id;
    }
    tab_past_show_password(b, previous).await;
    let focused = b.focused().await;
    assert!(
        focused.tag == "button" && focused.text == submit,
        "after the last field, Tab goes to the {submit:?} button, not {focused}"
    );
    b.enter().await;
}

/// Tab away from field `id`; if it is a password field and JavaScript runs, the next
/// stop is its "Show password" button: Tab once more.
async fn tab_past_show_password(b: &Browser, id: &str) {
    b.tab().await;
    if b.js == Js::On && id.contains("password") {
        let focused = b.focused().await;
        assert_eq!(
            (focused.tag.as_str(), focused.text.as_str()),
            ("button", "Show password"),
            "after #{id}, its Show password button, not {focused}"
        );
        b.tab().await;
    }
}

async fn signs_up_and_signs_in_with_the_keyboard_only(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    let mut b = Browser::start(&tools, &server.base, "keyboard-only", js).await;
    let person = Person::new("keyboard.person");

    // The first Tab reaches the skip link; it jumps past the header to the content.
    b.goto("/").await;
    b.arrive("/", "home").await;
    b.tab().await;
    let skip = b.focused().await;
    assert_eq!(
        (skip.tag.as_str(), skip.href.as_str()),
        ("a", "#main-content"),
        "the first Tab reaches the skip link, not {skip}"
    );
    b.enter().await;
    b.tab().await;
    let first = b.focused().await;
    assert_eq!(
        first.text, "Sign in",
        "after skipping, Tab reaches the content"
    );
    b.tab_until("the link to create an account", 5, |f| {
        f.tag == "a" && f.text == "Create an account"
    })
    .await;
    b.enter().await;

    b.arrive("/sign-up", "sign-up").await;
    if js == Js::On {
        // The password can be shown to check it, and hidden again, from the keyboard.
        b.tab_to_field_and_type("password", "checking what I typed")
            .await;
        b.tab().await;
        b.enter().await;
        let shown = b
            .script("return document.getElementById('password').type")
            .await;
        assert_eq!(shown, "text", "Show password shows it");
        b.enter().await;
        let hidden = b
            .script("return document.getElementById('password').type")
            .await;
        assert_eq!(hidden, "password", "and hides it again");
        // The strength meter, rated by the server with the form's own checks.
        b.fill("password", "Spring2026!!").await;
        b.comes_to_say("Not strong enough yet").await;
        b.page("password-strength-weak").await;
        b.goto("/sign-up").await;
        b.arrive("/sign-up", "sign-up-again").await;
    }
    let mark = server.outbox_mark();
    complete_form(
        &b,
        &[
            ("username", &person.username),
            ("email", &person.email),
            ("password", &person.password),
        ],
        "Create account",
    )
    .await;
    b.arrive("/sign-up/confirm-email", "confirm-email").await;
    let code = server.code_after(mark, &person.email).await;
    complete_form(&b, &[("code", &code)], "Confirm").await;

    b.arrive("/second-factor/setup", "choose-second-factor")
        .await;
    b.tab_to_button_and_enter("Set up an authenticator app")
        .await;
    b.arrive("/second-factor/setup/totp/*", "authenticator-app")
        .await;
    let secret = b.text_of(".sa-secret code").await;
    complete_form(&b, &[("code", &server.totp_now(&secret))], "Confirm").await;
    b.arrive("/account/security", "security").await;

    b.tab_to_button_and_enter("Sign out").await;
    b.arrive("/", "signed-out").await;
    server.next_totp_step();
    b.tab_until("the sign-in link", 10, |f| {
        f.tag == "a" && f.text == "Sign in"
    })
    .await;
    b.enter().await;
    b.arrive("/sign-in", "sign-in").await;
    complete_form(
        &b,
        &[
            ("username", &person.username),
            ("password", &person.password),
        ],
        "Sign in",
    )
    .await;
    b.arrive("/sign-in/second-factor", "second-factor").await;
    complete_form(&b, &[("totp-code", &server.totp_now(&secret))], "Continue").await;
    b.arrive("/account/security", "security-signed-in").await;
    b.says("Recent sign-ins").await;

    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(signs_up_and_signs_in_with_the_keyboard_only);
