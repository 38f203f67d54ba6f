//! Recovery in Chromium, with JavaScript and without, every page checked by axe-core:
//! "Forgot your password?" from the sign-in page, the "this wasn't me" link of a
//! security email, and "I can't use any of these sign-in methods" (the waiting reset).

use crate::common::*;
use crate::driver::*;
use crate::journeys::sign_in_with_password;

async fn resets_a_forgotten_password(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    let person = Person::new("browser.forgetter");
    api_account_with_totp(&server, &person).await;
    let mut b = Browser::start(&tools, &server.base, "password-reset", js).await;

    b.goto("/sign-in").await;
    b.arrive("/sign-in", "sign-in").await;
    b.follow("Forgot your password?").await;
    b.arrive("/password-reset", "ask-for-code").await;
    b.fill("username", &person.username).await;
    let mark = server.settled_outbox_mark().await;
    b.press("Email me a code").await;
    b.comes_to_say("Code from the email").await;
    b.page("enter-code").await;
    let code = server.code_after(mark, &person.email).await;
    b.fill("code", &code).await;
    b.fill("password", "short").await;
    b.press("Save new password").await;
    b.arrive("/password-reset/confirm", "weak-password").await;
    b.says("There is a problem").await;
    b.fill("code", &code).await;
    b.fill("password", "juniper canyon lantern 5").await;
    b.press("Save new password").await;
    b.comes_to_say("Your password was changed").await;
    b.page("password-changed").await;

    b.finish().await;
    server.finish().await;
}

async fn follows_a_this_wasnt_me_link(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    let person = Person::new("browser.disavower");
    api_account_with_totp(&server, &person).await;
    let notice = server
        .messages_with("factor_changed", &person.email, 1)
        .await
        .pop()
        .expect("notice");
    let body = notice["body"].as_str().expect("body");
    let start = body.find("/account/disavow?token=").expect("link");
    let path: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let mut b = Browser::start(&tools, &server.base, "disavow", js).await;

    b.goto(&path).await;
    b.arrive("/account/disavow*", "protect-account").await;
    b.press("Protect my account").await;
    b.comes_to_say("Your account is protected").await;
    b.page("protected").await;

    b.finish().await;
    server.finish().await;
}

async fn starts_an_account_reset(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    let person = Person::new("browser.lostphone");
    api_account_with_totp(&server, &person).await;
    let mut b = Browser::start(&tools, &server.base, "account-reset", js).await;

    sign_in_with_password(&mut b, &person).await;
    b.follow("I can't use any of these sign-in methods").await;
    b.arrive("/account-reset", "cant-use-methods").await;
    b.press("Start the 24-hour reset").await;
    b.arrive("/account-reset", "reset-waiting").await;
    b.says("Your reset is waiting").await;

    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(
    resets_a_forgotten_password,
    follows_a_this_wasnt_me_link,
    starts_an_account_reset,
);
